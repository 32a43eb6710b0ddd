export const REDACTED = '[redacted]';

/** RFC 3986 encoding, as OAuth 1.0a and form bodies use it. */
function strictPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    character => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The spellings a secret can take when a server echoes it back: as is,
 * percent-encoded (URL, OAuth or form style), or inside JSON (where `/` may
 * be written `\/`).
 */
function spellingsOf(secret: string): string[] {
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  return [
    secret,
    encodeURIComponent(secret),
    strictPercentEncode(secret),
    new URLSearchParams({ s: secret }).toString().slice('s='.length),
    jsonEscaped,
    jsonEscaped.replace(/\//g, '\\/'),
  ];
}

/**
 * Replaces every occurrence of any secret in `text`. Longer spellings go
 * first so a secret that contains another is removed whole.
 */
export function redactSecrets(
  text: string,
  secrets: ReadonlyArray<string | undefined>,
): string {
  const spellings = [
    ...new Set(
      secrets
        .filter((secret): secret is string => Boolean(secret))
        .flatMap(spellingsOf),
    ),
  ].sort((a, b) => b.length - a.length);
  let redacted = text;
  for (const spelling of spellings) {
    redacted = redacted.split(spelling).join(REDACTED);
  }
  return redacted;
}
