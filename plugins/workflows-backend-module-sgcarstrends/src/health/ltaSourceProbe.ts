import type {
  HealthProbe,
  HealthProbeOutcome,
} from '@internal/plugin-workflows-node';
import { DATASET_SOURCES, datasetZipUrl } from '../ingest';
import type { RunnerSettings } from '../runners/runnerSettings';
import type { DatasetId } from '../types';

const MIB = 1024 * 1024;
const BASE_URL_FIX =
  'check workflows.sgcarstrends.source.baseUrl; LTA DataMall may have moved or renamed the file';

/** What one HEAD found about one file. */
function fileOutcome(
  zipName: string,
  response: Response,
  maxZipBytes: number,
): HealthProbeOutcome {
  if (response.status === 429) {
    return {
      verdict: 'warning',
      message: `LTA DataMall is rate limiting this backend (HTTP 429 for "${zipName}")`,
      fix: 'check again later',
    };
  }
  if (!response.ok) {
    return {
      verdict: 'failing',
      message: `LTA DataMall answered HTTP ${response.status} for "${zipName}"`,
      fix: BASE_URL_FIX,
    };
  }
  const length = Number(response.headers.get('content-length'));
  if (Number.isFinite(length) && length > maxZipBytes) {
    return {
      verdict: 'failing',
      message: `"${zipName}" is ${(length / MIB).toFixed(1)} MiB, over the ${(
        maxZipBytes / MIB
      ).toFixed(0)} MiB the ingest step accepts`,
      fix: 'raise workflows.sgcarstrends.source.maxZipMegabytes',
    };
  }
  const modified = response.headers.get('last-modified');
  return {
    verdict: 'ok',
    message: `"${zipName}" is reachable${
      modified ? `, last modified ${modified}` : ''
    }`,
  };
}

/**
 * The LTA file a dataset workflow downloads (one ZIP holds all its CSVs): a
 * HEAD, so nothing is downloaded. With the bundled samples there is nothing
 * to reach.
 */
export function ltaSourceProbe(
  dataset: DatasetId,
  settings: RunnerSettings,
): HealthProbe {
  return {
    id: 'lta-source',
    title: 'LTA DataMall source (HEAD of the ZIP)',
    async probe({ signal }) {
      const baseUrl = settings.sourceBaseUrl;
      if (!baseUrl) {
        return {
          verdict: 'not-probed',
          message: 'not probed: bundled samples in use',
        };
      }
      const { zipName } = DATASET_SOURCES[dataset];
      const url = datasetZipUrl(baseUrl, DATASET_SOURCES[dataset]);
      try {
        const response = await fetch(url, { method: 'HEAD', signal });
        return fileOutcome(zipName, response, settings.maxZipBytes);
      } catch (error) {
        return {
          verdict: 'failing',
          message: `"${zipName}" could not be reached at ${
            new URL(url).host
          }: ${(error as Error).message}`,
          fix: 'check that this backend can reach LTA DataMall (DNS, firewall, proxy)',
        };
      }
    },
  };
}
