import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  listWorkflowsResponseSchema,
  type WorkflowOverview,
} from '@internal/plugin-workflows-common';

const WORKFLOWS_PLUGIN_ID = 'workflows';

/** Reads the workflows backend's REST API as the catalog's own service principal. */
export class WorkflowsApiClient {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  /** Every workflow the workflows backend knows, hosted and tracked. */
  async listWorkflows(signal?: AbortSignal): Promise<WorkflowOverview[]> {
    const { discovery, auth } = this.deps;
    const baseUrl = await discovery.getBaseUrl(WORKFLOWS_PLUGIN_ID);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: WORKFLOWS_PLUGIN_ID,
    });
    const response = await fetch(`${baseUrl}/workflows`, {
      headers: { authorization: `Bearer ${token}` },
      signal,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const parsed = listWorkflowsResponseSchema.safeParse(await response.json());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `Unexpected response from GET /workflows: ${issue.path.join('.')}: ${
          issue.message
        }`,
      );
    }
    return parsed.data.items;
  }

  /** The workflows API as seen from outside the backend, for entity locations. */
  externalBaseUrl(): Promise<string> {
    return this.deps.discovery.getExternalBaseUrl(WORKFLOWS_PLUGIN_ID);
  }
}
