import { PermissionsService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/** Permission decisions on workflows (the resource is the workflow id). */
export class WorkflowAuthorizer {
  constructor(private readonly permissions: PermissionsService) {}

  /** One decision per workflow id, in order. */
  async allowed(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'workflow'>,
    workflowIds: string[],
  ): Promise<boolean[]> {
    if (workflowIds.length === 0) return [];
    const decisions = await this.permissions.authorize(
      workflowIds.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  async require(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'workflow'>,
    workflowId: string,
  ): Promise<void> {
    const [allowed] = await this.allowed(credentials, permission, [workflowId]);
    if (!allowed) {
      throw new NotAllowedError(
        `Missing permission ${permission.name} for workflow "${workflowId}"`,
      );
    }
  }

  /** The items whose workflow the caller holds the permission on. */
  async filter<T>(
    credentials: BackstageCredentials,
    permission: ResourcePermission<'workflow'>,
    items: T[],
    workflowIdOf: (item: T) => string,
  ): Promise<T[]> {
    const ids = [...new Set(items.map(workflowIdOf))];
    const decisions = await this.allowed(credentials, permission, ids);
    const permitted = new Set(ids.filter((_id, i) => decisions[i]));
    return items.filter(item => permitted.has(workflowIdOf(item)));
  }
}
