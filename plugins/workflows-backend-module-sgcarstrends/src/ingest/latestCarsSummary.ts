import { Knex } from 'knex';
import { CarsSummary } from '../types';

type TotalsColumn = 'fuel_type' | 'vehicle_type';

/** Registrations of `month` per value of `column`, largest first. */
async function totalsBy(
  knex: Knex,
  month: string,
  column: TotalsColumn,
): Promise<Array<{ name: string; count: number }>> {
  const rows = await knex('cars')
    .sum({ count: 'number' })
    .select<Array<{ name: string; count: string | number }>>({ name: column })
    .where({ month })
    .groupBy(column)
    .orderBy([
      { column: 'count', order: 'desc' },
      { column: 'name', order: 'asc' },
    ]);
  // PostgreSQL returns SUM of an integer as a bigint string.
  return rows.map(row => ({
    name: row.name,
    count: Number(row.count),
  }));
}

/**
 * The newest month of car registrations with its totals by fuel type and by
 * vehicle type; undefined while the table is empty.
 */
export async function latestCarsSummary(
  knex: Knex,
): Promise<CarsSummary | undefined> {
  const latest: { month?: string | null } | undefined = await knex('cars')
    .max({ month: 'month' })
    .first();
  const month = latest?.month;
  if (!month) {
    return undefined;
  }
  const byFuelType = await totalsBy(knex, month, 'fuel_type');
  const byVehicleType = await totalsBy(knex, month, 'vehicle_type');
  return {
    month,
    total: byFuelType.reduce((sum, entry) => sum + entry.count, 0),
    byFuelType,
    byVehicleType,
  };
}
