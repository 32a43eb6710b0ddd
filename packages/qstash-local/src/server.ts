import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { Clock, systemClock } from './clock';
import { CallbackSender } from './delivery/callbacks';
import { DeliveryWorker } from './delivery/deliveryWorker';
import { DeliveryGate } from './delivery/deliveryGate';
import { Dispatcher } from './delivery/dispatcher';
import { FlowControlService } from './flowControl/flowControlService';
import { createApp } from './http/app';
import { MessageCancellation } from './messages/cancellation';
import { MessageLog } from './messages/messageLog';
import { Publisher } from './messages/publisher';
import { QueueService } from './queues/queueService';
import { QStashLocalOptions, resolveOptions } from './options';
import { ScheduleService } from './schedules/scheduleService';
import { Scheduler } from './schedules/scheduler';
import { SigningKeys, resolveToken } from './signingKeys';
import { openDatabase } from './store/database';
import { Stores } from './store/stores';
import { WalCheckpointer } from './store/walCheckpointer';
import { UrlGroupService } from './urlGroups/urlGroupService';
import { WorkflowDlq } from './workflow/workflowDlq';
import { WorkflowEvents } from './workflow/workflowEvents';
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

/** Bound on wait-timeout rounds in one `runDue`, against endless wait loops. */
const MAX_WAIT_ROUNDS = 1000;

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
    new DeliveryGate(stores),
    clock,
    settings.maxConcurrentDeliveries,
    onError,
    work => stores.transaction(work),
  );
  const scheduler = new Scheduler(clock, onError);
  const publisher = new Publisher(stores, clock, messageLog, dueAt =>
    dispatcher.wake(dueAt),
  );
  const cancellation = new MessageCancellation(stores, clock, messageLog);
  const callbacks = new CallbackSender(publisher);
  const wakeDispatcher = () => dispatcher.wake(clock.now());
  const queues = new QueueService(stores, clock, cancellation, wakeDispatcher);
  const urlGroups = new UrlGroupService(stores, clock);
  const flowControl = new FlowControlService(
    stores,
    clock,
    settings.maxConcurrentDeliveries,
    wakeDispatcher,
  );
  const workflowRuns = new WorkflowRuns(stores, clock, cancellation, callbacks);
  const workflowDlq = new WorkflowDlq(stores, clock, publisher, workflowRuns);
  const workflowEvents = new WorkflowEvents(stores, clock, publisher, onError);
  const schedules = new ScheduleService(
    stores,
    clock,
    publisher,
    urlGroups,
    () => scheduler.refresh(),
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
    workflowEvents,
    queues,
    urlGroups,
    flowControl,
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

  const checkpointer = settings.dataFile
    ? new WalCheckpointer(db, settings.dataFile, onError)
    : undefined;
  dispatcher.start(messageId => worker.attempt(messageId));
  scheduler.start(schedules);
  workflowEvents.start();

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
      workflowEvents.fireDue(when);
      await dispatcher.runDue(when);
      // Those deliveries may have started waits that time out by `when` too.
      for (
        let round = 0;
        round < MAX_WAIT_ROUNDS && workflowEvents.fireDue(when) > 0;
        round++
      ) {
        await dispatcher.runDue(when);
      }
    },
    close() {
      closing ??= (async () => {
        scheduler.stop();
        workflowEvents.stop();
        worker.stop();
        await dispatcher.close();
        await new Promise<void>(resolve => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await checkpointer?.stop();
        db.close();
      })();
      return closing;
    },
  };
}
