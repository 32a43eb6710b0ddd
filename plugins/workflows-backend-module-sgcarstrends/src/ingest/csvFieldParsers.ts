/**
 * Cleaning and validation of single CSV fields. Each parser throws a
 * {@link FieldValueError} that the row reader turns into an error naming the
 * file, line and column.
 */

/** A field value that cannot be used; the message describes the value only. */
export class FieldValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldValueError';
  }
}

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const DIGITS_PATTERN = /^\d+$/;
/** Columns are INTEGER in the database (PostgreSQL int4). */
const MAX_INTEGER = 2_147_483_647;

/** `YYYY-MM`, kept as text so it can never turn into a number. */
export function parseMonth(raw: string): string {
  if (!MONTH_PATTERN.test(raw)) {
    throw new FieldValueError(`"${raw}" is not a month in the form YYYY-MM`);
  }
  return raw;
}

/** Any non-empty text. */
export function parseRequiredText(raw: string): string {
  if (raw === '') {
    throw new FieldValueError('the value is empty');
  }
  return raw;
}

/** Empty means "not given" (importer_type before 2023-01). */
export function parseOptionalText(raw: string): string | null {
  return raw === '' ? null : raw;
}

/** `B.M.W.` -> `BMW`, `Mclaren` -> `MCLAREN`: one spelling per make. */
export function parseMake(raw: string): string {
  return parseRequiredText(raw.replace(/\./g, '').trim().toUpperCase());
}

/** `Coupe/ Convertible` -> `Coupe/Convertible`. */
export function parseVehicleType(raw: string): string {
  return parseRequiredText(
    raw
      .split('/')
      .map(part => part.trim())
      .join('/'),
  );
}

/** A whole number, possibly with thousands separators (`"1,438"`). */
export function parseWholeNumber(raw: string): number {
  const digits = raw.includes(',') ? raw.replace(/,/g, '') : raw;
  if (!DIGITS_PATTERN.test(digits)) {
    throw new FieldValueError(`"${raw}" is not a whole number`);
  }
  const value = Number(digits);
  if (value > MAX_INTEGER) {
    throw new FieldValueError(`"${raw}" is larger than ${MAX_INTEGER}`);
  }
  return value;
}

/** Registrations: LTA leaves the field empty when there were none. */
export function parseCountOrZero(raw: string): number {
  return raw === '' ? 0 : parseWholeNumber(raw);
}
