import { TableName } from '../types';
import {
  parseCountOrZero,
  parseMake,
  parseMonth,
  parseOptionalText,
  parseRequiredText,
  parseVehicleType,
  parseWholeNumber,
} from './csvFieldParsers';

/** One value of a cleaned row, in the order of {@link TableSpec.columns}. */
export type CellValue = string | number | null;

/** A cleaned CSV row, one value per column of its table. */
export type TableRow = CellValue[];

/** A table column, read from the CSV column of the same name. */
export interface ColumnSpec {
  name: string;
  sqlType: 'text' | 'integer';
  parse(raw: string): CellValue;
}

/** How a CSV maps onto its table, and what a second copy of a row does. */
export interface TableSpec {
  name: TableName;
  columns: readonly ColumnSpec[];
  /** The unique key of the table. */
  keyColumns: readonly string[];
  /**
   * `keep-existing`: rows already stored are left alone (re-runs add nothing).
   * `update-values`: a row whose non-key values changed is updated in place,
   * because LTA corrects published values (PQP).
   */
  onConflict: 'keep-existing' | 'update-values';
}

export const CARS_TABLE: TableSpec = {
  name: 'cars',
  columns: [
    { name: 'month', sqlType: 'text', parse: parseMonth },
    { name: 'make', sqlType: 'text', parse: parseMake },
    { name: 'importer_type', sqlType: 'text', parse: parseOptionalText },
    { name: 'fuel_type', sqlType: 'text', parse: parseRequiredText },
    { name: 'vehicle_type', sqlType: 'text', parse: parseVehicleType },
    { name: 'number', sqlType: 'integer', parse: parseCountOrZero },
  ],
  keyColumns: ['month', 'make', 'importer_type', 'fuel_type', 'vehicle_type'],
  onConflict: 'keep-existing',
};

export const COE_TABLE: TableSpec = {
  name: 'coe',
  columns: [
    { name: 'month', sqlType: 'text', parse: parseMonth },
    { name: 'bidding_no', sqlType: 'integer', parse: parseWholeNumber },
    { name: 'vehicle_class', sqlType: 'text', parse: parseRequiredText },
    { name: 'quota', sqlType: 'integer', parse: parseWholeNumber },
    { name: 'bids_success', sqlType: 'integer', parse: parseWholeNumber },
    { name: 'bids_received', sqlType: 'integer', parse: parseWholeNumber },
    { name: 'premium', sqlType: 'integer', parse: parseWholeNumber },
  ],
  keyColumns: ['month', 'bidding_no', 'vehicle_class'],
  onConflict: 'keep-existing',
};

export const PQP_TABLE: TableSpec = {
  name: 'pqp',
  columns: [
    { name: 'month', sqlType: 'text', parse: parseMonth },
    { name: 'vehicle_class', sqlType: 'text', parse: parseRequiredText },
    { name: 'pqp', sqlType: 'integer', parse: parseWholeNumber },
  ],
  keyColumns: ['month', 'vehicle_class'],
  onConflict: 'update-values',
};
