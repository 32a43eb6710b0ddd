// The package ships no typings; only the COPY FROM stream is used here.
declare module 'pg-copy-streams' {
  import { Writable } from 'node:stream';

  /** A `COPY ... FROM STDIN` query, submitted with a pg client's `query`. */
  export interface CopyStreamQuery extends Writable {
    /** Rows the server reported as copied, set once the stream finished. */
    rowCount: number;
  }

  export function from(text: string): CopyStreamQuery;
}
