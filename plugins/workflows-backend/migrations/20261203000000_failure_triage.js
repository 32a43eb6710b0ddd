// @ts-check

/**
 * Failure triage: failed runs carry their group (workflow, failing step,
 * error signature) and failure time, and both dead letter queues are mirrored
 * with what became of each entry.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('workflow_runs', table => {
    table
      .bigInteger('failed_at_ms')
      .nullable()
      .comment('When a failed run failed (ms); null unless the run failed');
    table
      .string('failure_group', 16)
      .nullable()
      .comment('Hash of workflow, failing step and error signature');
    table
      .text('error_signature')
      .nullable()
      .comment('The error with volatile parts masked');
  });
  await knex.schema.alterTable('workflow_runs', table => {
    // Triage reads failures of a window, grouped; the group index serves a group's runs.
    table.index(
      ['failed_at_ms', 'failure_group', 'workflow_id'],
      'workflow_runs_failed_idx',
      {
        predicate: knex.whereNotNull('failed_at_ms'),
      },
    );
    table.index(
      ['failure_group', 'failed_at_ms'],
      'workflow_runs_failure_group_idx',
      { predicate: knex.whereNotNull('failure_group') },
    );
  });

  await knex.schema.createTable('workflow_dlq_entries', table => {
    table.comment(
      'Entries of the QStash message and workflow dead letter queues, and what became of them',
    );
    table.string('dlq_id', 255).primary().notNullable();
    table.string('source', 16).notNullable().comment('workflow or message');
    table.string('workflow_id', 128).nullable();
    table.string('run_id', 255).nullable();
    table.string('message_id', 255).nullable();
    table.text('url').nullable();
    table
      .bigInteger('created_at_ms')
      .notNullable()
      .comment('When the entry entered the DLQ (ms)');
    table.integer('response_status').nullable();
    table.string('failed_step', 255).nullable();
    table.text('error').notNullable();
    table.string('failure_group', 16).nullable();
    table
      .boolean('run_known')
      .notNullable()
      .defaultTo(false)
      .comment(
        'True when its run is in workflow_runs: then the run is counted, not the entry',
      );
    table
      .string('state', 16)
      .notNullable()
      .defaultTo('in-dlq')
      .comment('in-dlq, resumed, restarted, retried, deleted or gone');
    table.timestamp('left_at', { useTz: true }).nullable();
    table
      .string('resolved_run_id', 255)
      .nullable()
      .comment('The run a resume or restart started');
    table
      .bigInteger('last_listed_ms')
      .notNullable()
      .comment('Last time a full listing of the DLQ showed the entry');
    table.index(['failure_group', 'created_at_ms'], 'workflow_dlq_group_idx');
    table.index(['created_at_ms'], 'workflow_dlq_created_idx');
    table.index(['run_id'], 'workflow_dlq_run_idx');
  });

  await knex.schema.createTable('workflow_dlq_sync_state', table => {
    table.comment('Where the mirror of each dead letter queue stands');
    table.string('source', 16).primary().notNullable();
    table
      .bigInteger('newest_created_at_ms')
      .nullable()
      .comment('Creation time of the newest entry seen');
    table.timestamp('last_synced_at', { useTz: true }).nullable();
    table
      .timestamp('last_full_listing_at', { useTz: true })
      .nullable()
      .comment(
        'Last listing of the whole queue, which finds entries that left it',
      );
    table.text('last_error').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('workflow_dlq_sync_state');
  await knex.schema.dropTable('workflow_dlq_entries');
  await knex.schema.alterTable('workflow_runs', table => {
    table.dropIndex(
      ['failed_at_ms', 'failure_group', 'workflow_id'],
      'workflow_runs_failed_idx',
    );
    table.dropIndex(
      ['failure_group', 'failed_at_ms'],
      'workflow_runs_failure_group_idx',
    );
    table.dropColumns('failed_at_ms', 'failure_group', 'error_signature');
  });
};
