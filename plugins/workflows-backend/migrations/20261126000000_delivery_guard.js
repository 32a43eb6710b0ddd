// @ts-check

/**
 * What the runner endpoints remember so that a delivery is executed once:
 * the signature tokens already accepted (a replayed token is refused) and the
 * steps currently executing (a duplicate delivery of one is not executed).
 * Shared by every replica through the plugin database.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('workflow_delivery_tokens', table => {
    table.comment(
      'Upstash-Signature token ids already accepted, kept until the token expires',
    );
    table.string('jti', 255).primary().notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .index()
      .comment('The token exp claim; the row may be pruned after it');
  });

  await knex.schema.createTable('workflow_step_leases', table => {
    table.comment('Steps of workflow runs that a delivery is executing now');
    table.string('run_id', 255).notNullable();
    table
      .string('step_key', 255)
      .notNullable()
      .comment('Which delivery of the run: finished step count and last step');
    table
      .string('holder', 64)
      .notNullable()
      .comment('Random id of the delivery holding the lease');
    table.timestamp('expires_at', { useTz: true }).notNullable().index();
    table.primary(['run_id', 'step_key']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('workflow_step_leases');
  await knex.schema.dropTable('workflow_delivery_tokens');
};
