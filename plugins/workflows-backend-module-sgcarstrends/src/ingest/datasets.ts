import { DatasetId } from '../types';
import { CARS_TABLE, COE_TABLE, PQP_TABLE, TableSpec } from './tableSpecs';

/** Where LTA DataMall publishes the vehicle registration ZIPs. */
export const LTA_VEHICLE_REGISTRATION_BASE_URL =
  'https://datamall.lta.gov.sg/content/dam/datamall/datasets/Facts_Figures/Vehicle%20Registration';

/** One CSV inside a dataset's ZIP and the table it fills. */
export interface DatasetCsv {
  /** Base name of the ZIP entry, wherever it sits in the ZIP. */
  fileName: string;
  table: TableSpec;
}

/** One LTA download: a ZIP holding one or more CSV files. */
export interface DatasetSource {
  zipName: string;
  csvFiles: readonly DatasetCsv[];
}

export const DATASET_SOURCES: Record<DatasetId, DatasetSource> = {
  cars: {
    zipName: 'Monthly New Registration of Cars by Make.zip',
    csvFiles: [{ fileName: 'M03-Car_Regn_by_make.csv', table: CARS_TABLE }],
  },
  coe: {
    zipName: 'COE Bidding Results.zip',
    csvFiles: [
      { fileName: 'M11-coe_results.csv', table: COE_TABLE },
      { fileName: 'M11-coe_results_pqp.csv', table: PQP_TABLE },
    ],
  },
};

/** The download URL of a dataset's ZIP under `baseUrl`. */
export function datasetZipUrl(baseUrl: string, source: DatasetSource): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(source.zipName)}`;
}
