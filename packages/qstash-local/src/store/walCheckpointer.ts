import { Worker } from 'node:worker_threads';
import { SqliteDatabase } from './database';

export interface WalCheckpointerOptions {
  /** Pause between passive checkpoints. */
  intervalMs?: number;
  /**
   * WAL size (in pages) above which the writer's connection checkpoints once
   * itself and empties the WAL, so that a busy writer cannot grow it without end.
   */
  restartPages?: number;
}

// Plain JavaScript, so that the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 2000 });
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let timer;
function checkpoint() {
  try {
    const { log } = passive.get();
    if (log > workerData.restartPages) parentPort.postMessage({ walPages: log });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
  timer = setTimeout(checkpoint, workerData.intervalMs);
}
parentPort.on('message', message => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
timer = setTimeout(checkpoint, workerData.intervalMs);
`;

/**
 * Copies the WAL back into the data file from a worker thread with its own
 * connection. SQLite's automatic checkpoint runs inside the commit that
 * crosses its threshold, on the event loop, and its copying and fsyncs took
 * about a tenth of the server's time under load; a passive checkpoint runs
 * beside the writer instead.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(
    db: SqliteDatabase,
    dataFile: string,
    onError: (error: unknown) => void,
    { intervalMs = 100, restartPages = 16_384 }: WalCheckpointerOptions = {},
  ) {
    db.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        file: dataFile,
        intervalMs,
        restartPages,
      },
    });
    this.worker.on(
      'message',
      (message: { error?: string; walPages?: number }) => {
        if (message.error) {
          onError(new Error(`WAL checkpoint failed: ${message.error}`));
        } else if (message.walPages !== undefined) {
          // A busy writer starts every commit while the worker's checkpoint runs,
          // and the WAL starts over only when none does; the writer's own
          // connection can wait for that. Little is left to copy by then. A
          // message never arrives inside a transaction.
          try {
            db.pragma('wal_checkpoint(TRUNCATE)');
          } catch (error) {
            onError(error);
          }
        }
      },
    );
    this.worker.on('error', onError);
    // The checkpoints alone must not keep the process up.
    this.worker.unref();
    this.exited = new Promise(resolve => this.worker.once('exit', resolve));
  }

  /** Stops checkpointing; the last connection's close checkpoints what is left. */
  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    await this.exited;
  }
}
