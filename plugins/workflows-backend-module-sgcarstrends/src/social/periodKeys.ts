import type { CarsSummary, CoeSummary, DatasetId } from '../types';

const PERIOD_PATTERNS: Record<DatasetId, RegExp> = {
  cars: /^\d{4}-(0[1-9]|1[0-2])$/,
  coe: /^\d{4}-(0[1-9]|1[0-2])#[1-9]\d*$/,
};

const PERIOD_EXAMPLES: Record<DatasetId, string> = {
  cars: 'YYYY-MM, e.g. 2024-05',
  coe: 'YYYY-MM#<bidding no>, e.g. 2024-05#2',
};

/** Car registrations are published once a month: the month is the period. */
export function carsPeriodKey(summary: CarsSummary): string {
  return summary.month;
}

/** COE results come twice a month: each bidding exercise is its own period. */
export function coePeriodKey(summary: CoeSummary): string {
  return `${summary.month}#${summary.biddingNo}`;
}

/** Rejects a period key that does not fit its dataset (e.g. a COE key without the exercise). */
export function assertPeriodKey(dataset: DatasetId, period: string): void {
  if (!PERIOD_PATTERNS[dataset].test(period)) {
    throw new Error(
      `Invalid ${dataset} period "${period}": expected ${PERIOD_EXAMPLES[dataset]}`,
    );
  }
}
