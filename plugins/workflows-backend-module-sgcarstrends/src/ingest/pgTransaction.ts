import { Knex } from 'knex';
import { CopyStreamQuery } from 'pg-copy-streams';
import { sqlDialectOf } from './sqlDialect';

/** What COPY needs of a node-postgres client. */
export interface PgConnection {
  query(copy: CopyStreamQuery): CopyStreamQuery;
}

/**
 * Runs `body` in a transaction and, on PostgreSQL, also hands it the pg
 * client the transaction runs on, so a COPY streamed to that client is part
 * of the transaction. The client is taken from the pool here and given to
 * knex (the transaction's `connection` option), rather than fished out of
 * the transaction afterwards: it is the transaction's own connection by
 * construction, whatever knex does inside.
 */
export async function transactionWithConnection<T>(
  knex: Knex,
  body: (
    trx: Knex.Transaction,
    connection: PgConnection | undefined,
  ) => Promise<T>,
): Promise<T> {
  if (sqlDialectOf(knex) !== 'postgresql') {
    return knex.transaction(trx => body(trx, undefined));
  }
  // knex types its clients' connections as `any`; with the pg client this
  // is a node-postgres Client.
  const connection: PgConnection = await knex.client.acquireConnection();
  try {
    return await knex.transaction(trx => body(trx, connection), {
      connection,
    });
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
