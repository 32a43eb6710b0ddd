import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import type { WorkflowOverview } from '@internal/plugin-workflows-common';

export function aWorkflow(
  overrides: Partial<WorkflowOverview> = {},
): WorkflowOverview {
  return {
    id: 'cars',
    title: 'Car registrations update',
    description: 'Monthly new registrations by make',
    owner: 'group:default/platform',
    source: 'runner',
    endpoint: 'http://localhost:7007/api/workflows/runners/cars',
    schedule: { cron: '*/60 0-10 * * 1-5', timezone: 'UTC' },
    requiredEnv: ['QSTASH_TOKEN'],
    updatedAt: '2026-11-25T00:00:00.000Z',
    stats: {
      lastRun: null,
      nextRunAt: null,
      runs7d: 0,
      successRate7d: null,
      p50DurationMs7d: null,
    },
    ...overrides,
  };
}

/** A catalog connection that records what the provider hands it. */
export class RecordingConnection implements EntityProviderConnection {
  readonly mutations: EntityProviderMutation[] = [];

  async applyMutation(mutation: EntityProviderMutation): Promise<void> {
    this.mutations.push(mutation);
  }

  async refresh(): Promise<void> {}

  /** The entities of the last full mutation, the set the catalog holds now. */
  published(): Entity[] {
    const last = this.mutations[this.mutations.length - 1];
    if (!last || last.type !== 'full') {
      throw new Error('No full mutation was applied');
    }
    return last.entities.map(deferred => deferred.entity);
  }
}
