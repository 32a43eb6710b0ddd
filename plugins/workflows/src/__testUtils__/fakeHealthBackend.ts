import type { WorkflowHealth } from '@internal/plugin-workflows-common';
import { http, HttpResponse } from 'msw';
import type { setupServer } from 'msw/node';
import { aWorkflow } from './fixtures';
import { API_URL } from './renderWorkflows';

type RecheckAnswer =
  | WorkflowHealth
  | { status: number; name: string; message: string };

/**
 * The health routes of the backend, served through msw: `GET /health/env`,
 * `GET /workflows/:id/health` and `POST /workflows/:id/health/check` (from
 * `recheck`, which may hold the answer back with `gate`), plus the workflow
 * itself so its page can open. Records every health request.
 */
export function serveHealth(
  server: Pick<ReturnType<typeof setupServer>, 'use'>,
  options: {
    items: WorkflowHealth[];
    recheck?: (workflowId: string, body: unknown) => RecheckAnswer;
    /** Resolves before the re-check answers, so a test can see it in progress. */
    gate?: Promise<void>;
  },
) {
  const requests: { method: string; path: string; body?: unknown }[] = [];
  const pathOf = (request: Request) =>
    new URL(request.url).pathname.replace('/api/workflows', '');
  const find = (id: string) => options.items.find(i => i.workflowId === id);

  server.use(
    http.get(`${API_URL}/health/env`, ({ request }) => {
      requests.push({ method: 'GET', path: pathOf(request) });
      return HttpResponse.json({ items: options.items });
    }),
    http.get(
      `${API_URL}/workflows/:workflowId/health`,
      ({ request, params }) => {
        requests.push({ method: 'GET', path: pathOf(request) });
        const health = find(String(params.workflowId));
        return health
          ? HttpResponse.json(health)
          : HttpResponse.json(
              {
                error: { name: 'NotFoundError', message: 'No such workflow' },
                response: { statusCode: 404 },
              },
              { status: 404 },
            );
      },
    ),
    http.post(
      `${API_URL}/workflows/:workflowId/health/check`,
      async ({ request, params }) => {
        const body = await request.json();
        requests.push({ method: 'POST', path: pathOf(request), body });
        await options.gate;
        const workflowId = String(params.workflowId);
        const answer = options.recheck?.(workflowId, body) ?? find(workflowId);
        if (!answer || 'status' in answer) {
          const error = answer ?? {
            status: 404,
            name: 'NotFoundError',
            message: 'No such workflow',
          };
          return HttpResponse.json(
            {
              error: { name: error.name, message: error.message },
              response: { statusCode: error.status },
            },
            { status: error.status },
          );
        }
        return HttpResponse.json(answer);
      },
    ),
    http.get(`${API_URL}/workflows/:workflowId`, ({ params }) => {
      const health = find(String(params.workflowId));
      return HttpResponse.json(
        aWorkflow({
          id: String(params.workflowId),
          title: health?.workflowTitle ?? String(params.workflowId),
        }),
      );
    }),
  );
  return requests;
}
