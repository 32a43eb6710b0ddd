import express from 'express';
import Router from 'express-promise-router';
import { DATASET_SOURCES, buildSampleZips } from '../ingest';

/** The path, under the plugin's base URL, the sample ZIPs are served at. */
export const SAMPLE_DATA_PATH = '/sgcarstrends/sample-data';

/**
 * Serves ZIPs built from the bundled sample CSVs under the live file names,
 * so the embedded default exercises the same download path as production.
 */
export function createSampleDataRouter(): express.Router {
  const zips = buildSampleZips();
  const byName = new Map<string, Uint8Array>([
    [DATASET_SOURCES.cars.zipName, zips.cars],
    [DATASET_SOURCES.coe.zipName, zips.coe],
  ]);
  const router = Router();
  router.get(`${SAMPLE_DATA_PATH}/:zipName`, (req, res) => {
    const zip = byName.get(req.params.zipName);
    if (!zip) {
      res.status(404).json({
        error: {
          name: 'NotFoundError',
          message: `No sample file "${req.params.zipName}"`,
        },
      });
      return;
    }
    res.setHeader('content-type', 'application/zip');
    res.setHeader('content-length', String(zip.byteLength));
    res.send(Buffer.from(zip));
  });
  return router;
}
