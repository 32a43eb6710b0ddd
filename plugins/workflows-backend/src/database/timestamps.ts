/** PostgreSQL returns Dates; SQLite the stored epoch milliseconds or text. */
export function toIso(value: Date | string | number): string {
  const date =
    value instanceof Date
      ? value
      : new Date(
          typeof value === 'string' && /^\d+$/.test(value)
            ? Number(value)
            : value,
        );
  return date.toISOString();
}

export function toIsoOrNull(
  value: Date | string | number | null | undefined,
): string | null {
  return value === null || value === undefined ? null : toIso(value);
}
