import {
  ltaFixturesAvailable,
  readLtaFixture,
} from './__testUtils__/ltaFixtures';
import { readTableCsv } from './readTableCsv';
import { CARS_TABLE } from './tableSpecs';

// Throws when CI is set and the folder is missing; otherwise skips below.
const describeWithFixtures = ltaFixturesAvailable() ? describe : describe.skip;

describeWithFixtures(
  'readTableCsv on the real cars file from ../shared/fixtures/lta',
  () => {
    it('reports a quote injected at line 20,000 of 38,014 on that line', async () => {
      const text = readLtaFixture('M03-Car_Regn_by_make.csv').toString('utf8');
      const lines = text.split('\r\n');
      expect(lines.filter(line => line !== '')).toHaveLength(38_014);
      // Line 20,000 is lines[19_999]; its make gets an opening quote.
      const [month, make, ...rest] = lines[19_999].split(',');
      lines[19_999] = [month, `"${make}`, ...rest].join(',');

      const read = async () => {
        let rows = 0;
        for await (const batch of readTableCsv(
          new TextEncoder().encode(lines.join('\r\n')),
          'M03-Car_Regn_by_make.csv',
          CARS_TABLE,
          10_000,
        )) {
          rows += batch.length;
        }
        return rows;
      };
      await expect(read()).rejects.toThrow(
        'M03-Car_Regn_by_make.csv line 20000, column "make": a quote opens a value that is never closed before the end of the file',
      );
    });
  },
);
