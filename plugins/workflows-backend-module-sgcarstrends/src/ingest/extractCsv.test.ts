import { zipSync } from 'fflate';
import { extractCsv } from './extractCsv';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('extractCsv', () => {
  it('returns an entry at the root of the ZIP', () => {
    const zip = zipSync({
      'M03-Car_Regn_by_make.csv': encode('month,make\n'),
      'readme.txt': encode('other'),
    });
    expect(
      decode(extractCsv(zip, 'M03-Car_Regn_by_make.csv', 'cars.zip')),
    ).toBe('month,make\n');
  });

  it('finds an entry by its base name inside a sub-folder', () => {
    const zip = zipSync({
      'COE Bidding Results': {
        'M11-coe_results.csv': encode('coe'),
        'M11-coe_results_pqp.csv': encode('pqp'),
      },
    });
    expect(decode(extractCsv(zip, 'M11-coe_results.csv', 'coe.zip'))).toBe(
      'coe',
    );
    expect(decode(extractCsv(zip, 'M11-coe_results_pqp.csv', 'coe.zip'))).toBe(
      'pqp',
    );
  });

  it('names the ZIP, the expected entry and the entries found when it is missing', () => {
    const zip = zipSync({
      'COE Bidding Results': { 'M11-coe_results.csv': encode('coe') },
    });
    expect(() =>
      extractCsv(zip, 'M11-coe_results_pqp.csv', 'COE Bidding Results.zip'),
    ).toThrow(
      'COE Bidding Results.zip does not contain M11-coe_results_pqp.csv; its entries are: COE Bidding Results/M11-coe_results.csv',
    );
  });

  it('does not take a file whose name only ends like the expected one', () => {
    const zip = zipSync({ 'old-M03-Car_Regn_by_make.csv': encode('x') });
    expect(() =>
      extractCsv(zip, 'M03-Car_Regn_by_make.csv', 'cars.zip'),
    ).toThrow('cars.zip does not contain M03-Car_Regn_by_make.csv');
  });

  it('refuses an ambiguous ZIP holding the file twice', () => {
    const zip = zipSync({
      a: { 'M11-coe_results.csv': encode('1') },
      b: { 'M11-coe_results.csv': encode('2') },
    });
    expect(() => extractCsv(zip, 'M11-coe_results.csv', 'coe.zip')).toThrow(
      'coe.zip contains M11-coe_results.csv more than once: a/M11-coe_results.csv, b/M11-coe_results.csv',
    );
  });

  it('names the ZIP when the bytes are not a ZIP at all', () => {
    expect(() =>
      extractCsv(encode('<html>maintenance</html>'), 'x.csv', 'cars.zip'),
    ).toThrow(/^cars\.zip is not a readable ZIP file: /);
  });
});
