import { Client as QStashClient, Receiver } from '@upstash/qstash';
import { Client as WorkflowClient } from '@upstash/workflow';
import { QStashLocal } from '../server';
import { waitFor } from './waitFor';

/** serve() options that point the SDK at the local server and verify signatures. */
export function serveOptions(server: QStashLocal) {
  return {
    qstashClient: new QStashClient({
      baseUrl: server.url,
      token: server.token,
    }),
    receiver: new Receiver({
      currentSigningKey: server.currentSigningKey,
      nextSigningKey: server.nextSigningKey,
    }),
  };
}

export function workflowClient(server: QStashLocal): WorkflowClient {
  return new WorkflowClient({ baseUrl: server.url, token: server.token });
}

export type RunLog = Awaited<
  ReturnType<WorkflowClient['logs']>
>['runs'][number];

/** Waits until the run's log satisfies `check` and returns it. */
export async function waitForRun(
  client: WorkflowClient,
  workflowRunId: string,
  check: (run: RunLog) => boolean,
  what = 'the run',
): Promise<RunLog> {
  let last: RunLog | undefined;
  try {
    return await waitFor(
      async () => {
        const { runs } = await client.logs({ workflowRunId });
        last = runs[0];
        return last && check(last) ? last : undefined;
      },
      { what: `${what} (${workflowRunId})`, timeoutMs: 15_000 },
    );
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; last log: ${JSON.stringify(last, null, 1)}`,
    );
  }
}
