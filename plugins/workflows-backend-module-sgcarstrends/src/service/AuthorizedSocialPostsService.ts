import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ListSocialPostsQuery,
  MarkSocialPostPostedRequest,
  SocialPost,
  SocialPostKey,
  workflowReadPermission,
  workflowRunTriggerPermission,
} from '@internal/plugin-workflows-common';
import type { DatasetId } from '../types';
import { SocialPostsService } from './SocialPostsService';

/** Each dataset is posted by the workflow of the same id. */
const DATASET_WORKFLOWS: readonly DatasetId[] = ['cars', 'coe'];

/**
 * The permission checks of the social posts API: reading a workflow's posts
 * needs workflows.workflow.read on it, resolving one needs
 * workflows.run.trigger (resolving decides whether a post goes out, as a run
 * does).
 */
export class AuthorizedSocialPostsService {
  constructor(
    private readonly service: SocialPostsService,
    private readonly permissions: PermissionsService,
  ) {}

  async list(
    query: ListSocialPostsQuery,
    credentials: BackstageCredentials,
  ): Promise<SocialPost[]> {
    const wanted = query.dataset ? [query.dataset] : DATASET_WORKFLOWS;
    const decisions = await this.permissions.authorize(
      wanted.map(dataset => ({
        permission: workflowReadPermission,
        resourceRef: dataset,
      })),
      { credentials },
    );
    const readable = wanted.filter(
      (_dataset, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
    if (query.dataset && readable.length === 0) {
      throw missingPermission(workflowReadPermission, query.dataset);
    }
    return this.service.list({
      status: query.status,
      platform: query.platform,
      datasets: readable,
      limit: query.limit,
    });
  }

  async postAgain(
    key: SocialPostKey,
    credentials: BackstageCredentials,
  ): Promise<SocialPost> {
    await this.assertMayTrigger(key.dataset, credentials);
    return this.service.postAgain(key, actorOf(credentials));
  }

  async markPosted(
    key: SocialPostKey,
    request: MarkSocialPostPostedRequest,
    credentials: BackstageCredentials,
  ): Promise<SocialPost> {
    await this.assertMayTrigger(key.dataset, credentials);
    return this.service.markPosted(key, request, actorOf(credentials));
  }

  private async assertMayTrigger(
    workflowId: DatasetId,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize(
      [{ permission: workflowRunTriggerPermission, resourceRef: workflowId }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw missingPermission(workflowRunTriggerPermission, workflowId);
    }
  }
}

function missingPermission(
  permission: ResourcePermission<'workflow'>,
  workflowId: string,
): NotAllowedError {
  return new NotAllowedError(
    `Missing permission ${permission.name} for workflow "${workflowId}"`,
  );
}

/** Who acted, for the ledger: the user entity ref or the service subject. */
function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string }
    | { type: 'none' };
  switch (principal.type) {
    case 'user':
      return principal.userEntityRef;
    case 'service':
      return principal.subject;
    default:
      return 'unknown';
  }
}
