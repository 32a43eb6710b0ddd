import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_ASSETS_DIRECTORY } from '../sampleZips';
import { CARS_CSV, COE_CSV, PQP_CSV } from './ltaServer';

/** The sample CSVs bundled with the module, as text. */
export const SAMPLE_CSVS = {
  cars: readFileSync(join(SAMPLE_ASSETS_DIRECTORY, CARS_CSV), 'utf8'),
  coe: readFileSync(join(SAMPLE_ASSETS_DIRECTORY, COE_CSV), 'utf8'),
  pqp: readFileSync(join(SAMPLE_ASSETS_DIRECTORY, PQP_CSV), 'utf8'),
};

/**
 * At least `minBytes` of valid CSV: the data lines of `csv` again and again,
 * the year moved on by one per copy so that every row stays distinct (the
 * samples span less than a year). Keeps the line ending of `csv`.
 */
export function repeatedRows(csv: string, minBytes: number): string {
  const eol = csv.includes('\r\n') ? '\r\n' : '\n';
  const [header, ...lines] = csv.split(eol).filter(line => line !== '');
  const out = [header];
  let bytes = header.length;
  for (let copy = 0; bytes < minBytes; copy++) {
    for (const line of lines) {
      const moved = `${Number(line.slice(0, 4)) + copy}${line.slice(4)}`;
      out.push(moved);
      bytes += moved.length + eol.length;
    }
  }
  return `${out.join(eol)}${eol}`;
}
