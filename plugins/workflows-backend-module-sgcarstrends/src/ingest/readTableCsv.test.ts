import { InputError } from '@backstage/errors';
import { readTableCsv } from './readTableCsv';
import { CARS_TABLE, COE_TABLE, PQP_TABLE, TableSpec } from './tableSpecs';

async function readAll(
  csv: string,
  table: TableSpec,
  fileName = 'test.csv',
  batchSize = 1000,
) {
  const batches = [];
  for await (const batch of readTableCsv(
    new TextEncoder().encode(csv),
    fileName,
    table,
    batchSize,
  )) {
    batches.push(batch);
  }
  return batches;
}

const CARS_HEADER = 'month,make,importer_type,fuel_type,vehicle_type,number';

describe('readTableCsv', () => {
  it('cleans car registrations: makes, vehicle types, empty numbers and importer types', async () => {
    const csv = [
      CARS_HEADER,
      '2016-01,B.M.W.,,Petrol,Coupe/ Convertible,',
      '2016-01,Mclaren,,Petrol,Sedan,3',
      '2023-01, M.G. ,AMD,Electric,Multi-purpose Vehicle/Station-wagon,12',
      '',
    ].join('\r\n');
    const [rows] = await readAll(csv, CARS_TABLE);
    expect(rows).toEqual([
      ['2016-01', 'BMW', null, 'Petrol', 'Coupe/Convertible', 0],
      ['2016-01', 'MCLAREN', null, 'Petrol', 'Sedan', 3],
      [
        '2023-01',
        'MG',
        'AMD',
        'Electric',
        'Multi-purpose Vehicle/Station-wagon',
        12,
      ],
    ]);
  });

  it('finds columns by header name, whatever their order, and skips a byte order mark', async () => {
    const csv =
      '\ufeffnumber,vehicle_type,fuel_type,importer_type,make,month\n7,Sedan,Diesel,PI,AUDI,2023-02\n';
    const [rows] = await readAll(csv, CARS_TABLE);
    expect(rows).toEqual([['2023-02', 'AUDI', 'PI', 'Diesel', 'Sedan', 7]]);
  });

  it('reads COE numbers quoted with thousands separators and keeps the month as text', async () => {
    const csv = [
      'month,bidding_no,vehicle_class,quota,bids_success,bids_received,premium',
      '2023-05,2,Category D,571,562,"1,438",10602',
      '2024-01,1,Category A,"1,046","1,041","1,592","80,000"',
    ].join('\n');
    const [rows] = await readAll(csv, COE_TABLE);
    expect(rows).toEqual([
      ['2023-05', 2, 'Category D', 571, 562, 1438, 10602],
      ['2024-01', 1, 'Category A', 1046, 1041, 1592, 80000],
    ]);
  });

  it('ignores the empty trailing columns of the PQP file, with or without them on a line', async () => {
    const csv = [
      'month,vehicle_class,pqp,,,,,,,,,,',
      '2021-08,Category A,46358,,,,,,,,,, ',
      '2023-04,Category A,86677',
    ].join('\n');
    const [rows] = await readAll(csv, PQP_TABLE);
    expect(rows).toEqual([
      ['2021-08', 'Category A', 46358],
      ['2023-04', 'Category A', 86677],
    ]);
  });

  it('yields rows in batches of the requested size', async () => {
    const lines = [CARS_HEADER];
    for (let i = 1; i <= 25; i++) {
      lines.push(`2020-01,MAKE ${i},,Petrol,Sedan,${i}`);
    }
    const batches = await readAll(lines.join('\n'), CARS_TABLE, 'x.csv', 10);
    expect(batches.map(batch => batch.length)).toEqual([10, 10, 5]);
    expect(batches.flat().map(row => row[5])).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
  });

  it.each([
    [
      'a missing column',
      'month,make,importer_type,vehicle_type,number\n2020-01,AUDI,,Sedan,1\n',
      CARS_TABLE,
      'cars.csv line 1: missing column "fuel_type"; the header has month, make, importer_type, vehicle_type, number',
    ],
    [
      'a non-numeric premium',
      'month,bidding_no,vehicle_class,quota,bids_success,bids_received,premium\n2023-01,1,Category A,1,1,1,100\n2023-01,1,Category B,1,1,1,n/a\n',
      COE_TABLE,
      'cars.csv line 3, column "premium": "n/a" is not a whole number',
    ],
    [
      'a negative number',
      'month,vehicle_class,pqp\n2023-01,Category A,-5\n',
      PQP_TABLE,
      'cars.csv line 2, column "pqp": "-5" is not a whole number',
    ],
    [
      'a month as a bare year',
      `${CARS_HEADER}\n2020-01,AUDI,,Petrol,Sedan,1\n2024,AUDI,,Petrol,Sedan,1\n`,
      CARS_TABLE,
      'cars.csv line 3, column "month": "2024" is not a month in the form YYYY-MM',
    ],
    [
      'a thirteenth month',
      `${CARS_HEADER}\n2020-13,AUDI,,Petrol,Sedan,1\n`,
      CARS_TABLE,
      'cars.csv line 2, column "month": "2020-13" is not a month in the form YYYY-MM',
    ],
    [
      'a short line',
      `${CARS_HEADER}\n2020-01,AUDI,,Petrol,Sedan,1\n2020-01,AUDI,,Petrol\n`,
      CARS_TABLE,
      'cars.csv line 3, column "vehicle_type": the value is missing (the line has 4 fields)',
    ],
    [
      'an empty make',
      `${CARS_HEADER}\n2020-01,...,,Petrol,Sedan,1\n`,
      CARS_TABLE,
      'cars.csv line 2, column "make": the value is empty',
    ],
    [
      'a number too large for the column',
      `${CARS_HEADER}\n2020-01,AUDI,,Petrol,Sedan,"3,000,000,000"\n`,
      CARS_TABLE,
      'cars.csv line 2, column "number": "3,000,000,000" is larger than 2147483647',
    ],
    [
      'an unclosed quote',
      `${CARS_HEADER}\n2020-01,"AUDI,,Petrol,Sedan,1\n`,
      CARS_TABLE,
      'cars.csv line 2, column "make": a quote opens a value that is never closed before the end of the file',
    ],
    [
      'an empty file',
      '',
      CARS_TABLE,
      'cars.csv is empty: expected a header with month, make, importer_type, fuel_type, vehicle_type, number',
    ],
    [
      'a header without rows',
      `${CARS_HEADER}\r\n`,
      CARS_TABLE,
      'cars.csv has a header but no data rows',
    ],
  ])('rejects %s naming the file and line', async (_, csv, table, message) => {
    await expect(readAll(csv, table, 'cars.csv')).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(message),
    });
  });

  describe('an unterminated quote', () => {
    const tenLines = (eol: string, line3: string) =>
      [
        CARS_HEADER,
        '2020-01,AUDI,,Petrol,Sedan,1',
        line3,
        ...Array.from(
          { length: 7 },
          (_, i) => `2020-0${i + 2},AUDI,,Petrol,Sedan,${i}`,
        ),
      ].join(eol) + eol;

    it.each([
      ['LF', '\n'],
      ['CRLF', '\r\n'],
    ])(
      'is reported on the line it opens, not at the end of the file (%s)',
      async (_, eol) => {
        const csv = tenLines(eol, '2020-01,BMW,,"Petrol,Sedan,2');
        expect(csv.split(eol)).toHaveLength(11);
        await expect(readAll(csv, CARS_TABLE, 'cars.csv')).rejects.toThrow(
          new InputError(
            'cars.csv line 3, column "fuel_type": a quote opens a value that is never closed before the end of the file',
          ),
        );
      },
    );

    it('counts the empty lines skipped before it', async () => {
      const csv = `${CARS_HEADER}\n2020-01,AUDI,,Petrol,Sedan,1\n\n\n"2020-02,AUDI,,Petrol,Sedan,1\n2020-03,AUDI,,Petrol,Sedan,1\n`;
      await expect(readAll(csv, CARS_TABLE, 'cars.csv')).rejects.toThrow(
        'cars.csv line 5, column "month": a quote opens',
      );
    });

    it('is reported on line 1 when it opens in the header', async () => {
      const csv = `month,"make,importer_type\n2020-01,AUDI,,Petrol,Sedan,1\n`;
      await expect(readAll(csv, CARS_TABLE, 'cars.csv')).rejects.toThrow(
        new InputError(
          'cars.csv line 1: a quote opens a value that is never closed before the end of the file',
        ),
      );
    });

    it('follows a value that spans lines, after the record it ends', async () => {
      const csv = [
        'month,vehicle_class,pqp',
        '2023-01,"Category\nA",1',
        '2023-02,Category B,"2',
        '2023-03,Category C,3',
        '',
      ].join('\n');
      await expect(readAll(csv, PQP_TABLE, 'pqp.csv')).rejects.toThrow(
        'pqp.csv line 4, column "pqp": a quote opens',
      );
    });
  });
});
