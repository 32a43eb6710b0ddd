import { Knex } from 'knex';

/** Row counts and stored checksums: what "nothing written" compares. */
export interface TableState {
  cars: number;
  coe: number;
  pqp: number;
  checksums: Record<string, string>;
}

export async function readTableState(knex: Knex): Promise<TableState> {
  const count = async (table: string) => {
    const row = await knex(table).count({ count: '*' }).first();
    return Number(row?.count);
  };
  const checksums: Array<{ file_name: string; checksum: string }> = await knex(
    'sgcarstrends_checksums',
  ).select('file_name', 'checksum');
  return {
    cars: await count('cars'),
    coe: await count('coe'),
    pqp: await count('pqp'),
    checksums: Object.fromEntries(
      checksums.map(row => [row.file_name, row.checksum]),
    ),
  };
}
