import { ResponseError } from '@backstage/errors';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  aProbe,
  aWorkflowHealth,
  carsWithEveryVerdict,
} from '../__testUtils__/healthFixtures';
import { API_URL, BACKEND_URL } from '../__testUtils__/renderWorkflows';
import { UnexpectedResponseError, WorkflowsClient } from './WorkflowsClient';

const server = setupServer();
registerMswTestHooks(server);

const client = new WorkflowsClient({
  discoveryApi: mockApis.discovery({ baseUrl: BACKEND_URL }),
  fetchApi: new MockFetchApi(),
});

describe('WorkflowsClient health', () => {
  it('reads the health of every workflow in one call', async () => {
    const body = {
      items: [
        carsWithEveryVerdict,
        aWorkflowHealth({ workflowId: 'coe', workflowTitle: 'COE' }),
      ],
    };
    server.use(
      http.get(`${API_URL}/health/env`, () => HttpResponse.json(body)),
    );
    await expect(client.getEnvHealth()).resolves.toEqual(body);
  });

  it('refuses a health body with a verdict the schema does not know, naming the field', async () => {
    server.use(
      http.get(`${API_URL}/health/env`, () =>
        HttpResponse.json({
          items: [
            aWorkflowHealth({
              probes: [{ ...aProbe(), verdict: 'fine' as never }],
            }),
          ],
        }),
      ),
    );
    const result = client.getEnvHealth();
    await expect(result).rejects.toBeInstanceOf(UnexpectedResponseError);
    await expect(result).rejects.toThrow(
      /Unexpected response from GET \/health\/env: items\.0\.probes\.0\.verdict/,
    );
  });

  it('reads the health of one workflow by its encoded id', async () => {
    const paths: string[] = [];
    const body = aWorkflowHealth({ workflowId: 'coe results' });
    server.use(
      http.get(`${API_URL}/workflows/:workflowId/health`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json(body);
      }),
    );
    await expect(client.getWorkflowHealth('coe results')).resolves.toEqual(
      body,
    );
    expect(paths).toEqual(['/api/workflows/workflows/coe%20results/health']);
  });

  it('re-checks with the platforms only when asked, and returns the fresh results', async () => {
    const posted: unknown[] = [];
    const fresh = aWorkflowHealth({ probes: [aProbe({ cached: false })] });
    server.use(
      http.post(
        `${API_URL}/workflows/cars/health/check`,
        async ({ request }) => {
          posted.push(await request.json());
          return HttpResponse.json(fresh);
        },
      ),
    );
    await expect(client.recheckWorkflowHealth('cars')).resolves.toEqual(fresh);
    await expect(
      client.recheckWorkflowHealth('cars', { probePlatforms: true }),
    ).resolves.toEqual(fresh);
    expect(posted).toEqual([{}, { probePlatforms: true }]);
  });

  it('passes a denied re-check on as the 403 it is', async () => {
    server.use(
      http.post(`${API_URL}/workflows/cars/health/check`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Missing permission workflows.run.trigger',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const result = client.recheckWorkflowHealth('cars');
    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.toMatchObject({ statusCode: 403 });
  });
});
