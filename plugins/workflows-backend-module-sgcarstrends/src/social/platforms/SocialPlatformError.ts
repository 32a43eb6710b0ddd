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
   * True when the platform accepted the request (2xx) but its reply could not
   * be read: the post probably exists, so a retry must not post again.
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
