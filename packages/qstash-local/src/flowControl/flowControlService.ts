import { Clock } from '../clock';
import { badRequest, notFound } from '../errors';
import { StoredFlowKey } from '../store/flowControlStore';
import { Stores } from '../store/stores';

export interface PinSettings {
  parallelism?: number;
  rate?: number;
  periodSeconds?: number;
}

/** A key as `GET /v2/flowControl/{key}` returns it (FlowControlKey in the OpenAPI file). */
export interface FlowKeyView {
  flowControlKey: string;
  waitListSize: number;
  parallelismMax?: number;
  parallelismCount: number;
  rateMax?: number;
  rateCount: number;
  ratePeriod: number;
  /** Unix seconds. */
  ratePeriodStart: number;
  isPinnedParallelism: boolean;
  isPinnedRate: boolean;
  isPaused: boolean;
}

/** Flow-control keys: their limits, counters, pause and pinned settings. */
export class FlowControlService {
  constructor(
    private readonly stores: Stores,
    private readonly clock: Clock,
    private readonly maxConcurrentDeliveries: number,
    /** Wakes the dispatcher when messages may have become deliverable. */
    private readonly wake: () => void,
  ) {}

  list(): FlowKeyView[] {
    return this.stores.flowControl.list().map(key => this.view(key));
  }

  get(key: string): FlowKeyView {
    return this.view(this.require(key));
  }

  setPaused(key: string, paused: boolean): void {
    this.update(key, flowKey => ({ ...flowKey, paused }));
  }

  /** Fixes settings that incoming messages then cannot change; resets the rate period. */
  pin(key: string, settings: PinSettings): void {
    if (
      settings.parallelism === undefined &&
      settings.rate === undefined &&
      settings.periodSeconds === undefined
    ) {
      throw badRequest(
        'missing query parameter parallelism, rate or period: pin needs at least one',
      );
    }
    this.update(key, flowKey => ({
      ...flowKey,
      ...(settings.parallelism !== undefined
        ? { parallelism: settings.parallelism, pinnedParallelism: true }
        : {}),
      ...(settings.rate !== undefined || settings.periodSeconds !== undefined
        ? {
            rate: settings.rate ?? flowKey.rate,
            periodSeconds: settings.periodSeconds ?? flowKey.periodSeconds,
            pinnedRate: true,
          }
        : {}),
      rateCount: 0,
      ratePeriodStart: this.clock.now(),
    }));
  }

  /** Lets incoming messages change the settings again; the pinned values stay until then. */
  unpin(key: string, which: { parallelism: boolean; rate: boolean }): void {
    if (!which.parallelism && !which.rate) {
      throw badRequest(
        'missing query parameter parallelism=true or rate=true: say what to unpin',
      );
    }
    this.update(key, flowKey => ({
      ...flowKey,
      pinnedParallelism: which.parallelism ? false : flowKey.pinnedParallelism,
      pinnedRate: which.rate ? false : flowKey.pinnedRate,
    }));
  }

  /** Ends the current rate period now; a new one starts with a count of 0. */
  resetRate(key: string): void {
    this.update(key, flowKey => ({
      ...flowKey,
      rateCount: 0,
      ratePeriodStart: this.clock.now(),
    }));
  }

  /** The server-wide limit on attempts in flight, and how many run now. */
  globalParallelism(): { parallelismMax: number; parallelismCount: number } {
    return {
      parallelismMax: this.maxConcurrentDeliveries,
      parallelismCount: this.stores.messages.activeCount(),
    };
  }

  private update(
    key: string,
    change: (flowKey: StoredFlowKey) => StoredFlowKey,
  ): void {
    this.stores.transaction(() => {
      this.stores.flowControl.save(change(this.require(key)));
    });
    this.wake();
  }

  private require(key: string): StoredFlowKey {
    const flowKey = this.stores.flowControl.get(key);
    if (!flowKey) throw notFound(`flow-control key ${key} not found`);
    return flowKey;
  }

  private view(flowKey: StoredFlowKey): FlowKeyView {
    const now = this.clock.now();
    const periodMs = flowKey.periodSeconds * 1000;
    const periodRunning =
      flowKey.ratePeriodStart > 0 && now < flowKey.ratePeriodStart + periodMs;
    return {
      flowControlKey: flowKey.key,
      waitListSize: this.stores.messages.waitingForFlowKey(flowKey.key, now),
      ...(flowKey.parallelism !== undefined
        ? { parallelismMax: flowKey.parallelism }
        : {}),
      parallelismCount: this.stores.messages.activeForFlowKey(flowKey.key),
      ...(flowKey.rate !== undefined ? { rateMax: flowKey.rate } : {}),
      rateCount: periodRunning ? flowKey.rateCount : 0,
      ratePeriod: flowKey.periodSeconds,
      ratePeriodStart: periodRunning
        ? Math.floor(flowKey.ratePeriodStart / 1000)
        : 0,
      isPinnedParallelism: flowKey.pinnedParallelism,
      isPinnedRate: flowKey.pinnedRate,
      isPaused: flowKey.paused,
    };
  }
}
