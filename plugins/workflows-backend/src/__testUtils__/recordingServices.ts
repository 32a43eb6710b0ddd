import {
  AuditorService,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  meta: Record<string, unknown>;
  outcome: 'pending' | 'succeeded' | 'failed';
  error?: string;
}

/** An auditor that keeps every event and how it ended, for assertions. */
export function recordingAuditor(events: RecordedAuditEvent[]) {
  const auditor: AuditorService = {
    async createEvent(options) {
      const event: RecordedAuditEvent = {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: { ...(options.meta ?? {}) },
        outcome: 'pending',
      };
      events.push(event);
      return {
        async success(result) {
          event.outcome = 'succeeded';
          Object.assign(event.meta, result?.meta ?? {});
        },
        async fail(result) {
          event.outcome = 'failed';
          event.error = result.error.message;
          Object.assign(event.meta, result.meta ?? {});
        },
      };
    },
  };
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => auditor,
  });
}

/**
 * A permission service that denies the named permissions (optionally only
 * for some workflow ids) and allows everything else.
 */
export function denyingPermissions(
  denied: Array<{ permission: string; resourceRef?: string }>,
) {
  const isDenied = (name: string, resourceRef?: string) =>
    denied.some(
      d =>
        d.permission === name &&
        (d.resourceRef === undefined || d.resourceRef === resourceRef),
    );
  const permissions: PermissionsService = {
    async authorize(requests) {
      return requests.map(r => ({
        result: isDenied(
          r.permission.name,
          (r as { resourceRef?: string }).resourceRef,
        )
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      }));
    },
    async authorizeConditional(requests) {
      return requests.map(r => ({
        result: isDenied(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      }));
    },
  } as PermissionsService;
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => permissions,
  });
}
