import express from 'express';
import { unzipSync } from 'fflate';
import request from 'supertest';
import { createSampleDataRouter, SAMPLE_DATA_PATH } from './sampleDataRouter';

describe('sample data router', () => {
  const app = express().use(createSampleDataRouter());

  function getZip(name: string) {
    return request(app)
      .get(`${SAMPLE_DATA_PATH}/${encodeURIComponent(name)}`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  }

  it('serves the cars ZIP under the live file name with the CSV at its root', async () => {
    const response = await getZip(
      'Monthly New Registration of Cars by Make.zip',
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    const entries = unzipSync(new Uint8Array(response.body));
    expect(Object.keys(entries)).toEqual(['M03-Car_Regn_by_make.csv']);
    expect(
      new TextDecoder().decode(entries['M03-Car_Regn_by_make.csv']),
    ).toMatch(/^month,make,importer_type,fuel_type,vehicle_type,number/);
  });

  it('puts the COE CSVs in a sub-folder, like the live ZIP', async () => {
    const response = await getZip('COE Bidding Results.zip');
    const names = Object.keys(unzipSync(new Uint8Array(response.body)));
    expect(names).toEqual(
      expect.arrayContaining([
        'COE Bidding Results/M11-coe_results.csv',
        'COE Bidding Results/M11-coe_results_pqp.csv',
      ]),
    );
  });

  it('answers 404 for any other file', async () => {
    const response = await request(app).get(`${SAMPLE_DATA_PATH}/other.zip`);
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe('No sample file "other.zip"');
  });
});
