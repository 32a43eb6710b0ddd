import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  GetRunResponse,
  WorkflowRun,
} from '@internal/plugin-workflows-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import type { WorkflowsApi } from '../../api/WorkflowsApi';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { rootRouteRef } from '../../routes';
import { WorkflowsRouter } from '../WorkflowsRouter';

const failed: WorkflowRun = {
  runId: 'wfr_failed',
  workflowId: 'coe',
  status: 'failed',
  startedAt: '2026-11-25T01:00:00.000Z',
  finishedAt: '2026-11-25T01:00:12.400Z',
  failedStep: 'Publish to Telegram',
  error: 'Telegram answered HTTP 500',
};
const succeeded: WorkflowRun = {
  ...failed,
  runId: 'wfr_ok',
  status: 'succeeded',
  failedStep: null,
  error: null,
  finishedAt: '2026-11-25T01:00:00.850Z',
};

const steps: GetRunResponse['steps'] = [
  {
    id: 1,
    runId: 'wfr_failed',
    workflowId: 'coe',
    stepName: 'Processing "coe" data',
    status: 'succeeded',
    attempt: 0,
    startedAt: failed.startedAt,
    finishedAt: failed.startedAt,
    durationMs: 1250,
    outputSummary: '[{"table":"coe","recordsProcessed":10}]',
    errorMessage: null,
  },
  {
    id: 2,
    runId: 'wfr_failed',
    workflowId: 'coe',
    stepName: 'Publish to Telegram',
    status: 'failed',
    attempt: 1,
    startedAt: failed.startedAt,
    finishedAt: failed.startedAt,
    durationMs: 80,
    outputSummary: null,
    errorMessage: 'Telegram answered HTTP 500',
  },
];

const api: WorkflowsApi = {
  listWorkflows: async () => ({
    totalCount: 1,
    items: [
      {
        id: 'coe',
        title: 'COE results update',
        description: 'Loads COE results',
        owner: 'group:default/data',
        source: 'runner',
        endpoint: 'http://localhost:7007/api/workflows/runners/coe',
        schedule: null,
        requiredEnv: [],
        updatedAt: failed.startedAt,
      },
    ],
  }),
  listRuns: async () => ({ items: [failed, succeeded] }),
  getRun: async (_workflowId, runId) => ({
    run: runId === failed.runId ? failed : succeeded,
    steps: runId === failed.runId ? steps : [],
  }),
};

async function renderAt(path: string) {
  await renderInTestApp(
    <TestApiProvider apis={[[workflowsApiRef, api]]}>
      <Routes>
        <Route path="/workflows/*" element={<WorkflowsRouter />} />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [path], mountedRoutes: { '/workflows': rootRouteRef } },
  );
}

describe('WorkflowRunsPage', () => {
  it('lists the runs with status, duration and the failing step', async () => {
    await renderAt('/workflows/coe');
    expect(
      await screen.findByRole('heading', { name: 'COE results update' }),
    ).toBeInTheDocument();
    const failedRow = screen.getByTestId('run-wfr_failed');
    expect(within(failedRow).getByText('Failed')).toBeInTheDocument();
    expect(within(failedRow).getByText('12.4 s')).toBeInTheDocument();
    expect(
      within(failedRow).getByText(
        'Publish to Telegram: Telegram answered HTTP 500',
      ),
    ).toBeInTheDocument();
    const okRow = screen.getByTestId('run-wfr_ok');
    expect(within(okRow).getByText('Succeeded')).toBeInTheDocument();
    expect(within(okRow).getByText('850 ms')).toBeInTheDocument();
  });

  it('shows the step journal of a run when it is opened', async () => {
    await renderAt('/workflows/coe');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show steps of wfr_failed' }),
    );
    const journal = await screen.findByRole('table', {
      name: 'Steps of run wfr_failed',
    });
    expect(
      within(journal).getByText('Processing "coe" data'),
    ).toBeInTheDocument();
    expect(
      within(journal).getByText('[{"table":"coe","recordsProcessed":10}]'),
    ).toBeInTheDocument();
    expect(within(journal).getByText('1.3 s')).toBeInTheDocument();
    // Attempts are shown counting from 1.
    expect(within(journal).getByText('2')).toBeInTheDocument();
  });

  it('opens the run a failure alert links to', async () => {
    await renderAt('/workflows/coe/runs/wfr_failed');
    expect(
      await screen.findByRole('table', { name: 'Steps of run wfr_failed' }),
    ).toBeInTheDocument();
  });
});
