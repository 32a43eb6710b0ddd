/**
 * A platform refused or could not be reached. The message names the platform
 * and HTTP status and carries a short excerpt of the reply with every secret
 * replaced, so it is safe to show in step output and logs. No `cause` is
 * attached: the underlying fetch error may hold the (secret) request URL.
 */
export class SocialPlatformError extends Error {
  override name = 'SocialPlatformError';
  readonly platform: string;
  /** HTTP status of the refusal; undefined when no response arrived. */
  readonly status?: number;
  /**
   * True when the request that creates the post may have reached the platform
   * and been acted on: a 2xx whose reply could not be read, or a failure after
   * the request was sent (timeout, connection reset). A retry must not post
   * again. False when the post was certainly not made (refusal, DNS failure,
   * connection refused, or a failed preparatory request such as a token refresh).
   */
  readonly mayHavePosted: boolean;

  constructor(
    message: string,
    details: { platform: string; status?: number; mayHavePosted?: boolean },
  ) {
    super(message);
    this.platform = details.platform;
    this.status = details.status;
    this.mayHavePosted = details.mayHavePosted ?? false;
  }
}
