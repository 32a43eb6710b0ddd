import { LoggerService } from '@backstage/backend-plugin-api';
import type { GetRunResponse } from '@internal/plugin-workflows-common';
import type { Request, Response } from 'express';

const HEARTBEAT_MS = 15_000;

/**
 * Sends the run as server-sent events: once at once, then whenever it
 * changed, until it finishes or the client goes away. Changes are found in
 * the database, so a run advanced by another replica reaches this stream too.
 */
export async function streamRun(
  req: Request,
  res: Response,
  options: {
    first: GetRunResponse;
    pollMs: number;
    changeMarker(): Promise<string | undefined>;
    read(): Promise<GetRunResponse>;
    logger: LoggerService;
  },
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  // Proxies must not hold the events back.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  const send = (run: GetRunResponse) => {
    res.write(`event: run\ndata: ${JSON.stringify(run)}\n\n`);
    (res as unknown as { flush?: () => void }).flush?.();
  };
  send(options.first);
  if (options.first.run.status !== 'running') {
    res.end();
    return;
  }

  let closed = false;
  req.on('close', () => {
    closed = true;
  });
  let marker = await options.changeMarker();
  let lastWrite = Date.now();
  while (!closed) {
    await new Promise(resolve => setTimeout(resolve, options.pollMs));
    if (closed) break;
    try {
      const next = await options.changeMarker();
      if (next !== marker) {
        marker = next;
        const run = await options.read();
        send(run);
        lastWrite = Date.now();
        if (run.run.status !== 'running') break;
      } else if (Date.now() - lastWrite > HEARTBEAT_MS) {
        res.write(': still running\n\n');
        lastWrite = Date.now();
      }
    } catch (error) {
      options.logger.warn(`Run stream stopped: ${(error as Error).message}`);
      break;
    }
  }
  res.end();
}
