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

function textColumn(name: string, parse: ColumnSpec['parse']): ColumnSpec {
  return { name, sqlType: 'text', parse };
}

function integerColumn(name: string, parse: ColumnSpec['parse']): ColumnSpec {
  return { name, sqlType: 'integer', parse };
}

/** Every table is keyed by month first. */
const MONTH_COLUMN = textColumn('month', parseMonth);

export const CARS_TABLE: TableSpec = {
  name: 'cars',
  columns: [
    MONTH_COLUMN,
    textColumn('make', parseMake),
    textColumn('importer_type', parseOptionalText),
    textColumn('fuel_type', parseRequiredText),
    textColumn('vehicle_type', parseVehicleType),
    integerColumn('number', parseCountOrZero),
  ],
  keyColumns: ['month', 'make', 'importer_type', 'fuel_type', 'vehicle_type'],
  onConflict: 'keep-existing',
};

export const COE_TABLE: TableSpec = {
  name: 'coe',
  columns: [
    MONTH_COLUMN,
    integerColumn('bidding_no', parseWholeNumber),
    textColumn('vehicle_class', parseRequiredText),
    // The results of the exercise, all whole numbers.
    ...['quota', 'bids_success', 'bids_received', 'premium'].map(name =>
      integerColumn(name, parseWholeNumber),
    ),
  ],
  keyColumns: ['month', 'bidding_no', 'vehicle_class'],
  onConflict: 'keep-existing',
};

export const PQP_TABLE: TableSpec = {
  name: 'pqp',
  columns: [
    MONTH_COLUMN,
    textColumn('vehicle_class', parseRequiredText),
    integerColumn('pqp', parseWholeNumber),
  ],
  keyColumns: ['month', 'vehicle_class'],
  onConflict: 'update-values',
};
