import { SqliteDatabase } from './database';
import { TurnCommit } from './turnCommit';
import { DedupStore } from './dedupStore';
import { DlqStore } from './dlqStore';
import { FlowControlStore } from './flowControlStore';
import { LogStore } from './logStore';
import { MessageStore } from './messageStore';
import { MetaStore } from './metaStore';
import { QueueStore } from './queueStore';
import { ScheduleStore } from './scheduleStore';
import { UrlGroupStore } from './urlGroupStore';
import { WorkflowStore } from './workflowStore';

/** All tables of one data file. */
export class Stores {
  readonly messages: MessageStore;
  readonly logs: LogStore;
  readonly dlq: DlqStore;
  readonly dedup: DedupStore;
  readonly meta: MetaStore;
  readonly schedules: ScheduleStore;
  readonly workflows: WorkflowStore;
  readonly queues: QueueStore;
  readonly urlGroups: UrlGroupStore;
  readonly flowControl: FlowControlStore;
  // Made once: db.transaction builds a new wrapper on every call otherwise.
  private readonly runInTransaction: (work: () => unknown) => unknown;
  private readonly turnCommit = new TurnCommit(work => this.transaction(work));

  constructor(readonly db: SqliteDatabase) {
    this.messages = new MessageStore(db);
    this.logs = new LogStore(db);
    this.dlq = new DlqStore(db);
    this.dedup = new DedupStore(db);
    this.meta = new MetaStore(db);
    this.schedules = new ScheduleStore(db);
    this.workflows = new WorkflowStore(db);
    this.queues = new QueueStore(db);
    this.urlGroups = new UrlGroupStore(db);
    this.flowControl = new FlowControlStore(db);
    this.runInTransaction = db.transaction((work: () => unknown) => work());
  }

  /** Runs `work` in one SQLite transaction. */
  transaction<T>(work: () => T): T {
    return this.runInTransaction(work) as T;
  }

  /**
   * Runs `work` in a savepoint of one commit shared with the other calls of
   * this event-loop turn; settles once that commit holds it.
   */
  transactionSoon<T>(work: () => T): Promise<T> {
    return this.turnCommit.run(work);
  }
}
