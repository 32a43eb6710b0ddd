import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import type {
  WorkflowSource,
  WorkflowSummary,
} from '@internal/plugin-workflows-common';

/** What the registry knows about a workflow before it is stored. */
export interface WorkflowDefinitionRow {
  id: string;
  title: string;
  description: string;
  owner: string;
  source: WorkflowSource;
  endpoint: string;
  schedule: { cron: string; timezone: string } | null;
  requiredEnv: string[];
}

interface DbWorkflowRow {
  id: string;
  title: string;
  description: string;
  owner: string;
  source: string;
  endpoint: string;
  schedule_cron: string | null;
  schedule_timezone: string | null;
  required_env: string;
  created_at: Date | string;
  updated_at: Date | string;
}

function toIso(value: Date | string): string {
  // SQLite hands timestamps back as strings or epoch numbers, PostgreSQL as Dates.
  const date = value instanceof Date ? value : new Date(value);
  return date.toISOString();
}

function toSummary(row: DbWorkflowRow): WorkflowSummary {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    owner: row.owner,
    source: row.source as WorkflowSource,
    endpoint: row.endpoint,
    schedule:
      row.schedule_cron !== null
        ? { cron: row.schedule_cron, timezone: row.schedule_timezone ?? 'UTC' }
        : null,
    requiredEnv: JSON.parse(row.required_env) as string[],
    updatedAt: toIso(row.updated_at),
  };
}

function sameDefinition(
  stored: WorkflowSummary,
  def: WorkflowDefinitionRow,
): boolean {
  return (
    stored.title === def.title &&
    stored.description === def.description &&
    stored.owner === def.owner &&
    stored.source === def.source &&
    stored.endpoint === def.endpoint &&
    stored.schedule?.cron === def.schedule?.cron &&
    stored.schedule?.timezone === def.schedule?.timezone &&
    JSON.stringify(stored.requiredEnv) === JSON.stringify(def.requiredEnv)
  );
}

async function upsert(
  tx: Knex.Transaction,
  def: WorkflowDefinitionRow,
  now: Date,
): Promise<void> {
  await tx<DbWorkflowRow>('workflows')
    .insert({
      id: def.id,
      title: def.title,
      description: def.description,
      owner: def.owner,
      source: def.source,
      endpoint: def.endpoint,
      schedule_cron: def.schedule?.cron ?? null,
      schedule_timezone: def.schedule?.timezone ?? null,
      required_env: JSON.stringify(def.requiredEnv),
      created_at: now,
      updated_at: now,
    })
    .onConflict('id')
    .merge([
      'title',
      'description',
      'owner',
      'source',
      'endpoint',
      'schedule_cron',
      'schedule_timezone',
      'required_env',
      'updated_at',
    ]);
}

/** The workflows the portal knows: hosted runners, tracked and registered URLs. */
export interface WorkflowDefinitionStore {
  /**
   * Makes the stored set match the definitions of this start-up (runners and
   * config): inserts new ones, updates changed ones and removes those gone.
   * Workflows registered through the API stay, unless a definition now has
   * the same id: the runner or config one wins.
   */
  replaceAll(definitions: WorkflowDefinitionRow[]): Promise<void>;
  /**
   * Inserts or updates a registered workflow. Throws a ConflictError when a
   * runner or config workflow has the id. `changed` is false when the stored
   * registration was the same already.
   */
  register(
    definition: Omit<WorkflowDefinitionRow, 'source'>,
  ): Promise<{ workflow: WorkflowSummary; changed: boolean }>;
  /**
   * Removes a registered workflow; false when there was none. Throws a
   * ConflictError for a runner or config workflow.
   */
  unregister(id: string): Promise<boolean>;
  list(): Promise<WorkflowSummary[]>;
  get(id: string): Promise<WorkflowSummary | undefined>;
  /** A cheap round trip, for the health endpoint. */
  ping(): Promise<void>;
}

/**
 * The set changes only when a backend starts and registers its own, and
 * every API request reads it: a read is kept for a few seconds.
 */
const LIST_TTL_MS = 5_000;

/** The `workflows` table. */
export class KnexWorkflowDefinitionStore implements WorkflowDefinitionStore {
  private cached: { at: number; list: Promise<WorkflowSummary[]> } | undefined;

  constructor(private readonly db: Knex) {}

  async replaceAll(definitions: WorkflowDefinitionRow[]): Promise<void> {
    this.cached = undefined;
    const now = new Date();
    await this.db.transaction(async tx => {
      const ids = definitions.map(d => d.id);
      // Registrations are not part of any start-up's set: they stay.
      const stale = tx<DbWorkflowRow>('workflows').whereNot(
        'source',
        'registered' satisfies WorkflowSource,
      );
      if (ids.length > 0) {
        stale.whereNotIn('id', ids);
      }
      await stale.delete();

      for (const def of definitions) {
        await upsert(tx, def, now);
      }
    });
  }

  async register(
    definition: Omit<WorkflowDefinitionRow, 'source'>,
  ): Promise<{ workflow: WorkflowSummary; changed: boolean }> {
    this.cached = undefined;
    const def: WorkflowDefinitionRow = { ...definition, source: 'registered' };
    const result = await this.db.transaction(async tx => {
      const existing = await tx<DbWorkflowRow>('workflows')
        .where('id', def.id)
        .first();
      if (existing && existing.source !== 'registered') {
        throw new ConflictError(
          `Workflow "${def.id}" comes from the ${
            existing.source === 'runner' ? 'backend' : 'config'
          } and cannot be registered over`,
        );
      }
      const changed = !existing || !sameDefinition(toSummary(existing), def);
      if (changed) await upsert(tx, def, new Date());
      const row = await tx<DbWorkflowRow>('workflows')
        .where('id', def.id)
        .first();
      return { workflow: toSummary(row!), changed };
    });
    this.cached = undefined;
    return result;
  }

  async unregister(id: string): Promise<boolean> {
    this.cached = undefined;
    const removed = await this.db.transaction(async tx => {
      const existing = await tx<DbWorkflowRow>('workflows')
        .where('id', id)
        .first();
      if (!existing) return false;
      if (existing.source !== 'registered') {
        throw new ConflictError(
          `Workflow "${id}" comes from the ${
            existing.source === 'runner' ? 'backend' : 'config'
          } and was not registered through the API`,
        );
      }
      await tx<DbWorkflowRow>('workflows').where('id', id).delete();
      return true;
    });
    this.cached = undefined;
    return removed;
  }

  async list(): Promise<WorkflowSummary[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > LIST_TTL_MS) {
      const list = this.db<DbWorkflowRow>('workflows')
        .orderBy('title')
        .then(rows => rows.map(toSummary));
      this.cached = { at: now, list };
      list.catch(() => {
        this.cached = undefined;
      });
    }
    return this.cached.list;
  }

  async get(id: string): Promise<WorkflowSummary | undefined> {
    return (await this.list()).find(w => w.id === id);
  }

  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}
