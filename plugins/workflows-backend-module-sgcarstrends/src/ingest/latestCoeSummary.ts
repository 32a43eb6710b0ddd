import { Knex } from 'knex';
import { CoeSummary } from '../types';

interface CoeRow {
  month: string;
  bidding_no: number;
  vehicle_class: string;
  quota: number;
  bids_success: number;
  bids_received: number;
  premium: number;
}

/**
 * The newest COE bidding exercise: the latest month and, within it, the
 * highest bidding number. Undefined while the table is empty.
 */
export async function latestCoeSummary(
  knex: Knex,
): Promise<CoeSummary | undefined> {
  const latest: Pick<CoeRow, 'month' | 'bidding_no'> | undefined = await knex(
    'coe',
  )
    .select('month', 'bidding_no')
    .orderBy([
      { column: 'month', order: 'desc' },
      { column: 'bidding_no', order: 'desc' },
    ])
    .first();
  if (!latest) {
    return undefined;
  }
  const rows: CoeRow[] = await knex('coe')
    .select('*')
    .where({ month: latest.month, bidding_no: latest.bidding_no })
    .orderBy('vehicle_class', 'asc');
  return {
    month: latest.month,
    biddingNo: Number(latest.bidding_no),
    results: rows.map(row => ({
      vehicleClass: row.vehicle_class,
      quota: Number(row.quota),
      bidsSuccess: Number(row.bids_success),
      bidsReceived: Number(row.bids_received),
      premium: Number(row.premium),
    })),
  };
}
