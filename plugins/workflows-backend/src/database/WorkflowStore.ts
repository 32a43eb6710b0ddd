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

/** Reads and writes the `workflows` table. */
export class WorkflowStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes the table match the registered definitions: inserts new ones,
   * updates changed ones and removes those no longer registered.
   */
  async replaceAll(definitions: WorkflowDefinitionRow[]): Promise<void> {
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
    const rows = await this.db<DbWorkflowRow>('workflows').orderBy('title');
    return rows.map(toSummary);
  }

  async get(id: string): Promise<WorkflowSummary | undefined> {
    const row = await this.db<DbWorkflowRow>('workflows').where({ id }).first();
    return row ? toSummary(row) : undefined;
  }

  /** A cheap round trip, for the health endpoint. */
  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}
