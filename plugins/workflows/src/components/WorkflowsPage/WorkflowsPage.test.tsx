import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { WorkflowsApi } from '../../api/WorkflowsApi';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { rootRouteRef } from '../../routes';
import { WorkflowsPage } from './WorkflowsPage';

function apiReturning(
  result: Awaited<ReturnType<WorkflowsApi['listWorkflows']>> | Error,
): WorkflowsApi {
  return {
    listWorkflows: async () => {
      if (result instanceof Error) throw result;
      return result;
    },
    listRuns: async () => ({ items: [] }),
    getRun: async () => {
      throw new Error('not used by the list page');
    },
  };
}

describe('WorkflowsPage', () => {
  it('lists workflows with owner, endpoint and a readable schedule', async () => {
    const api = apiReturning({
      totalCount: 1,
      items: [
        {
          id: 'cars',
          title: 'Car registrations update',
          description: 'Monthly new registrations by make',
          owner: 'group:default/data',
          source: 'runner',
          endpoint: 'http://localhost:7007/api/workflows/runners/cars',
          schedule: { cron: '0 0-10 * * 1-5', timezone: 'UTC' },
          requiredEnv: ['QSTASH_TOKEN'],
          updatedAt: '2026-11-25T00:00:00.000Z',
        },
      ],
    });
    await renderInTestApp(
      <TestApiProvider apis={[[workflowsApiRef, api]]}>
        <WorkflowsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/workflows': rootRouteRef } },
    );
    expect(
      await screen.findByText('Car registrations update'),
    ).toBeInTheDocument();
    expect(screen.getByText('group:default/data')).toBeInTheDocument();
    expect(
      screen.getByText('http://localhost:7007/api/workflows/runners/cars'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Monday through Friday/)).toBeInTheDocument();
    expect(screen.getByText('Hosted')).toBeInTheDocument();
    expect(screen.getByText('1 env variable')).toBeInTheDocument();
    // Hosted runners link to their runs.
    expect(
      screen.getByRole('link', { name: 'Car registrations update' }),
    ).toHaveAttribute('href', '/workflows/cars');
  });

  it('explains how to add workflows when there are none', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[workflowsApiRef, apiReturning({ items: [], totalCount: 0 })]]}
      >
        <WorkflowsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/workflows': rootRouteRef } },
    );
    expect(await screen.findByText('No workflows yet')).toBeInTheDocument();
  });

  it('shows the backend error instead of an empty table', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'Missing permission workflows.workflow.read',
        },
        request: { method: 'GET', url: '/api/workflows/workflows' },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    await renderInTestApp(
      <TestApiProvider apis={[[workflowsApiRef, apiReturning(error)]]}>
        <WorkflowsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/workflows': rootRouteRef } },
    );
    const shown = await screen.findAllByText(
      /Missing permission workflows\.workflow\.read/,
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
