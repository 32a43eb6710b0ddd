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
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
