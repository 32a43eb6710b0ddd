import { SqliteDatabase } from './database';
import { DedupStore } from './dedupStore';
import { DlqStore } from './dlqStore';
import { LogStore } from './logStore';
import { MessageStore } from './messageStore';
import { MetaStore } from './metaStore';
import { ScheduleStore } from './scheduleStore';
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

  constructor(readonly db: SqliteDatabase) {
    this.messages = new MessageStore(db);
    this.logs = new LogStore(db);
    this.dlq = new DlqStore(db);
    this.dedup = new DedupStore(db);
    this.meta = new MetaStore(db);
    this.schedules = new ScheduleStore(db);
    this.workflows = new WorkflowStore(db);
  }

  /** Runs `work` in one SQLite transaction. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}
