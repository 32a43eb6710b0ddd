/** The two LTA downloads the runners ingest. */
export type DatasetId = 'cars' | 'coe';

/** The tables rows are written to. */
export type TableName = 'cars' | 'coe' | 'pqp';

/** What one ingest step reports for one table (also the step output operators see). */
export interface TableIngestResult {
  table: TableName;
  /** Rows newly inserted or updated; 0 when the file was unchanged. */
  recordsProcessed: number;
  /** SHA-256 (hex) of the extracted CSV. */
  checksum: string;
  message: string;
}

/** Totals of the newest month of car registrations. */
export interface CarsSummary {
  /** YYYY-MM */
  month: string;
  total: number;
  byFuelType: Array<{ name: string; count: number }>;
  byVehicleType: Array<{ name: string; count: number }>;
}

/** The newest COE bidding exercise. */
export interface CoeSummary {
  /** YYYY-MM */
  month: string;
  /** 1 or 2: the first or second exercise of the month. */
  biddingNo: number;
  results: Array<{
    vehicleClass: string;
    quota: number;
    bidsSuccess: number;
    bidsReceived: number;
    premium: number;
  }>;
}

/** Social platforms the runners post to. */
export type PlatformId = 'discord' | 'telegram' | 'linkedin' | 'twitter';
