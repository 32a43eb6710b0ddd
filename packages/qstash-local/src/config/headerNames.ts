/** Header names as Go's net/http prints them (`content-type` -> `Content-Type`). */
export function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map(part => (part ? part[0].toUpperCase() + part.slice(1) : part))
    .join('-');
}

/** Header pairs as the API shows them: canonical names, each with a value list. */
export function toHeaderRecord(
  pairs: ReadonlyArray<readonly [string, string]>,
): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    const key = canonicalHeaderName(name);
    (record[key] ??= []).push(value);
  }
  return record;
}

/** Lower-cases names of a plain header object (batch entries, stored configs). */
export function lowerCaseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value)
      ? value.join(', ')
      : value;
  }
  return result;
}

/**
 * Takes the headers that start with `prefix` and renames them to start with
 * `replacement`; used to turn `Upstash-Callback-*` into the headers of the
 * callback message.
 */
export function rebaseHeaders(
  headers: Record<string, string>,
  prefix: string,
  replacement: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(prefix)) {
      result[replacement + name.slice(prefix.length)] = value;
    }
  }
  return result;
}
