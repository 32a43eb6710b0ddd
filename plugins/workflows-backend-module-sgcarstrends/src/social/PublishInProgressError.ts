/**
 * Another attempt has claimed this post and has not finished. Thrown (not
 * returned) so the workflow step is retried and then finds the outcome.
 */
export class PublishInProgressError extends Error {
  override name = 'PublishInProgressError';
}
