import { SqliteDatabase } from './database';
import { statementCache } from './statementCache';

export interface UrlGroupEndpoint {
  url: string;
  name?: string;
}

export interface StoredUrlGroup {
  name: string;
  createdAt: number;
  updatedAt: number;
  endpoints: UrlGroupEndpoint[];
}

interface GroupRow {
  name: string;
  created_at: number;
  updated_at: number;
}

/** URL groups (topics) and their endpoints. */
export class UrlGroupStore {
  private readonly prepare: ReturnType<typeof statementCache>;

  constructor(db: SqliteDatabase) {
    this.prepare = statementCache(db);
  }

  get(name: string): StoredUrlGroup | undefined {
    const row = this.prepare('SELECT * FROM url_groups WHERE name = ?').get(
      name,
    ) as GroupRow | undefined;
    return row ? this.withEndpoints(row) : undefined;
  }

  list(): StoredUrlGroup[] {
    return (
      this.prepare('SELECT * FROM url_groups ORDER BY name').all() as GroupRow[]
    ).map(row => this.withEndpoints(row));
  }

  /** Replaces the group's endpoints, creating the group when it is new. */
  save(name: string, endpoints: UrlGroupEndpoint[], now: number): void {
    this.prepare(
      `INSERT INTO url_groups (name, created_at, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at`,
    ).run(name, now, now);
    this.prepare('DELETE FROM url_group_endpoints WHERE group_name = ?').run(
      name,
    );
    const insert = this.prepare(
      `INSERT INTO url_group_endpoints (group_name, position, url, name)
         VALUES (?, ?, ?, ?)`,
    );
    endpoints.forEach((endpoint, position) =>
      insert.run(name, position, endpoint.url, endpoint.name ?? null),
    );
  }

  delete(name: string): boolean {
    return (
      this.prepare('DELETE FROM url_groups WHERE name = ?').run(name)
        .changes === 1
    );
  }

  private withEndpoints(row: GroupRow): StoredUrlGroup {
    const endpoints = (
      this.prepare(
        `SELECT url, name FROM url_group_endpoints WHERE group_name = ?
           ORDER BY position`,
      ).all(row.name) as Array<{ url: string; name: string | null }>
    ).map(e =>
      e.name === null ? { url: e.url } : { url: e.url, name: e.name },
    );
    return {
      name: row.name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      endpoints,
    };
  }
}
