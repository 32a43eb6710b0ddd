import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  aTriageFailure,
  aTriageGroup,
  aTriageResponse,
} from '../__testUtils__/fixtures';
import { API_URL, BACKEND_URL } from '../__testUtils__/renderWorkflows';
import { UnexpectedResponseError, WorkflowsClient } from './WorkflowsClient';

const server = setupServer();
registerMswTestHooks(server);

const client = new WorkflowsClient({
  discoveryApi: mockApis.discovery({ baseUrl: BACKEND_URL }),
  fetchApi: new MockFetchApi(),
});

const FROM = '2026-11-24T00:00:00.000Z';
const TO = '2026-11-25T00:00:00.000Z';

describe('WorkflowsClient triage', () => {
  it('asks for the window and workflow, and returns the checked groups', async () => {
    const queries: URLSearchParams[] = [];
    const body = aTriageResponse([aTriageGroup()]);
    server.use(
      http.get(`${API_URL}/triage`, ({ request }) => {
        queries.push(new URL(request.url).searchParams);
        return HttpResponse.json(body);
      }),
    );
    await expect(
      client.getTriage({ from: FROM, to: TO, workflow: 'cars' }),
    ).resolves.toEqual(body);
    expect(Object.fromEntries(queries[0])).toEqual({
      from: FROM,
      to: TO,
      workflow: 'cars',
    });
  });

  it('refuses a triage body the schema does not accept, naming the field', async () => {
    server.use(
      http.get(`${API_URL}/triage`, () =>
        HttpResponse.json({
          ...aTriageResponse([]),
          groups: [
            {
              ...aTriageGroup(),
              cause: { ...aTriageGroup().cause, kind: 'gremlins' },
            },
          ],
        }),
      ),
    );
    const result = client.getTriage({});
    await expect(result).rejects.toBeInstanceOf(UnexpectedResponseError);
    await expect(result).rejects.toThrow(
      /Unexpected response from GET \/triage: groups\.0\.cause\.kind/,
    );
  });

  it('reads the failures of a group by its encoded id', async () => {
    const paths: string[] = [];
    const body = { groupId: 'grp/1', items: [aTriageFailure()], totalCount: 1 };
    server.use(
      http.get(`${API_URL}/triage/groups/:groupId/failures`, ({ request }) => {
        const url = new URL(request.url);
        paths.push(`${url.pathname}${url.search}`);
        return HttpResponse.json(body);
      }),
    );
    await expect(
      client.getTriageGroupFailures('grp/1', { from: FROM, to: TO }),
    ).resolves.toEqual(body);
    expect(paths).toEqual([
      `/api/workflows/triage/groups/grp%2F1/failures?from=${encodeURIComponent(
        FROM,
      )}&to=${encodeURIComponent(TO)}`,
    ]);
  });

  it('refuses group failures without the fields the page needs', async () => {
    server.use(
      http.get(`${API_URL}/triage/groups/:groupId/failures`, () =>
        HttpResponse.json({ groupId: 'grp', items: [{ runId: 'wfr_1' }] }),
      ),
    );
    await expect(
      client.getTriageGroupFailures('grp', { from: FROM, to: TO }),
    ).rejects.toThrow(/items\.0\.occurredAt/);
  });

  it('posts a DLQ action and returns every outcome, failed ones too', async () => {
    const posted: unknown[] = [];
    const outcome = {
      action: 'resume',
      outcomes: [
        { dlqId: 'dlq-1', ok: true, workflowRunId: 'wfr_new', error: null },
        { dlqId: 'dlq-2', ok: false, workflowRunId: null, error: 'gone' },
      ],
      succeeded: 1,
      failed: 1,
    };
    server.use(
      http.post(`${API_URL}/dlq/actions`, async ({ request }) => {
        posted.push(await request.json());
        return HttpResponse.json(outcome);
      }),
    );
    await expect(
      client.actOnDlq({
        action: 'resume',
        dlqIds: ['dlq-1', 'dlq-2'],
        retries: 2,
      }),
    ).resolves.toEqual(outcome);
    expect(posted).toEqual([
      { action: 'resume', dlqIds: ['dlq-1', 'dlq-2'], retries: 2 },
    ]);
  });

  it('refuses a DLQ answer that is not the per-entry outcomes', async () => {
    server.use(
      http.post(`${API_URL}/dlq/actions`, () =>
        HttpResponse.json({ ok: true }),
      ),
    );
    await expect(
      client.actOnDlq({ action: 'delete', dlqIds: ['dlq-1'] }),
    ).rejects.toThrow(/Unexpected response from POST \/dlq\/actions: action/);
  });
});
