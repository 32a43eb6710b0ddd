// @ts-check

/**
 * Whether the server understands `UNIQUE NULLS NOT DISTINCT` (PostgreSQL 15+).
 *
 * @param {import('knex').Knex} knex
 */
async function supportsNullsNotDistinct(knex) {
  if (knex.client.dialect !== 'postgresql') {
    return false;
  }
  const result = await knex.raw('SHOW server_version_num');
  return Number(result.rows[0].server_version_num) >= 150000;
}

/**
 * The LTA datasets: monthly new car registrations, COE bidding results and
 * the prevailing quota premium, plus the checksum of each ingested CSV.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('cars', table => {
    table.comment('Monthly new car registrations by make (LTA M03)');
    table.string('month', 7).notNullable().comment('YYYY-MM');
    table.string('make', 255).notNullable().comment('Upper case, no dots');
    table
      .string('importer_type', 32)
      .nullable()
      .comment('AMD or PI from 2023-01; NULL before');
    table.string('fuel_type', 64).notNullable();
    table.string('vehicle_type', 64).notNullable();
    table.integer('number').notNullable();
  });
  // importer_type is NULL for every row before 2023-01, and those rows must
  // still collide on re-runs: NULL has to count as equal in the unique key.
  if (await supportsNullsNotDistinct(knex)) {
    await knex.raw(
      'ALTER TABLE cars ADD CONSTRAINT cars_registration_key UNIQUE NULLS NOT DISTINCT (month, make, importer_type, fuel_type, vehicle_type)',
    );
  } else {
    // SQLite (and PostgreSQL before 15): an expression index folds NULL into
    // '' for the key only; the column keeps NULL. The cleaner never stores ''.
    await knex.raw(
      "CREATE UNIQUE INDEX cars_registration_key ON cars (month, make, COALESCE(importer_type, ''), fuel_type, vehicle_type)",
    );
  }

  await knex.schema.createTable('coe', table => {
    table.comment('COE bidding results, two exercises a month (LTA M11)');
    table.string('month', 7).notNullable().comment('YYYY-MM');
    table
      .integer('bidding_no')
      .notNullable()
      .comment('1 or 2: the exercise within the month');
    table.string('vehicle_class', 64).notNullable();
    table.integer('quota').notNullable();
    table.integer('bids_success').notNullable();
    table.integer('bids_received').notNullable();
    table.integer('premium').notNullable();
    table.primary(['month', 'bidding_no', 'vehicle_class'], 'coe_exercise_key');
  });

  await knex.schema.createTable('pqp', table => {
    table.comment('Prevailing quota premium per category and month (LTA M11)');
    table.string('month', 7).notNullable().comment('YYYY-MM');
    table.string('vehicle_class', 64).notNullable();
    table
      .integer('pqp')
      .notNullable()
      .comment('Updated in place when LTA corrects a value');
    table.primary(['month', 'vehicle_class'], 'pqp_month_class_key');
  });

  await knex.schema.createTable('sgcarstrends_checksums', table => {
    table.comment('SHA-256 of the last CSV ingested, per CSV file name');
    table.string('file_name', 255).primary().notNullable();
    table.string('checksum', 64).notNullable().comment('Lower-case hex');
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sgcarstrends_checksums');
  await knex.schema.dropTable('pqp');
  await knex.schema.dropTable('coe');
  await knex.schema.dropTable('cars');
};
