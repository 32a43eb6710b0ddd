import { Clock } from '../clock';
import { MessageConfig } from '../config/messageConfig';
import { isHttpUrl, parseMessageConfig } from '../config/parseMessageConfig';
import { ApiError, badRequest, notFound } from '../errors';
import { isIdentifier, newScheduleId } from '../ids';
import { bodyFields, redactBody } from '../messages/bodyEncoding';
import { DEFAULT_RETRIES, Publisher } from '../messages/publisher';
import {
  deliveredHeaderRecord,
  flowControlFields,
  labelFields,
} from '../messages/views';
import { StoredMessage } from '../store/messageStore';
import { ScheduleTickState, StoredSchedule } from '../store/scheduleStore';
import { Stores } from '../store/stores';
import { UrlGroupService } from '../urlGroups/urlGroupService';
import { CronSchedule, nextTick, parseCron } from './cron';

// Headers that configure the schedule itself or only make sense once.
const NOT_PER_TICK = new Set([
  'upstash-cron',
  'upstash-schedule-id',
  'upstash-deduplication-id',
  'upstash-content-based-deduplication',
]);

/** Missed ticks fired in one go at most, so a long pause cannot flood a destination. */
const MAX_CATCH_UP_TICKS = 1000;

function tickHeaders(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const keep =
      name === 'content-type' ||
      (name.startsWith('upstash-') &&
        !NOT_PER_TICK.has(name) &&
        !name.startsWith('upstash-telemetry-'));
    if (keep) result[name] = value;
  }
  return result;
}

export interface ScheduleRequest {
  destination: string;
  headers: Record<string, string>;
  body: Buffer;
  callerIp: string;
}

/** Schedules: their definitions, their views and the messages their ticks publish. */
export class ScheduleService {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly publisher: Publisher,
    private readonly urlGroups: UrlGroupService,
    private readonly onChanged: () => void,
  ) {}

  /** Creates or replaces (by `Upstash-Schedule-Id`) a schedule. */
  upsert(request: ScheduleRequest): { scheduleId: string } {
    const cronText = request.headers['upstash-cron'];
    if (!cronText) throw badRequest('missing Upstash-Cron header');
    let cron: CronSchedule;
    try {
      cron = parseCron(cronText);
    } catch (error) {
      throw badRequest(
        `invalid Upstash-Cron header: ${(error as Error).message}`,
      );
    }
    const requestedId = request.headers['upstash-schedule-id'];
    if (requestedId !== undefined && !isIdentifier(requestedId)) {
      throw badRequest(
        'invalid Upstash-Schedule-Id header: must match [A-Za-z0-9._-]+',
      );
    }
    const headers = tickHeaders(request.headers);
    // A URL group must exist when the schedule is made; each tick fans out.
    const [config] = this.urlGroups.messageConfigs(
      request.destination,
      headers,
    ).configs;
    if (config.workflow) {
      throw badRequest(
        'Upstash-Workflow-* headers are not allowed on schedules; schedule the workflow URL instead',
      );
    }

    const now = this.clock.now();
    const scheduleId = requestedId ?? newScheduleId();
    this.stores.transaction(() => {
      const existing = this.stores.schedules.get(scheduleId);
      this.stores.schedules.upsert({
        scheduleId,
        cron: cron.text,
        destination: request.destination,
        headers,
        body: request.body,
        // Re-posting a definition keeps the pause state and history.
        isPaused: existing?.isPaused ?? false,
        createdAt: existing?.createdAt ?? now,
        lastScheduleTime: existing?.lastScheduleTime,
        lastScheduleStates: existing?.lastScheduleStates ?? {},
        nextScheduleTime: nextTick(cron, now),
        callerIp: request.callerIp,
      });
    });
    this.onChanged();
    return { scheduleId };
  }

  get(scheduleId: string): StoredSchedule {
    const schedule = this.stores.schedules.get(scheduleId);
    if (!schedule) throw notFound(`schedule ${scheduleId} not found`);
    return schedule;
  }

  list(): StoredSchedule[] {
    return this.stores.schedules.list();
  }

  delete(scheduleId: string): void {
    if (!this.stores.schedules.delete(scheduleId)) {
      throw notFound(`schedule ${scheduleId} not found`);
    }
    this.onChanged();
  }

  setPaused(scheduleId: string, paused: boolean): void {
    const schedule = this.get(scheduleId);
    if (schedule.isPaused === paused) return;
    this.stores.schedules.upsert({
      ...schedule,
      isPaused: paused,
      // A resumed schedule continues from now, not with the ticks it missed.
      nextScheduleTime: paused
        ? schedule.nextScheduleTime
        : nextTick(parseCron(schedule.cron), this.clock.now()),
    });
    this.onChanged();
  }

  /** Publishes the ticks due at or before `at`; returns how many were published. */
  fireDue(at: number): number {
    let published = 0;
    for (const schedule of this.stores.schedules.due(at)) {
      const cron = parseCron(schedule.cron);
      const configs = this.tickConfigs(schedule);
      let slot = schedule.nextScheduleTime;
      let lastSlot = schedule.lastScheduleTime;
      let states = schedule.lastScheduleStates;
      for (
        let tick = 0;
        slot !== undefined && slot <= at && tick < MAX_CATCH_UP_TICKS;
        tick++
      ) {
        const context = {
          callerIp: schedule.callerIp,
          scheduleId: schedule.scheduleId,
          at: slot,
        };
        const results = this.publisher.publishAll(
          configs.map(config => ({ config, body: schedule.body, context })),
        );
        states = Object.fromEntries(
          results.map(({ messageId }) => [messageId, 'IN_PROGRESS' as const]),
        );
        lastSlot = slot;
        slot = nextTick(cron, slot);
        published += 1;
      }
      if (slot !== undefined && slot <= at) slot = nextTick(cron, at);
      this.stores.schedules.upsert({
        ...schedule,
        lastScheduleTime: lastSlot,
        nextScheduleTime: slot,
        lastScheduleStates: states,
      });
    }
    return published;
  }

  /** The messages of one tick; none while the schedule's URL group is gone. */
  private tickConfigs(schedule: StoredSchedule): MessageConfig[] {
    try {
      return this.urlGroups.messageConfigs(
        schedule.destination,
        schedule.headers,
      ).configs;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return [];
      throw error;
    }
  }

  /** Notes the final state of a tick's message in `lastScheduleStates`. */
  recordTickOutcome(message: StoredMessage, state: ScheduleTickState): void {
    if (!message.scheduleId) return;
    const schedule = this.stores.schedules.get(message.scheduleId);
    if (!schedule || !(message.messageId in schedule.lastScheduleStates))
      return;
    this.stores.schedules.upsert({
      ...schedule,
      lastScheduleStates: {
        ...schedule.lastScheduleStates,
        [message.messageId]: state,
      },
    });
  }

  nextTickTime(): number | undefined {
    return this.stores.schedules.nextTickTime();
  }
}

/** A schedule as `GET /v2/schedules/{id}` returns it. */
export function scheduleView(schedule: StoredSchedule) {
  // The settings of a URL group's schedule are the same for each endpoint.
  const config = parseMessageConfig(
    isHttpUrl(schedule.destination)
      ? schedule.destination
      : 'http://url-group.invalid/',
    schedule.headers,
  );
  return {
    scheduleId: schedule.scheduleId,
    cron: schedule.cron,
    destination: schedule.destination,
    method: config.method,
    header: deliveredHeaderRecord(config),
    ...bodyFields(redactBody(schedule.body, config.redact)),
    retries: config.retries ?? DEFAULT_RETRIES,
    ...(config.delayMs !== undefined
      ? { delay: Math.round(config.delayMs / 1000) }
      : {}),
    ...(config.callback ? { callback: config.callback.url } : {}),
    ...(config.failureCallback
      ? { failureCallback: config.failureCallback.url }
      : {}),
    callerIp: schedule.callerIp,
    isPaused: schedule.isPaused,
    createdAt: schedule.createdAt,
    ...(schedule.lastScheduleTime !== undefined
      ? { lastScheduleTime: schedule.lastScheduleTime }
      : {}),
    ...(schedule.nextScheduleTime !== undefined
      ? { nextScheduleTime: schedule.nextScheduleTime }
      : {}),
    lastScheduleStates: schedule.lastScheduleStates,
    ...labelFields(config.labels),
    ...(config.retryDelayExpression
      ? { retryDelayExpression: config.retryDelayExpression }
      : {}),
    ...flowControlFields(config.flowControl),
  };
}
