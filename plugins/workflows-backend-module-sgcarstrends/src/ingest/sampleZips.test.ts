import { unzipSync } from 'fflate';
import { buildSampleZips } from './sampleZips';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('buildSampleZips', () => {
  const zips = buildSampleZips();

  it('lays out the cars ZIP like the live one: the CSV at the root', () => {
    const entries = unzipSync(zips.cars);
    expect(Object.keys(entries)).toEqual(['M03-Car_Regn_by_make.csv']);
    const csv = decode(entries['M03-Car_Regn_by_make.csv']);
    expect(
      csv.startsWith(
        'month,make,importer_type,fuel_type,vehicle_type,number\r\n',
      ),
    ).toBe(true);
    // The quirks the cleaning must handle stay in the sample.
    expect(csv).toContain(',B.M.W.,');
    expect(csv).toContain(',M.G.,');
    expect(csv).toContain('Coupe/ Convertible');
    expect(csv).toMatch(/,\r\n/);
    expect(csv).toMatch(/^2022-12,[^,]+,,/m);
    expect(csv).toMatch(/^2023-01,[^,]+,AMD,/m);
  });

  it('puts both COE CSVs in the COE Bidding Results folder, quirks included', () => {
    const entries = unzipSync(zips.coe);
    expect(Object.keys(entries).sort()).toEqual([
      'COE Bidding Results/',
      'COE Bidding Results/M11-coe_results.csv',
      'COE Bidding Results/M11-coe_results_pqp.csv',
    ]);
    expect(
      decode(entries['COE Bidding Results/M11-coe_results.csv']),
    ).toContain('"1,438"');
    const pqp = decode(entries['COE Bidding Results/M11-coe_results_pqp.csv']);
    expect(pqp.startsWith('month,vehicle_class,pqp,,,,,,,,,,\n')).toBe(true);
  });
});
