/**
 * The configured secret values and the parts of them that can turn up on
 * their own: the password of a connection URL (a driver's error may quote it
 * without the rest). Blank values are dropped.
 */
export function secretValues(values: Iterable<string | undefined>): string[] {
  const secrets = new Set<string>();
  for (const raw of values) {
    const value = raw?.trim();
    if (!value) continue;
    secrets.add(value);
    try {
      const { password } = new URL(value);
      if (password) {
        secrets.add(password);
        secrets.add(decodeURIComponent(password));
      }
    } catch {
      // Not a URL: the value as a whole is enough.
    }
  }
  return [...secrets];
}
