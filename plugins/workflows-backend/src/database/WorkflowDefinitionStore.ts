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

/** The workflows the portal knows: hosted runners and tracked URLs. */
export interface WorkflowDefinitionStore {
  /**
   * Makes the stored set match the registered definitions: inserts new ones,
   * updates changed ones and removes those no longer registered.
   */
  replaceAll(definitions: WorkflowDefinitionRow[]): Promise<void>;
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
      const stale = tx<DbWorkflowRow>('workflows');
      if (ids.length > 0) {
        stale.whereNotIn('id', ids);
      }
      await stale.delete();

      for (const def of definitions) {
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
    });
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
