import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ScheduleChange,
  ScheduleDefinitionPatch,
  ScheduleField,
  SchedulePreviewResponse,
  ScheduleSaveResponse,
  ScheduleView,
  WorkflowSummary,
} from '@internal/plugin-workflows-common';
import { randomBytes } from 'node:crypto';
import type { ScheduleDefinitionStore } from '../database/ScheduleDefinitionStore';
import type { QStashGateway, QStashSchedule } from '../qstash/QStashGateway';
import { ScheduleWriter } from '../qstash/ScheduleWriter';
import { cronWithTimezone } from '../schedules/cronTz';
import { describeCron } from '../schedules/describeCron';
import { nextFireTimes } from '../schedules/fireTimes';
import { ScheduleConflictError } from '../schedules/ScheduleConflictError';
import {
  applyPatch,
  CurrentSchedule,
  newSchedule,
  ScheduleDefinition,
  StoredScheduleDefinition,
  resolveCurrent,
  toDefinitionView,
} from '../schedules/scheduleDefinition';
import { diffDefinitions } from '../schedules/scheduleDiff';
import { ScheduleTarget, targetOf } from '../schedules/scheduleTarget';
import { toScheduleView } from '../schedules/scheduleView';
import { validateSchedulePatch } from '../schedules/validateSchedulePatch';

/** A schedule read for an operation: what QStash and the portal know, and its target. */
export interface LoadedSchedule {
  current: CurrentSchedule;
  target: ScheduleTarget;
  view: ScheduleView;
}

/** What a save would write, worked out before anything is written. */
export interface PlannedSave {
  scheduleId: string;
  proposed: ScheduleDefinition;
  /** Unknown fields the request did not give. */
  unset: ScheduleField[];
  changes: ScheduleChange[];
  /** The target of the proposed destination. */
  target: ScheduleTarget;
}

/** QStash schedules with the portal's definitions and workflows, without permission checks. */
export class SchedulesService {
  constructor(
    private readonly options: {
      /** Undefined when no QStash is configured: every call then says so. */
      gateway: QStashGateway | undefined;
      definitions: ScheduleDefinitionStore;
      workflows: () => Promise<WorkflowSummary[]>;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private requireGateway(action: string): QStashGateway {
    if (!this.options.gateway) {
      throw new ConflictError(
        `Cannot ${action}: no QStash is configured (workflows.qstash.token, QSTASH_TOKEN)`,
      );
    }
    return this.options.gateway;
  }

  private writer(action: string): ScheduleWriter {
    return new ScheduleWriter(
      this.requireGateway(action),
      this.options.definitions,
      () => this.now(),
    );
  }

  private loaded(
    schedule: QStashSchedule,
    stored: StoredScheduleDefinition | undefined,
    workflows: WorkflowSummary[],
  ): LoadedSchedule {
    const current = resolveCurrent(schedule, stored);
    const target = targetOf(schedule.destination, workflows);
    return {
      current,
      target,
      view: toScheduleView(current, target, this.now()),
    };
  }

  async list(): Promise<LoadedSchedule[]> {
    const gateway = this.requireGateway('list the schedules');
    const [schedules, workflows] = await Promise.all([
      gateway.listSchedules(),
      this.options.workflows(),
    ]);
    const stored = await this.options.definitions.getMany(
      schedules.map(s => s.scheduleId),
    );
    return schedules
      .map(s => this.loaded(s, stored.get(s.scheduleId), workflows))
      .sort((a, b) => a.view.scheduleId.localeCompare(b.view.scheduleId));
  }

  async load(scheduleId: string): Promise<LoadedSchedule> {
    const gateway = this.requireGateway(`read schedule ${scheduleId}`);
    let schedule: QStashSchedule;
    try {
      schedule = await gateway.getSchedule(scheduleId);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotFoundError(`No schedule "${scheduleId}" on QStash`);
      }
      throw error;
    }
    const [stored, workflows] = await Promise.all([
      this.options.definitions.get(scheduleId),
      this.options.workflows(),
    ]);
    return this.loaded(schedule, stored, workflows);
  }

  newScheduleId(): string {
    return `schedule-${randomBytes(6).toString('hex')}`;
  }

  /** The checks QStash would make, and more, before it is called (400 naming the field). */
  validate<T extends ScheduleDefinitionPatch>(patch: T, prefix = ''): T {
    return validateSchedulePatch(patch, prefix);
  }

  /** The save of a validated patch over `base` (a loaded schedule, or none for a new one). */
  async plan(
    scheduleId: string,
    base: LoadedSchedule | undefined,
    patch: ScheduleDefinitionPatch,
  ): Promise<PlannedSave> {
    const { proposed, unset } = applyPatch(
      base?.current ?? newSchedule(patch.destination ?? '', patch.cron ?? ''),
      patch,
    );
    return {
      scheduleId,
      proposed,
      unset,
      changes: diffDefinitions(
        base?.current.definition,
        base?.current.unknown ?? [],
        proposed,
      ),
      target: targetOf(proposed.destination, await this.options.workflows()),
    };
  }

  private async saved(
    written: QStashSchedule,
    unset: ScheduleField[],
  ): Promise<ScheduleSaveResponse> {
    const [stored, workflows] = await Promise.all([
      this.options.definitions.get(written.scheduleId),
      this.options.workflows(),
    ]);
    return {
      schedule: this.loaded(written, stored, workflows).view,
      unknownFields: unset,
    };
  }

  async create(plan: PlannedSave): Promise<ScheduleSaveResponse> {
    const writer = this.writer(`create schedule ${plan.scheduleId}`);
    // QStash creates by replacing: an existing id must not be overwritten unseen.
    const existing = await this.load(plan.scheduleId).catch(error => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (existing) {
      throw new ConflictError(
        `A schedule "${plan.scheduleId}" already exists; edit it instead`,
      );
    }
    const written = await writer.write(plan.scheduleId, plan.proposed);
    return this.saved(written, plan.unset);
  }

  /**
   * Writes the plan unless the schedule changed since the editor loaded
   * `expectedVersion`. The check and the write are two QStash calls apart;
   * QStash has no conditional write to close that gap.
   */
  async update(
    loaded: LoadedSchedule,
    plan: PlannedSave,
    expectedVersion: string,
  ): Promise<ScheduleSaveResponse> {
    const writer = this.writer(`update schedule ${plan.scheduleId}`);
    if (loaded.view.version !== expectedVersion) {
      throw new ScheduleConflictError(
        loaded.view,
        toDefinitionView(plan.proposed),
        plan.changes,
      );
    }
    const written = await writer.write(plan.scheduleId, plan.proposed, {
      carried: loaded.current.carried,
      keepPaused: loaded.view.isPaused,
    });
    return this.saved(written, plan.unset);
  }

  async delete(loaded: LoadedSchedule): Promise<void> {
    await this.writer(`delete schedule ${loaded.view.scheduleId}`).delete(
      loaded.view.scheduleId,
    );
  }

  async setPaused(
    loaded: LoadedSchedule,
    paused: boolean,
  ): Promise<ScheduleView> {
    const id = loaded.view.scheduleId;
    const gateway = this.requireGateway(
      `${paused ? 'pause' : 'resume'} schedule ${id}`,
    );
    if (paused) await gateway.pauseSchedule(id);
    else await gateway.resumeSchedule(id);
    return (await this.load(id)).view;
  }

  /** Fire times, description and changes of a validated proposal; writes nothing. */
  async preview(
    patch: ScheduleDefinitionPatch,
    base: LoadedSchedule | undefined,
    from: Date | undefined,
  ): Promise<SchedulePreviewResponse> {
    const plan = await this.plan(base?.view.scheduleId ?? '', base, patch);
    const { cron, timezone } = plan.proposed;
    return {
      cron,
      timezone,
      qstashCron: cronWithTimezone(cron, timezone),
      description: describeCron(cron),
      nextFireTimes: nextFireTimes(plan.proposed, from ?? this.now()),
      changes: plan.changes,
      unknownFields: plan.unset,
      currentVersion: base?.view.version ?? null,
    };
  }
}
