import { splitAroundUrls } from './urlSegments';

/** Twitter's limit, in weighted characters. */
export const TWEET_MAX_WEIGHT = 280;

/** Every link is shortened to t.co and counts as this many characters. */
export const TWEET_URL_WEIGHT = 23;

/**
 * Code point ranges Twitter counts as one character; everything else (CJK,
 * emoji, most symbols including the ellipsis) counts as two.
 */
const SINGLE_WEIGHT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

function codePointWeight(codePoint: number): number {
  return SINGLE_WEIGHT_RANGES.some(
    ([from, to]) => codePoint >= from && codePoint <= to,
  )
    ? 1
    : 2;
}

/** Weighted length of plain text without links. */
export function plainTextWeight(text: string): number {
  let weight = 0;
  for (const character of text.normalize('NFC')) {
    weight += codePointWeight(character.codePointAt(0)!);
  }
  return weight;
}

/**
 * The length Twitter checks against 280. Emoji sequences are counted per code
 * point, which over-estimates them: a tweet we accept is never rejected.
 */
export function tweetWeight(text: string): number {
  return splitAroundUrls(text.normalize('NFC')).reduce(
    (weight, segment) =>
      weight +
      (segment.isUrl ? TWEET_URL_WEIGHT : plainTextWeight(segment.text)),
    0,
  );
}
