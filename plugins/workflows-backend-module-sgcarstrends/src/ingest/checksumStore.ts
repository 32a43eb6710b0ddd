import { Knex } from 'knex';

const CHECKSUMS_TABLE = 'sgcarstrends_checksums';

/** The stored checksum per CSV file name (absent: never ingested). */
export async function readChecksums(
  knex: Knex,
  fileNames: readonly string[],
): Promise<Map<string, string>> {
  const rows: Array<{ file_name: string; checksum: string }> = await knex(
    CHECKSUMS_TABLE,
  )
    .select('file_name', 'checksum')
    .whereIn('file_name', fileNames);
  return new Map(rows.map(row => [row.file_name, row.checksum]));
}

/** Records that `fileName` with `checksum` is fully ingested. */
export async function storeChecksum(
  trx: Knex.Transaction,
  fileName: string,
  checksum: string,
): Promise<void> {
  await trx(CHECKSUMS_TABLE)
    .insert({ file_name: fileName, checksum, updated_at: new Date() })
    .onConflict('file_name')
    .merge(['checksum', 'updated_at']);
}
