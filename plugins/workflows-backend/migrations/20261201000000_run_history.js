// @ts-check

/**
 * Run history beyond QStash's retention: runs of every known workflow (synced
 * from QStash's workflow logs and written by the runner journal), their steps
 * as QStash reports them, and where each workflow's sync stands.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('workflow_runs', table => {
    table.string('label', 128).nullable();
    table
      .string('dlq_id', 255)
      .nullable()
      .comment('The dead letter queue entry while the failed run is in it');
    table.bigInteger('duration_ms').nullable();
    table.integer('step_count').notNullable().defaultTo(0);
    table
      .timestamp('updated_at', { useTz: true })
      .nullable()
      .comment('Last change by the journal, the sync or an operator');
    table
      .string('qstash_fingerprint', 64)
      .nullable()
      .comment(
        'Hash of the run as QStash last reported it: unchanged runs are skipped',
      );
  });
  await knex('workflow_runs').update({ updated_at: knex.ref('started_at') });

  await knex.schema.alterTable('workflow_runs', table => {
    // Paging is by (started_at, run_id) descending, optionally per workflow/status.
    table.index(['started_at', 'run_id'], 'workflow_runs_started_idx');
    table.index(
      ['workflow_id', 'started_at', 'run_id'],
      'workflow_runs_workflow_started_idx',
    );
    table.index(
      ['status', 'started_at', 'run_id'],
      'workflow_runs_status_started_idx',
    );
    table.index(['label'], 'workflow_runs_label_idx');
    table.index(
      ['workflow_id', 'finished_at'],
      'workflow_runs_workflow_finished_idx',
    );
  });

  await knex.schema.createTable('workflow_run_steps', table => {
    table.comment('Steps of a run as the QStash workflow logs report them');
    table.string('run_id', 255).notNullable();
    table
      .integer('position')
      .notNullable()
      .comment('QStash stepId; frontier steps follow the last one');
    table
      .string('group_kind', 16)
      .notNullable()
      .comment('sequential, parallel or next');
    table.integer('group_index').notNullable();
    table.string('name', 255).notNullable();
    table.string('type', 32).notNullable();
    table.string('state', 16).notNullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.bigInteger('duration_ms').nullable();
    table.text('output').nullable();
    table.text('error').nullable();
    table.primary(['run_id', 'position']);
    table.index(['name', 'run_id'], 'workflow_run_steps_name_idx');
  });

  await knex.schema.alterTable('workflow_step_events', table => {
    table.index(['step_name', 'run_id'], 'workflow_step_events_name_idx');
  });

  await knex.schema.createTable('workflow_sync_state', table => {
    table.comment(
      'Where the sync of each workflow with the QStash logs stands',
    );
    table.string('workflow_id', 128).primary().notNullable();
    table
      .bigInteger('newest_created_at')
      .nullable()
      .comment('Creation time (ms) of the newest run seen so far');
    table.timestamp('last_synced_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('workflow_sync_state');
  await knex.schema.alterTable('workflow_step_events', table => {
    table.dropIndex(['step_name', 'run_id'], 'workflow_step_events_name_idx');
  });
  await knex.schema.dropTable('workflow_run_steps');
  await knex.schema.alterTable('workflow_runs', table => {
    table.dropIndex(['started_at', 'run_id'], 'workflow_runs_started_idx');
    table.dropIndex(
      ['workflow_id', 'started_at', 'run_id'],
      'workflow_runs_workflow_started_idx',
    );
    table.dropIndex(
      ['status', 'started_at', 'run_id'],
      'workflow_runs_status_started_idx',
    );
    table.dropIndex(['label'], 'workflow_runs_label_idx');
    table.dropIndex(
      ['workflow_id', 'finished_at'],
      'workflow_runs_workflow_finished_idx',
    );
    table.dropColumns(
      'label',
      'dlq_id',
      'duration_ms',
      'step_count',
      'updated_at',
      'qstash_fingerprint',
    );
  });
};
