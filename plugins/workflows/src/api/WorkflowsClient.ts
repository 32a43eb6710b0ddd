import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  GetRunResponse,
  ListRunsResponse,
  ListWorkflowsResponse,
} from '@internal/plugin-workflows-common';
import { WorkflowsApi } from './WorkflowsApi';

export class WorkflowsClient implements WorkflowsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listWorkflows(): Promise<ListWorkflowsResponse> {
    return this.get<ListWorkflowsResponse>('/workflows');
  }

  async listRuns(workflowId: string): Promise<ListRunsResponse> {
    return this.get<ListRunsResponse>(
      `/workflows/${encodeURIComponent(workflowId)}/runs`,
    );
  }

  async getRun(workflowId: string, runId: string): Promise<GetRunResponse> {
    return this.get<GetRunResponse>(
      `/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(
        runId,
      )}`,
    );
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('workflows');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
