import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * The task's user, so the workflows backend checks that user's permissions;
 * undefined (the module's own service credentials) when the task has none.
 */
export async function initiatorCredentials(ctx: {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}): Promise<BackstageCredentials | undefined> {
  try {
    return await ctx.getInitiatorCredentials();
  } catch {
    return undefined;
  }
}
