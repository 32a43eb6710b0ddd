// @ts-check

/**
 * The post-once ledger: one row per (platform, dataset, period) so a retried
 * or replayed workflow step never posts the same results twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('sgcarstrends_social_posts', table => {
    table.comment(
      'Social posts made (or claimed, or rehearsed) per platform, dataset and period',
    );
    table.increments('id').primary();
    table
      .string('platform', 32)
      .notNullable()
      .comment('discord, telegram, linkedin or twitter');
    table.string('dataset', 32).notNullable().comment('cars or coe');
    table
      .string('period', 32)
      .notNullable()
      .comment('YYYY-MM for cars, YYYY-MM#<bidding no> for COE');
    table
      .string('status', 16)
      .notNullable()
      .comment(
        'pending (claimed, outcome not yet recorded), posted, unconfirmed (accepted but no post id) or dry-run',
      );
    table
      .string('attempt_id', 64)
      .notNullable()
      .comment('Random id of the attempt that wrote the row');
    table.string('post_id', 255).nullable().comment("The platform's post id");
    table.text('post_url').nullable();
    table.text('message_text').notNullable();
    table.boolean('dry_run').notNullable().defaultTo(false);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['platform', 'dataset', 'period'], {
      indexName: 'sgcarstrends_social_posts_once_idx',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sgcarstrends_social_posts');
};
