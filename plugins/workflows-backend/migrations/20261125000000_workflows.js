// @ts-check

/**
 * The workflows the portal knows: runners hosted by this backend and
 * workflows hosted elsewhere that are tracked by their URL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('workflows', table => {
    table.comment('Workflows known to the portal, keyed by a stable id');
    table.string('id', 128).primary().notNullable();
    table.string('title', 255).notNullable();
    table.text('description').notNullable().defaultTo('');
    table.string('owner', 255).notNullable();
    table
      .string('source', 16)
      .notNullable()
      .comment('runner (hosted here) or config (tracked by URL)');
    table.text('endpoint').notNullable().comment('The URL QStash delivers to');
    table.string('schedule_cron', 255).nullable();
    table.string('schedule_timezone', 64).nullable();
    table
      .text('required_env')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of env var names, never values');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('workflows');
};
