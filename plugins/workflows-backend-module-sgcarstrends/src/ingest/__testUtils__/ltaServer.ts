import { http, HttpResponse } from 'msw';
import { SetupServer } from 'msw/node';
import { zipSync } from 'fflate';

/** Where the tests pretend LTA publishes its ZIPs. */
export const TEST_LTA_BASE_URL =
  'https://lta.example.test/datasets/Vehicle%20Registration';

export const CARS_ZIP = 'Monthly New Registration of Cars by Make.zip';
export const COE_ZIP = 'COE Bidding Results.zip';
export const CARS_CSV = 'M03-Car_Regn_by_make.csv';
export const COE_CSV = 'M11-coe_results.csv';
export const PQP_CSV = 'M11-coe_results_pqp.csv';

/** The cars ZIP as LTA ships it: the CSV at the root. */
export function carsZip(carsCsv: string | Uint8Array): Uint8Array {
  return zipSync({ [CARS_CSV]: toBytes(carsCsv) });
}

/** The COE ZIP as LTA ships it: both CSVs in a sub-folder. */
export function coeZip(
  coeCsv: string | Uint8Array,
  pqpCsv: string | Uint8Array,
): Uint8Array {
  return zipSync({
    'COE Bidding Results': {
      [COE_CSV]: toBytes(coeCsv),
      [PQP_CSV]: toBytes(pqpCsv),
    },
  });
}

export function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string'
    ? new TextEncoder().encode(content)
    : content;
}

/**
 * Serves ZIPs by file name under {@link TEST_LTA_BASE_URL} (404 for others)
 * and returns the decoded paths requested, to check the URL encoding.
 */
export function serveLtaZips(
  server: SetupServer,
  zips: Record<string, Uint8Array>,
): { requestedPaths: string[] } {
  const requestedPaths: string[] = [];
  server.use(
    http.get(`${TEST_LTA_BASE_URL}/*`, ({ request }) => {
      const path = new URL(request.url).pathname;
      requestedPaths.push(path);
      const zip = zips[decodeURIComponent(path.split('/').pop() ?? '')];
      if (!zip) {
        return new HttpResponse(null, { status: 404 });
      }
      return HttpResponse.arrayBuffer(zip.slice().buffer, {
        headers: { 'Content-Type': 'application/zip' },
      });
    }),
  );
  return { requestedPaths };
}
