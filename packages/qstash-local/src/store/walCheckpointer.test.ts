import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { waitFor } from '../__testUtils__/waitFor';
import { SqliteDatabase, openDatabase } from './database';
import { WalCheckpointer } from './walCheckpointer';

describe('WalCheckpointer', () => {
  let directory: string;
  let dataFile: string;
  let db: SqliteDatabase;
  let checkpointer: WalCheckpointer | undefined;
  const errors: unknown[] = [];

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'qstash-local-wal-'));
    dataFile = path.join(directory, 'data.sqlite');
    db = openDatabase(dataFile);
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)');
    errors.length = 0;
  });

  afterEach(async () => {
    await checkpointer?.stop();
    checkpointer = undefined;
    db.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const insertRows = (count: number) => {
    const insert = db.prepare('INSERT INTO filler (text) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < count; i++) insert.run('x'.repeat(1000));
    })();
  };
  const sizeOf = (file: string) =>
    fs.existsSync(file) ? fs.statSync(file).size : 0;

  it('copies committed pages into the data file while the writer goes on', async () => {
    checkpointer = new WalCheckpointer(db, dataFile, e => errors.push(e), {
      intervalMs: 10,
    });
    const before = sizeOf(dataFile);
    insertRows(2_000);
    // Nothing else checkpoints: the writer's own automatic checkpoint is off.
    await waitFor(() => sizeOf(dataFile) > before + 1_000_000, {
      what: 'the data file to hold the new rows',
    });
    const copy = new Database(dataFile, { readonly: true });
    const { n } = copy.prepare('SELECT COUNT(*) AS n FROM filler').get() as {
      n: number;
    };
    expect(n).toBe(2_000);
    copy.close();
    expect(errors).toEqual([]);
  });

  it('empties the WAL once it passes the bound, while commits never pause', async () => {
    checkpointer = new WalCheckpointer(db, dataFile, e => errors.push(e), {
      intervalMs: 5,
      restartPages: 200,
    });
    const wal = `${dataFile}-wal`;
    let largest = 0;
    let emptied = false;
    const until = Date.now() + 10_000;
    // A commit every turn, as under load; 40 rows of 1 kB are about 10 pages.
    // A passive checkpoint alone never shrinks the file: a busy writer keeps
    // it growing.
    while (!emptied && Date.now() < until) {
      insertRows(40);
      const size = sizeOf(wal);
      if (size < largest) emptied = true;
      largest = Math.max(largest, size);
      await new Promise(resolve => setImmediate(resolve));
    }
    expect(emptied).toBe(true);
    expect(largest).toBeGreaterThan(200 * 4096);
    expect(errors).toEqual([]);
  });
});
