import {
  MockFetchApi,
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  IdentityPermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { http, HttpResponse } from 'msw';
import type { setupServer } from 'msw/node';
import { Route, Routes, useLocation } from 'react-router-dom';
import { workflowsApiRef } from '../api/WorkflowsApi';
import { WorkflowsClient } from '../api/WorkflowsClient';
import { FailuresPage } from '../components/FailuresPage';
import { HealthPage } from '../components/HealthPage';
import { SchedulesPage } from '../components/SchedulesPage';
import { WorkflowsRouter } from '../components/WorkflowsRouter';
import {
  failuresRouteRef,
  healthRouteRef,
  rootRouteRef,
  schedulesRouteRef,
} from '../routes';

export const BACKEND_URL = 'http://localhost:7007';
/** Where the client finds the workflows backend in these tests. */
export const API_URL = `${BACKEND_URL}/api/workflows`;

/** Shows where the app is, so tests can read filters and cursors off the URL. */
function LocationProbe() {
  const location = useLocation();
  return (
    <output data-testid="location">{`${location.pathname}${location.search}`}</output>
  );
}

export function currentLocation(): URL {
  const text = document.querySelector('[data-testid="location"]')?.textContent;
  return new URL(text ?? '/', 'http://app');
}

type PermissionRequest = { name: string; resourceRef?: string };

/**
 * Renders the plugin's pages (under /workflows, /failures, /schedules and /health) at
 * `path` with the real client talking (through msw) to the handlers of the
 * test, and the real permission client asking a permission backend that
 * grants only `granted`.
 */
export async function renderWorkflowsAt(
  server: Pick<ReturnType<typeof setupServer>, 'use'>,
  path: string,
  options: { granted?: string[] } = {},
): Promise<{ permissionRequests: PermissionRequest[] }> {
  const granted = options.granted ?? [
    'workflows.run.trigger',
    'workflows.run.cancel',
  ];
  const permissionRequests: PermissionRequest[] = [];
  server.use(
    http.post(
      `${BACKEND_URL}/api/permission/authorize`,
      async ({ request }) => {
        const body = (await request.json()) as {
          items: {
            id: string;
            permission: { name: string };
            resourceRef?: string;
          }[];
        };
        return HttpResponse.json({
          items: body.items.map(item => {
            permissionRequests.push({
              name: item.permission.name,
              resourceRef: item.resourceRef,
            });
            return {
              id: item.id,
              result: granted.includes(item.permission.name) ? 'ALLOW' : 'DENY',
            };
          }),
        });
      },
    ),
  );
  const discoveryApi = mockApis.discovery({ baseUrl: BACKEND_URL });
  const workflowsApi = new WorkflowsClient({
    discoveryApi,
    fetchApi: new MockFetchApi(),
  });
  const permissionApi = IdentityPermissionApi.create({
    config: mockApis.config({ data: { permission: { enabled: true } } }),
    discovery: discoveryApi,
    identity: mockApis.identity(),
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [workflowsApiRef, workflowsApi],
        [permissionApiRef, permissionApi],
      ]}
    >
      <Routes>
        <Route path="/workflows/*" element={<WorkflowsRouter />} />
        <Route path="/failures" element={<FailuresPage />} />
        <Route path="/schedules" element={<SchedulesPage />} />
        <Route path="/health" element={<HealthPage />} />
      </Routes>
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: {
        '/workflows': rootRouteRef,
        '/failures': failuresRouteRef,
        '/schedules': schedulesRouteRef,
        '/health': healthRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
  return { permissionRequests };
}
