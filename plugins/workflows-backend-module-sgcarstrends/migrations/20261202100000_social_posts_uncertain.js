// @ts-check

const TABLE = 'sgcarstrends_social_posts';
const STATUS_INDEX = 'sgcarstrends_social_posts_status_idx';

/**
 * Posts whose outcome is unknown become "uncertain" until an operator
 * resolves them: the reason, and who resolved it how and when. The former
 * "unconfirmed" status (a 2xx without a post id) is one such case.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(TABLE, table => {
    table
      .text('outcome_reason')
      .nullable()
      .comment('Why the outcome is uncertain, or how it was settled');
    table
      .string('resolution', 32)
      .nullable()
      .comment('marked-posted, posted-again or found-on-platform');
    table
      .string('resolved_by', 255)
      .nullable()
      .comment('User entity ref or service subject that resolved it');
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.index(['status'], STATUS_INDEX);
  });
  await knex(TABLE).where({ status: 'unconfirmed' }).update({
    status: 'uncertain',
    outcome_reason:
      'The platform accepted the post but returned no post id, so whether it is public is unknown',
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // The old code knew no "uncertain": the nearest is "unconfirmed" (not posted again).
  await knex(TABLE)
    .where({ status: 'uncertain' })
    .update({ status: 'unconfirmed' });
  await knex.schema.alterTable(TABLE, table => {
    table.dropIndex(['status'], STATUS_INDEX);
    table.dropColumn('resolved_at');
    table.dropColumn('resolved_by');
    table.dropColumn('resolution');
    table.dropColumn('outcome_reason');
  });
};
