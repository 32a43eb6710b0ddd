import type { AuditorService } from '@backstage/backend-plugin-api';
import type { CallerContext } from './AuthorizedWorkflowsService';

type AuditMeta = NonNullable<
  Parameters<AuditorService['createEvent']>[0]['meta']
>;

/**
 * Runs a mutation inside one audit event: success or failure, once. `run`
 * may add to the meta as it learns more; the final meta is what is logged.
 */
export async function auditedMutation<M extends AuditMeta, T>(
  auditor: AuditorService,
  caller: CallerContext,
  eventId: string,
  meta: M,
  run: (meta: M) => Promise<T>,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId,
    severityLevel: 'medium',
    request: caller.request,
    meta: { ...meta },
  });
  try {
    const result = await run(meta);
    await event.success({ meta });
    return result;
  } catch (error) {
    await event.fail({ error: error as Error, meta });
    throw error;
  }
}
