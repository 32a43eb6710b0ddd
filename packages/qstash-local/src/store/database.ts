import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

// Each entry upgrades the schema by one version; never edit a released entry,
// append a new one instead so existing data files keep working.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE messages (
    message_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    retried INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    url TEXT NOT NULL,
    host TEXT NOT NULL,
    path TEXT NOT NULL,
    labels TEXT NOT NULL,
    schedule_id TEXT,
    flow_control_key TEXT,
    caller_ip TEXT NOT NULL,
    run_key INTEGER,
    run_seq INTEGER,
    config TEXT NOT NULL,
    body BLOB NOT NULL
  );
  CREATE INDEX messages_due ON messages (state, next_attempt_at);
  CREATE INDEX messages_run ON messages (run_key);

  CREATE TABLE logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    state TEXT NOT NULL,
    url TEXT NOT NULL,
    host TEXT NOT NULL,
    path TEXT NOT NULL,
    schedule_id TEXT,
    labels TEXT NOT NULL,
    flow_control_key TEXT,
    caller_ip TEXT NOT NULL,
    entry TEXT NOT NULL
  );
  CREATE INDEX logs_message ON logs (message_id);

  CREATE TABLE dlq (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    dlq_id TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    url TEXT NOT NULL,
    schedule_id TEXT,
    labels TEXT NOT NULL,
    flow_control_key TEXT,
    caller_ip TEXT NOT NULL,
    response_status INTEGER,
    response_header TEXT,
    response_body BLOB,
    message_created_at INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    max_retries INTEGER NOT NULL,
    config TEXT NOT NULL,
    body BLOB NOT NULL
  );

  CREATE TABLE dedup (
    key TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE schedules (
    schedule_id TEXT PRIMARY KEY,
    cron TEXT NOT NULL,
    destination TEXT NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    is_paused INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_schedule_time INTEGER,
    next_schedule_time INTEGER,
    last_schedule_states TEXT NOT NULL DEFAULT '{}',
    caller_ip TEXT NOT NULL
  );

  CREATE TABLE workflow_runs (
    run_key INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    workflow_url TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    completed_at INTEGER,
    initial_body BLOB NOT NULL,
    config TEXT NOT NULL,
    response TEXT,
    dlq_id TEXT,
    failure_function TEXT,
    caller_ip TEXT NOT NULL,
    labels TEXT NOT NULL,
    flow_control_key TEXT
  );
  CREATE INDEX workflow_runs_id ON workflow_runs (run_id);

  CREATE TABLE workflow_messages (
    run_key INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    call_type TEXT NOT NULL,
    step_id INTEGER,
    body BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    delivery_state TEXT NOT NULL,
    max_retries INTEGER NOT NULL,
    errors TEXT NOT NULL DEFAULT '[]',
    next_delivery_at INTEGER,
    error_step_name TEXT,
    config TEXT NOT NULL,
    PRIMARY KEY (run_key, seq)
  );
  CREATE INDEX workflow_messages_message ON workflow_messages (message_id);

  CREATE TABLE workflow_dlq (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    dlq_id TEXT NOT NULL UNIQUE,
    run_key INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    workflow_run_id TEXT NOT NULL,
    workflow_url TEXT NOT NULL,
    workflow_created_at INTEGER NOT NULL,
    labels TEXT NOT NULL,
    flow_control_key TEXT,
    caller_ip TEXT NOT NULL,
    response_status INTEGER,
    response_header TEXT,
    response_body BLOB,
    message TEXT NOT NULL,
    body BLOB NOT NULL
  );
  `,
  // Workflow events: steps waiting in context.waitForEvent, and notifications
  // sent to a run before it waits (the run form of notify keeps them).
  `
  CREATE TABLE workflow_waiters (
    waiter_key INTEGER PRIMARY KEY AUTOINCREMENT,
    run_key INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    step_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    details TEXT NOT NULL,
    UNIQUE (run_key, step_id)
  );
  CREATE INDEX workflow_waiters_event ON workflow_waiters (event_id);
  CREATE INDEX workflow_waiters_deadline ON workflow_waiters (deadline);

  CREATE TABLE workflow_event_notifications (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    run_key INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX workflow_event_notifications_run
    ON workflow_event_notifications (run_key, event_id);
  `,
  // Queues, URL groups and flow control. A message in a queue or under a
  // flow-control key waits in the messages table like any other; the partial
  // indexes keep the selection of unrestricted messages as fast as before.
  `
  ALTER TABLE messages ADD COLUMN queue_name TEXT;
  ALTER TABLE messages ADD COLUMN queue_seq INTEGER;
  ALTER TABLE messages ADD COLUMN topic_name TEXT;
  CREATE INDEX messages_due_free ON messages (next_attempt_at)
    WHERE state = 'pending' AND queue_name IS NULL AND flow_control_key IS NULL;
  CREATE INDEX messages_queue ON messages (queue_name, not_before, queue_seq)
    WHERE queue_name IS NOT NULL;
  CREATE INDEX messages_flow ON messages (flow_control_key, state, next_attempt_at)
    WHERE flow_control_key IS NOT NULL;

  ALTER TABLE logs ADD COLUMN queue_name TEXT;
  ALTER TABLE logs ADD COLUMN topic_name TEXT;
  ALTER TABLE dlq ADD COLUMN queue_name TEXT;
  ALTER TABLE dlq ADD COLUMN topic_name TEXT;

  CREATE TABLE queues (
    name TEXT PRIMARY KEY,
    parallelism INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE url_groups (
    name TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE url_group_endpoints (
    group_name TEXT NOT NULL REFERENCES url_groups (name) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (group_name, url)
  );

  CREATE TABLE flow_control_keys (
    flow_key TEXT PRIMARY KEY,
    parallelism INTEGER,
    rate INTEGER,
    period_seconds INTEGER NOT NULL DEFAULT 1,
    pinned_parallelism INTEGER NOT NULL DEFAULT 0,
    pinned_rate INTEGER NOT NULL DEFAULT 0,
    paused INTEGER NOT NULL DEFAULT 0,
    rate_count INTEGER NOT NULL DEFAULT 0,
    rate_period_start INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  -- Messages stored before limits were enforced get their key's settings.
  INSERT INTO flow_control_keys (flow_key, parallelism, rate, period_seconds, created_at)
    SELECT flow_control_key,
      json_extract(config, '$.flowControl.parallelism'),
      json_extract(config, '$.flowControl.rate'),
      COALESCE(json_extract(config, '$.flowControl.periodSeconds'), 1),
      MIN(created_at)
    FROM messages WHERE flow_control_key IS NOT NULL GROUP BY flow_control_key;
  `,
];

/** Opens (and migrates) the data file; `undefined` keeps everything in memory. */
export function openDatabase(dataFile: string | undefined): SqliteDatabase {
  const db = new Database(dataFile ?? ':memory:');
  if (dataFile) {
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives process crashes; only an OS crash can lose the last commits.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    db.close();
    throw new Error(
      `data file ${dataFile} was written by a newer version (schema ${version})`,
    );
  }
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next]);
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
  return db;
}
