import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import express, { Router } from 'express';

/** An express app serving workflow routes on a loopback port. */
export interface WorkflowApp {
  url: string;
  close(): Promise<void>;
}

export async function startWorkflowApp(
  routes: Record<string, Router>,
): Promise<WorkflowApp> {
  const app = express();
  // Requests whose handler still runs, so that close can let them end.
  const inFlight = new Set<Promise<void>>();
  app.use((_req, res, next) => {
    const ended = new Promise<void>(resolve => res.once('close', resolve));
    inFlight.add(ended);
    ended.then(() => inFlight.delete(ended));
    next();
  });
  // The express adapter of @upstash/workflow expects a parsed body.
  app.use(express.json({ limit: '5mb' }));
  app.use(express.text({ type: 'text/*' }));
  for (const [path, router] of Object.entries(routes)) app.use(path, router);
  const server = await new Promise<Server>(resolve => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const closed = new Promise(resolve => server.close(resolve));
      server.closeIdleConnections();
      // A handler may still be at work after its run finished (serve() tells
      // QStash to clean the run up before it answers); it ends first, or its
      // retries would log after the tests are done.
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise(resolve => setTimeout(resolve, 5_000).unref()),
      ]);
      server.closeAllConnections();
      await closed;
    },
  };
}
