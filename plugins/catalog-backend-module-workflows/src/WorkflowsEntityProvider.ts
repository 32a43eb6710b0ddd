import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import { WorkflowsApiClient } from './WorkflowsApiClient';
import { workflowEntity } from './workflowEntity';

export interface WorkflowsEntityProviderOptions {
  client: Pick<WorkflowsApiClient, 'listWorkflows' | 'externalBaseUrl'>;
  appBaseUrl: string;
  system: string;
  logger: LoggerService;
}

/**
 * Publishes every workflow of the workflows backend as a catalog Component;
 * a workflow that is gone leaves the catalog with the next refresh.
 */
export class WorkflowsEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  // Fingerprint of the entities last handed to the catalog by this instance.
  private publishedHash?: string;

  constructor(private readonly options: WorkflowsEntityProviderOptions) {}

  getProviderName(): string {
    return 'workflows';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
  }

  /**
   * Reads the workflows and replaces this provider's entities, when they
   * differ from the last ones published. A failed read throws and leaves the
   * catalog as it was, rather than emptying it.
   */
  async refresh(signal?: AbortSignal): Promise<void> {
    const connection = this.connection;
    if (!connection) {
      throw new Error(
        'The workflows entity provider is not connected to the catalog yet',
      );
    }
    const { client, appBaseUrl, system, logger } = this.options;
    const [workflows, workflowsApiUrl] = await Promise.all([
      client.listWorkflows(signal),
      client.externalBaseUrl(),
    ]);
    const entities = workflows
      // A registered workflow has its own catalog-info.yaml (the "new
      // workflow" template writes and registers it): publishing it here too
      // would make two entities of one name.
      .filter(workflow => workflow.source !== 'registered')
      .map(workflow =>
        workflowEntity(workflow, { workflowsApiUrl, appBaseUrl, system }),
      )
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

    const hash = createHash('sha256')
      .update(JSON.stringify(entities))
      .digest('hex');
    if (hash === this.publishedHash) return;

    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.publishedHash = hash;
    logger.info(
      `Published ${entities.length} workflow${
        entities.length === 1 ? '' : 's'
      } to the catalog`,
    );
  }
}
