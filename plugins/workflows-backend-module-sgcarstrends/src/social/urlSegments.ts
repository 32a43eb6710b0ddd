/**
 * Links in our messages are always absolute http(s) URLs that run to the next
 * whitespace; that is also what the platforms auto-link.
 */
const URL_PATTERN = /https?:\/\/\S+/g;

/** A piece of message text: either a URL or the text between URLs. */
export interface TextSegment {
  text: string;
  isUrl: boolean;
}

/** Splits text into URL and non-URL segments, in order, losing nothing. */
export function splitAroundUrls(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let position = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    if (start > position) {
      segments.push({ text: text.slice(position, start), isUrl: false });
    }
    segments.push({ text: match[0], isUrl: true });
    position = start + match[0].length;
  }
  if (position < text.length) {
    segments.push({ text: text.slice(position), isUrl: false });
  }
  return segments;
}

/**
 * Applies a transformation (typically escaping) to the text between URLs and
 * leaves the URLs untouched, so they stay valid and clickable.
 */
export function mapTextOutsideUrls(
  text: string,
  transform: (plain: string) => string,
): string {
  return splitAroundUrls(text)
    .map(segment => (segment.isUrl ? segment.text : transform(segment.text)))
    .join('');
}
