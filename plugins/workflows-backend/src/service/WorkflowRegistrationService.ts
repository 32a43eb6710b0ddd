import {
  WorkflowRegistrationRequest,
  WorkflowRegistrationResponse,
} from '@internal/plugin-workflows-common';
import type { WorkflowDefinitionStore } from '../database/WorkflowDefinitionStore';
import { checkCron, checkTimezone } from '../schedules/cronRules';

/**
 * Workflows registered by URL through the API (the "new workflow" template
 * does it), without permission checks. They stay across restarts, unlike
 * `workflows.tracked`, which each start-up replaces.
 */
export class WorkflowRegistrationService {
  constructor(private readonly workflows: WorkflowDefinitionStore) {}

  /** Idempotent: the same request twice stores one workflow, unchanged the second time. */
  async register(
    id: string,
    request: WorkflowRegistrationRequest,
  ): Promise<WorkflowRegistrationResponse> {
    let schedule = request.schedule;
    if (schedule) {
      // The rules schedules are written with, so the schedule can be created next.
      checkTimezone(schedule.timezone, 'schedule.timezone');
      schedule = {
        cron: checkCron(schedule.cron, schedule.timezone, 'schedule.cron'),
        timezone: schedule.timezone,
      };
    }
    return this.workflows.register({
      id,
      title: request.title,
      description: request.description,
      owner: request.owner,
      endpoint: request.url,
      schedule,
      requiredEnv: request.requiredEnv,
    });
  }

  /** False when no such registration existed. */
  async unregister(id: string): Promise<boolean> {
    return this.workflows.unregister(id);
  }
}
