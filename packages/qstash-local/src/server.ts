import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { Clock, systemClock } from './clock';
import { CallbackSender } from './delivery/callbacks';
import { DeliveryWorker } from './delivery/deliveryWorker';
import { Dispatcher } from './delivery/dispatcher';
import { createApp } from './http/app';
import { MessageCancellation } from './messages/cancellation';
import { MessageLog } from './messages/messageLog';
import { Publisher } from './messages/publisher';
import { QStashLocalOptions, resolveOptions } from './options';
import { ScheduleService } from './schedules/scheduleService';
import { Scheduler } from './schedules/scheduler';
import { SigningKeys, resolveToken } from './signingKeys';
import { openDatabase } from './store/database';
import { Stores } from './store/stores';
import { WorkflowDlq } from './workflow/workflowDlq';
import { WorkflowRuns } from './workflow/workflowRuns';

/** A running server and its controls. */
export interface QStashLocal {
  /** Base URL for `QSTASH_URL` / `new Client({ baseUrl })`. */
  url: string;
  token: string;
  /** The signing keys right now (they change with `POST /v2/keys/rotate`). */
  readonly currentSigningKey: string;
  readonly nextSigningKey: string;
  /**
   * Fires every schedule tick and delivers every message due at `at` (Unix
   * ms, default: the clock's now), including retries and follow-up workflow
   * steps that fall due by then, and resolves when those attempts are done.
   */
  runDue(at?: number): Promise<void>;
  /** Stops timers, ends deliveries in flight (they are retried after a restart) and closes. */
  close(): Promise<void>;
}

function defaultErrorHandler(error: unknown): void {
  process.stderr.write(
    `qstash-local: ${
      error instanceof Error ? error.stack ?? error.message : String(error)
    }\n`,
  );
}

function publicHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts a QStash-compatible server; see the README for what it covers. */
export async function startQStashLocal(
  options: QStashLocalOptions = {},
): Promise<QStashLocal> {
  const settings = resolveOptions(options);
  const onError = settings.onError ?? defaultErrorHandler;
  const clock: Clock = settings.now ? { now: settings.now } : systemClock;

  const db = openDatabase(settings.dataFile);
  const stores = new Stores(db);
  const signingKeys = new SigningKeys(stores.meta, {
    current: settings.currentSigningKey,
    next: settings.nextSigningKey,
  });
  const token = resolveToken(stores.meta, settings.token);

  const messageLog = new MessageLog(stores.logs);
  const dispatcher = new Dispatcher(
    stores.messages,
    clock,
    settings.maxConcurrentDeliveries,
    onError,
  );
  const scheduler = new Scheduler(clock, onError);
  const publisher = new Publisher(stores, clock, messageLog, dueAt =>
    dispatcher.wake(dueAt),
  );
  const cancellation = new MessageCancellation(stores, clock, messageLog);
  const callbacks = new CallbackSender(publisher);
  const workflowRuns = new WorkflowRuns(stores, clock, cancellation, callbacks);
  const workflowDlq = new WorkflowDlq(stores, clock, publisher, workflowRuns);
  const schedules = new ScheduleService(stores, clock, publisher, () =>
    scheduler.refresh(),
  );
  const worker = new DeliveryWorker(
    stores,
    clock,
    messageLog,
    cancellation,
    signingKeys,
    callbacks,
    workflowRuns,
    schedules,
    {
      retryTimeScale: settings.retryTimeScale,
      defaultTimeoutMs: settings.deliveryTimeoutMs,
    },
  );

  const app = createApp({
    token,
    clock,
    stores,
    publisher,
    cancellation,
    schedules,
    signingKeys,
    workflowRuns,
    workflowDlq,
    onUnexpectedError: onError,
  });

  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(settings.port, settings.host, () =>
        resolve(listening),
      );
      listening.once('error', reject);
    });
  } catch (error) {
    db.close();
    throw error;
  }

  dispatcher.start(messageId => worker.attempt(messageId));
  scheduler.start(schedules);

  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${publicHost(settings.host)}:${port}`,
    token,
    get currentSigningKey() {
      return signingKeys.current;
    },
    get nextSigningKey() {
      return signingKeys.next;
    },
    async runDue(at?: number) {
      const when = at ?? clock.now();
      scheduler.fire(when);
      await dispatcher.runDue(when);
    },
    close() {
      closing ??= (async () => {
        scheduler.stop();
        worker.stop();
        await dispatcher.close();
        await new Promise<void>(resolve => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        db.close();
      })();
      return closing;
    },
  };
}
