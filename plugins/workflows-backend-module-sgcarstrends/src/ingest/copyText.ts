import { CellValue, TableRow } from './tableSpecs';

/** Characters with a meaning of their own in COPY's text format. */
const SPECIAL_CHARACTERS = /[\\\t\n\r]/;
const SPECIAL_CHARACTERS_GLOBAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/**
 * One value in COPY's text format. NULL is `\N`; a backslash is doubled, so
 * the text `\N` stays text; tabs and line breaks are escaped so they cannot
 * end the field or the row.
 */
export function copyTextField(value: CellValue): string {
  if (value === null) {
    return '\\N';
  }
  const text = String(value);
  return SPECIAL_CHARACTERS.test(text)
    ? text.replace(SPECIAL_CHARACTERS_GLOBAL, c => ESCAPES[c])
    : text;
}

/** Rows in COPY's text format: tab between fields, newline after each row. */
export function copyText(rows: readonly TableRow[]): string {
  let text = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      line += i === 0 ? copyTextField(row[i]) : `\t${copyTextField(row[i])}`;
    }
    text += `${line}\n`;
  }
  return text;
}
