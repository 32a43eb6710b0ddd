// @ts-check

/**
 * Runs of hosted runners and the journal of their steps, written as the
 * steps execute (QStash keeps its own logs only for a while).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('workflow_runs', table => {
    table.comment('One row per workflow run seen by this backend');
    table.string('run_id', 255).primary().notNullable();
    table.string('workflow_id', 128).notNullable().index();
    table
      .string('status', 16)
      .notNullable()
      .comment('running, succeeded or failed');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('failed_step', 255).nullable();
    table.text('error').nullable();
  });

  await knex.schema.createTable('workflow_step_events', table => {
    table.comment('One row per execution attempt of a workflow step');
    table.bigIncrements('id').primary();
    table.string('run_id', 255).notNullable().index();
    table.string('workflow_id', 128).notNullable();
    table.string('step_name', 255).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('running, succeeded or failed');
    table.integer('attempt').notNullable().defaultTo(0);
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('duration_ms').nullable();
    table.text('output_summary').nullable();
    table.text('error_message').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('workflow_step_events');
  await knex.schema.dropTable('workflow_runs');
};
