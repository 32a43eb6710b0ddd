// @ts-check

/**
 * Schedule definitions as the portal last wrote them: QStash does not
 * return the timeout (and may redact body and headers), so a later edit
 * re-sends these instead of dropping them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('workflow_schedule_definitions', table => {
    table.comment(
      'The definition of each QStash schedule as the portal last wrote it',
    );
    table.string('schedule_id', 255).primary().notNullable();
    table.text('destination').notNullable();
    table.string('method', 16).notNullable();
    table.string('cron', 255).notNullable().comment('Five fields, no zone');
    table.string('timezone', 64).notNullable();
    table.text('body').nullable();
    table
      .text('headers')
      .notNullable()
      .comment('JSON object of the headers the destination receives');
    table
      .integer('retries')
      .nullable()
      .comment('Null when QStash applies its default');
    table
      .integer('timeout_seconds')
      .nullable()
      .comment('Null when QStash applies the plan default');
    table.text('callback').nullable();
    table.text('failure_callback').nullable();
    table
      .string('qstash_fingerprint', 64)
      .notNullable()
      .comment(
        'Hash of the definition as QStash showed it right after the write',
      );
    table.timestamp('written_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('workflow_schedule_definitions');
};
