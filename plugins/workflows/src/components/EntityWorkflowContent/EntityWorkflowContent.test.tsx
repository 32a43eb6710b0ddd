import type { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  registerMswTestHooks,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { MockFetchApi } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { aRun, aWorkflow, fromNow } from '../../__testUtils__/fixtures';
import { carsWithEveryVerdict } from '../../__testUtils__/healthFixtures';
import { API_URL, BACKEND_URL } from '../../__testUtils__/renderWorkflows';
import workflowsPlugin from '../../alpha';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { WorkflowsClient } from '../../api/WorkflowsClient';

const server = setupServer();
registerMswTestHooks(server);

function aComponent(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'sgcarstrends-data-updater', annotations },
    spec: { type: 'service', owner: 'group:default/platform' },
  };
}

/** The plugin as the app installs it, on a test entity page for `entity`. */
function renderEntityPage(entity: Entity) {
  return renderTestApp({
    features: [workflowsPlugin],
    extensions: [createTestEntityPage({ entity })],
    initialRouteEntries: ['/'],
    apis: [
      [
        workflowsApiRef,
        new WorkflowsClient({
          discoveryApi: mockApis.discovery({ baseUrl: BACKEND_URL }),
          fetchApi: new MockFetchApi(),
        }),
      ],
    ],
  });
}

describe('EntityWorkflowContent', () => {
  it("shows the schedule, health and runs of the entity's workflow, and links to it", async () => {
    const runQueries: URLSearchParams[] = [];
    server.use(
      http.get(`${API_URL}/workflows/cars`, () =>
        HttpResponse.json(
          aWorkflow({
            stats: {
              lastRun: {
                runId: 'wfr_failed',
                status: 'failed',
                startedAt: fromNow(-10 * 60_000),
                finishedAt: fromNow(-9 * 60_000),
              },
              nextRunAt: fromNow(30 * 60_000),
              runs7d: 40,
              successRate7d: 0.9,
              p50DurationMs7d: 95_000,
            },
          }),
        ),
      ),
      http.get(`${API_URL}/workflows/cars/health`, () =>
        HttpResponse.json(carsWithEveryVerdict),
      ),
      http.get(`${API_URL}/runs`, ({ request }) => {
        runQueries.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          items: [
            aRun({
              runId: 'wfr_failed',
              status: 'failed',
              failedStep: 'Publish to Telegram',
              error: 'Telegram answered HTTP 500',
            }),
            aRun({ runId: 'wfr_ok' }),
          ],
          nextCursor: null,
        });
      }),
    );
    renderEntityPage(aComponent({ 'qstash.upstash.com/workflow-id': 'cars' }));

    expect(
      await screen.findByRole('heading', { name: 'Car registrations update' }),
    ).toBeVisible();
    const overview = screen.getByRole('region', { name: 'Workflow overview' });
    expect(
      within(overview).getByText(/Monday through Friday \(UTC\)/),
    ).toBeVisible();
    expect(within(overview).getByText('in 30 minutes')).toBeVisible();
    expect(within(overview).getByText('90 %')).toBeVisible();
    expect(within(overview).getByText('of 40 finished runs')).toBeVisible();

    const failedRow = await screen.findByTestId('run-wfr_failed');
    expect(
      within(failedRow).getByText(
        'Publish to Telegram: Telegram answered HTTP 500',
      ),
    ).toBeVisible();
    expect(
      within(failedRow).getByRole('link', { name: 'wfr_failed' }),
    ).toHaveAttribute('href', '/workflows/cars/runs/wfr_failed');
    expect(screen.getByTestId('run-wfr_ok')).toBeVisible();
    expect(runQueries[0].get('workflow')).toBe('cars');

    expect(
      screen.getByRole('link', { name: 'Open in Workflows' }),
    ).toHaveAttribute('href', '/workflows/cars');

    const health = screen.getByRole('region', { name: 'Health summary' });
    expect(await within(health).findByText('Failing')).toBeVisible();
    expect(
      within(health).getByRole('link', { name: 'Variables and probes' }),
    ).toHaveAttribute('href', '/workflows/cars?tab=health');
  });

  it('says so when the annotation names a workflow the portal does not know', async () => {
    server.use(
      http.get(`${API_URL}/workflows/retired`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: 'No workflow retired' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    renderEntityPage(
      aComponent({ 'qstash.upstash.com/workflow-id': 'retired' }),
    );

    expect(await screen.findByText('No workflow "retired"')).toBeVisible();
    expect(
      screen.getByText(/qstash\.upstash\.com\/workflow-id annotation/),
    ).toBeVisible();
    expect(
      screen.queryByRole('region', { name: 'Workflow overview' }),
    ).not.toBeInTheDocument();
  });

  it('is not offered on entities without the workflow annotation', async () => {
    server.use(
      http.get(`${API_URL}/*`, () =>
        HttpResponse.json({ error: 'unexpected' }, { status: 500 }),
      ),
    );
    renderEntityPage(
      aComponent({ 'backstage.io/source-location': 'url:https://example.com' }),
    );

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Car registrations update' }),
    ).not.toBeInTheDocument();
  });
});
