import { ResponseError } from '@backstage/errors';

/** The backend's reason for a failed call (a 400 names the field), not only its status. */
export function reason(error: Error): string {
  return ResponseError.is(error) ? error.cause.message : error.message;
}
