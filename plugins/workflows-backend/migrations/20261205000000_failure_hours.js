// @ts-check

/**
 * Failure counts per group and hour, kept by triggers on the two tables the
 * triage counts: the triage then reads a few thousand rows for a week of
 * failures instead of every failed run. Triggers rather than application
 * code, so every writer (run sync, runner journal, DLQ mirror, retention,
 * bulk loads) keeps the counts right without knowing of them.
 *
 * A failed run with a group counts once in `failures` at the hour of
 * `failed_at_ms`. A dead letter entry with a group counts in `failures` when
 * its run is not in workflow_runs (`run_known` false) and in `in_dlq` while
 * its state is `in-dlq`, both at the hour of `created_at_ms`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('workflow_failure_hours', table => {
    table.comment(
      'Failures per failure group and hour, kept by triggers on workflow_runs and workflow_dlq_entries',
    );
    table.string('failure_group', 16).notNullable();
    table.bigInteger('hour_ms').notNullable().comment('Start of the hour (ms)');
    table.string('workflow_id', 128).nullable();
    table
      .integer('failures')
      .notNullable()
      .defaultTo(0)
      .comment('Failed runs, plus dead letter entries whose run is not here');
    table
      .integer('in_dlq')
      .notNullable()
      .defaultTo(0)
      .comment('Dead letter entries still in a DLQ');
    table.primary(['failure_group', 'hour_ms']);
  });
  await knex.schema.createTable('workflow_failure_version', table => {
    table.comment(
      'One row: bumped by the same triggers on every change the triage counts, so a computed triage can be reused until it moves',
    );
    table.integer('id').primary().notNullable();
    table.bigInteger('version').notNullable();
  });
  await knex('workflow_failure_version').insert({ id: 1, version: 0 });

  const pg = knex.client.config.client === 'pg';
  // A window's hours are read from the index alone (PostgreSQL), or at least
  // found through it (SQLite, which has no INCLUDE).
  await knex.raw(
    pg
      ? `CREATE INDEX workflow_failure_hours_hour_idx ON workflow_failure_hours
         (hour_ms) INCLUDE (failure_group, workflow_id, failures, in_dlq)`
      : `CREATE INDEX workflow_failure_hours_hour_idx ON workflow_failure_hours
         (hour_ms, workflow_id)`,
  );
  // A group's details read its entries without a run, and those still in a
  // DLQ: the group index alone walks every entry of the group.
  await knex.raw(
    `CREATE INDEX workflow_dlq_orphan_idx ON workflow_dlq_entries
     (failure_group, created_at_ms) WHERE ${
       pg ? 'NOT run_known' : 'run_known = 0'
     }`,
  );
  await knex.raw(
    `CREATE INDEX workflow_dlq_in_dlq_idx ON workflow_dlq_entries
     (failure_group, created_at_ms${pg ? ') INCLUDE (dlq_id' : ', dlq_id'})
     WHERE state = 'in-dlq'`,
  );

  if (pg) {
    await createPostgresTriggers(knex);
  } else {
    await createSqliteTriggers(knex);
  }

  // The counts of what is already stored.
  await knex.raw(`
    INSERT INTO workflow_failure_hours (failure_group, hour_ms, workflow_id, failures, in_dlq)
    SELECT failure_group, hour_ms, max(workflow_id), sum(failures), sum(in_dlq)
    FROM (
      SELECT failure_group, failed_at_ms - failed_at_ms % 3600000 AS hour_ms,
        workflow_id, 1 AS failures, 0 AS in_dlq
      FROM workflow_runs
      WHERE failure_group IS NOT NULL AND failed_at_ms IS NOT NULL
      UNION ALL
      SELECT failure_group, created_at_ms - created_at_ms % 3600000 AS hour_ms,
        workflow_id,
        CASE WHEN run_known THEN 0 ELSE 1 END,
        CASE WHEN state = 'in-dlq' THEN 1 ELSE 0 END
      FROM workflow_dlq_entries
      WHERE failure_group IS NOT NULL
    ) AS counted
    GROUP BY failure_group, hour_ms
  `);
};

/**
 * PostgreSQL: statement-level triggers over the transition tables, so that a
 * statement writing thousands of rows (a sync pass, retention, a bulk load)
 * changes each hour's row and the version once, not once per row.
 *
 * @param {import('knex').Knex} knex
 */
async function createPostgresTriggers(knex) {
  const runsCounted = (
    /** @type {string} */ rows,
    /** @type {string} */ sign,
  ) => `
    SELECT failure_group, failed_at_ms - failed_at_ms % 3600000 AS hour_ms,
      workflow_id, ${sign}1 AS failures, 0 AS in_dlq
    FROM ${rows} WHERE failure_group IS NOT NULL AND failed_at_ms IS NOT NULL`;
  const dlqCounted = (
    /** @type {string} */ rows,
    /** @type {string} */ sign,
  ) => `
    SELECT failure_group, created_at_ms - created_at_ms % 3600000 AS hour_ms,
      workflow_id,
      ${sign}(CASE WHEN run_known THEN 0 ELSE 1 END) AS failures,
      ${sign}(CASE WHEN state = 'in-dlq' THEN 1 ELSE 0 END) AS in_dlq
    FROM ${rows} WHERE failure_group IS NOT NULL`;
  // Adds the statement's net change per group and hour, and moves the
  // version when anything changed.
  const apply = (/** @type {string} */ counted) => `
    WITH delta AS (
      SELECT failure_group, hour_ms, max(workflow_id) AS workflow_id,
        sum(failures) AS failures, sum(in_dlq) AS in_dlq
      FROM (${counted}) AS counted
      GROUP BY failure_group, hour_ms
      HAVING sum(failures) <> 0 OR sum(in_dlq) <> 0
    ), applied AS (
      INSERT INTO workflow_failure_hours AS h
        (failure_group, hour_ms, workflow_id, failures, in_dlq)
      SELECT failure_group, hour_ms, workflow_id, failures, in_dlq FROM delta
      ON CONFLICT (failure_group, hour_ms) DO UPDATE
        SET failures = h.failures + EXCLUDED.failures,
            in_dlq = h.in_dlq + EXCLUDED.in_dlq
      RETURNING 1
    )
    UPDATE workflow_failure_version SET version = version + 1
    WHERE id = 1 AND EXISTS (SELECT 1 FROM applied);`;
  const tables = [
    { table: 'workflow_runs', name: 'runs', counted: runsCounted },
    { table: 'workflow_dlq_entries', name: 'dlq', counted: dlqCounted },
  ];
  for (const { table, name, counted } of tables) {
    const changes = {
      insert: {
        referencing: 'NEW TABLE AS new_rows',
        counted: counted('new_rows', ''),
      },
      delete: {
        referencing: 'OLD TABLE AS old_rows',
        counted: counted('old_rows', '-'),
      },
      update: {
        referencing: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
        counted: `${counted('old_rows', '-')} UNION ALL ${counted(
          'new_rows',
          '',
        )}`,
      },
    };
    for (const [operation, change] of Object.entries(changes)) {
      const fn = `workflow_failure_hours_${name}_${operation}`;
      await knex.raw(`
        CREATE FUNCTION ${fn}() RETURNS trigger AS $$
        BEGIN
          ${apply(change.counted)}
          RETURN NULL;
        END
        $$ LANGUAGE plpgsql`);
      // Transition tables allow no column list: every update statement
      // fires, and one that leaves the counted columns alone nets to nothing.
      await knex.raw(`
        CREATE TRIGGER ${fn} AFTER ${operation.toUpperCase()} ON ${table}
        REFERENCING ${change.referencing}
        FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    }
  }
}

/**
 * SQLite has no trigger functions: each trigger spells out its change.
 *
 * @param {import('knex').Knex} knex
 */
async function createSqliteTriggers(knex) {
  const bump =
    'UPDATE workflow_failure_version SET version = version + 1 WHERE id = 1;';
  const add = (/** @type {string} */ row, sign = '') => `
    INSERT INTO workflow_failure_hours (failure_group, hour_ms, workflow_id, failures, in_dlq)
    VALUES (${row}.failure_group, ${row}.created_at_ms - ${row}.created_at_ms % 3600000,
      ${row}.workflow_id,
      ${sign}(CASE WHEN ${row}.run_known THEN 0 ELSE 1 END),
      ${sign}(CASE WHEN ${row}.state = 'in-dlq' THEN 1 ELSE 0 END))
    ON CONFLICT (failure_group, hour_ms) DO UPDATE
      SET failures = failures + excluded.failures, in_dlq = in_dlq + excluded.in_dlq;
    ${bump}`;
  const addRun = (/** @type {string} */ row, delta = 1) => `
    INSERT INTO workflow_failure_hours (failure_group, hour_ms, workflow_id, failures, in_dlq)
    VALUES (${row}.failure_group, ${row}.failed_at_ms - ${row}.failed_at_ms % 3600000,
      ${row}.workflow_id, ${delta}, 0)
    ON CONFLICT (failure_group, hour_ms) DO UPDATE
      SET failures = failures + excluded.failures;
    ${bump}`;
  const counted = (/** @type {string} */ row) =>
    `${row}.failure_group IS NOT NULL AND ${row}.failed_at_ms IS NOT NULL`;

  await knex.raw(`
    CREATE TRIGGER workflow_failure_hours_runs_insert AFTER INSERT ON workflow_runs
    WHEN ${counted('NEW')}
    BEGIN ${addRun('NEW')} END`);
  await knex.raw(`
    CREATE TRIGGER workflow_failure_hours_runs_delete AFTER DELETE ON workflow_runs
    WHEN ${counted('OLD')}
    BEGIN ${addRun('OLD', -1)} END`);
  // Two triggers per update, as SQLite allows no IF inside one.
  await knex.raw(`
    CREATE TRIGGER workflow_failure_hours_runs_update_old
    AFTER UPDATE OF failure_group, failed_at_ms ON workflow_runs
    WHEN ${counted('OLD')} AND (OLD.failure_group IS NOT NEW.failure_group
      OR OLD.failed_at_ms IS NOT NEW.failed_at_ms)
    BEGIN ${addRun('OLD', -1)} END`);
  await knex.raw(`
    CREATE TRIGGER workflow_failure_hours_runs_update_new
    AFTER UPDATE OF failure_group, failed_at_ms ON workflow_runs
    WHEN ${counted('NEW')} AND (OLD.failure_group IS NOT NEW.failure_group
      OR OLD.failed_at_ms IS NOT NEW.failed_at_ms)
    BEGIN ${addRun('NEW')} END`);

  const dlqChanged = `(OLD.failure_group IS NOT NEW.failure_group
      OR OLD.created_at_ms IS NOT NEW.created_at_ms
      OR OLD.run_known IS NOT NEW.run_known
      OR OLD.state IS NOT NEW.state)`;
  await knex.raw(`
    CREATE TRIGGER workflow_failure_hours_dlq_insert AFTER INSERT ON workflow_dlq_entries
    WHEN NEW.failure_group IS NOT NULL
    BEGIN ${add('NEW')} END`);
  await knex.raw(`
    CREATE TRIGGER workflow_failure_hours_dlq_delete AFTER DELETE ON workflow_dlq_entries
    WHEN OLD.failure_group IS NOT NULL
    BEGIN ${add('OLD', '-')} END`);
  await knex.raw(`
    CREATE TRIGGER workflow_failure_hours_dlq_update_old
    AFTER UPDATE OF failure_group, created_at_ms, run_known, state ON workflow_dlq_entries
    WHEN OLD.failure_group IS NOT NULL AND ${dlqChanged}
    BEGIN ${add('OLD', '-')} END`);
  await knex.raw(`
    CREATE TRIGGER workflow_failure_hours_dlq_update_new
    AFTER UPDATE OF failure_group, created_at_ms, run_known, state ON workflow_dlq_entries
    WHEN NEW.failure_group IS NOT NULL AND ${dlqChanged}
    BEGIN ${add('NEW')} END`);
}

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    for (const [name, table] of [
      ['runs', 'workflow_runs'],
      ['dlq', 'workflow_dlq_entries'],
    ]) {
      for (const operation of ['insert', 'delete', 'update']) {
        const fn = `workflow_failure_hours_${name}_${operation}`;
        await knex.raw(`DROP TRIGGER ${fn} ON ${table}`);
        await knex.raw(`DROP FUNCTION ${fn}()`);
      }
    }
  } else {
    for (const name of [
      'runs_insert',
      'runs_delete',
      'runs_update_old',
      'runs_update_new',
      'dlq_insert',
      'dlq_delete',
      'dlq_update_old',
      'dlq_update_new',
    ]) {
      await knex.raw(`DROP TRIGGER workflow_failure_hours_${name}`);
    }
  }
  await knex.raw('DROP INDEX workflow_dlq_in_dlq_idx');
  await knex.raw('DROP INDEX workflow_dlq_orphan_idx');
  await knex.schema.dropTable('workflow_failure_version');
  await knex.schema.dropTable('workflow_failure_hours');
};
