import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { workflowsApiRef, type WorkflowsApi } from '@internal/plugin-workflows';
import { fireEvent, screen, within } from '@testing-library/react';
import { appFeatures } from './App';

const notOnThisPage = async (): Promise<never> => {
  throw new Error('not used by the Workflows page');
};

const cars: Awaited<ReturnType<WorkflowsApi['getWorkflow']>> = {
  id: 'cars',
  title: 'Car registrations update',
  description: 'Monthly new registrations by make',
  owner: 'group:default/data-platform',
  source: 'runner',
  endpoint: 'http://localhost:7007/api/workflows/runners/cars',
  schedule: null,
  requiredEnv: [],
  updatedAt: '2026-11-25T00:00:00.000Z',
  stats: {
    lastRun: null,
    nextRunAt: null,
    runs7d: 0,
    successRate7d: null,
    p50DurationMs7d: null,
  },
};

type Run = Awaited<ReturnType<WorkflowsApi['getRun']>>['run'];

const carsHealth: Awaited<ReturnType<WorkflowsApi['getWorkflowHealth']>> = {
  workflowId: 'cars',
  workflowTitle: 'Car registrations update',
  verdict: 'failing',
  variables: [
    {
      name: 'TELEGRAM_BOT_TOKEN',
      kind: 'env',
      state: 'missing',
      problem: null,
      fix: 'set TELEGRAM_BOT_TOKEN',
    },
  ],
  probes: [],
};

const run = (runId: string): Run => ({
  runId,
  workflowId: 'cars',
  status: 'succeeded',
  startedAt: '2026-11-25T01:00:00.000Z',
  finishedAt: '2026-11-25T01:00:10.000Z',
  durationMs: 10_000,
  failedStep: null,
  error: null,
  label: null,
  dlqId: null,
  stepCount: 0,
  updatedAt: '2026-11-25T01:00:10.000Z',
});

// The app wiring is under test here, not the client: a fake of the plugin API.
const workflowsApi: WorkflowsApi = {
  listWorkflows: async () => ({ totalCount: 1, items: [cars] }),
  getWorkflow: async () => cars,
  listRuns: async ({ cursor }) => {
    if (cursor === 'oldest')
      return { items: [run('wfr_oldest')], nextCursor: null };
    if (cursor === 'older')
      return { items: [run('wfr_older')], nextCursor: 'oldest' };
    return { items: [run('wfr_newest')], nextCursor: 'older' };
  },
  getRun: notOnThisPage,
  streamRun: async (runId, onEvent) => onEvent({ run: run(runId), steps: [] }),
  downloadRunLog: notOnThisPage,
  triggerRun: notOnThisPage,
  cancelRun: notOnThisPage,
  getTriage: async ({ from, to }) => ({
    from: from ?? '2026-11-24T01:00:00.000Z',
    to: to ?? '2026-11-25T01:00:00.000Z',
    bucketMs: 3_600_000,
    groups: [],
    lastSyncedAt: null,
  }),
  getTriageGroupFailures: notOnThisPage,
  actOnDlq: notOnThisPage,
  listSchedules: async () => ({ items: [], totalCount: 0 }),
  getSchedule: notOnThisPage,
  previewSchedule: notOnThisPage,
  createSchedule: notOnThisPage,
  updateSchedule: notOnThisPage,
  deleteSchedule: notOnThisPage,
  pauseSchedule: notOnThisPage,
  resumeSchedule: notOnThisPage,
  getEnvHealth: async () => ({ items: [carsHealth] }),
  getWorkflowHealth: async () => carsHealth,
  recheckWorkflowHealth: notOnThisPage,
};

// A service that names the workflow it runs, and one that does not.
const catalogEntities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'sgcarstrends-data-updater',
      annotations: { 'qstash.upstash.com/workflow-id': 'cars' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'platform' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'qstash-workflows-portal' },
    spec: { type: 'website', lifecycle: 'production', owner: 'platform' },
  },
];

function renderAppAt(path: string) {
  return renderTestApp({
    features: appFeatures,
    initialRouteEntries: [path],
    apis: [
      [workflowsApiRef, workflowsApi],
      catalogApiMock({ entities: catalogEntities }),
    ],
  });
}

describe('App', () => {
  it('opens the Workflows page at /', async () => {
    renderAppAt('/');
    expect(
      await screen.findByRole('heading', { name: 'Workflows', level: 1 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Car registrations update' }),
    ).toHaveAttribute('href', '/workflows/cars');
  });

  it('opens a run at the path failure alerts link to', async () => {
    renderAppAt('/workflows/cars/runs/wfr_alerted');
    expect(
      await screen.findByRole('region', { name: 'Run summary' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Run wfr_alerted')).toBeInTheDocument();
  });

  it('pages to older runs and back through the app history', async () => {
    renderAppAt('/workflows/cars');
    await screen.findByTestId('run-wfr_newest');
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await screen.findByTestId('run-wfr_older');
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByTestId('run-wfr_oldest')).toBeInTheDocument();
    expect(screen.getByText('Page 3')).toBeInTheDocument();
    // Going back one page needs the cursors kept in the history entry.
    fireEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByTestId('run-wfr_older')).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
  });

  it('lists Failures, Schedules and Health in the sidebar right after Workflows, and opens Failures', async () => {
    renderAppAt('/');
    await screen.findByRole('heading', { name: 'Workflows', level: 1 });
    const nav = screen.getByRole('navigation');
    const titles = within(nav)
      .getAllByRole('link')
      .map(link => link.textContent?.trim())
      .filter(Boolean);
    const workflows = titles.indexOf('Workflows');
    expect(workflows).toBeGreaterThanOrEqual(0);
    expect(titles.slice(workflows + 1, workflows + 4)).toEqual([
      'Failures',
      'Schedules',
      'Health',
    ]);

    fireEvent.click(within(nav).getByRole('link', { name: 'Failures' }));
    expect(
      await screen.findByRole('heading', { name: 'Failures', level: 1 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No failures in this window'),
    ).toBeInTheDocument();
  });

  it('shows the Workflow tab on the catalog page of an entity that names a workflow', async () => {
    renderAppAt(
      '/catalog/default/component/sgcarstrends-data-updater/workflow',
    );
    expect(
      await screen.findByRole('region', { name: 'Workflow overview' }),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('run-wfr_newest')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open in Workflows' }),
    ).toHaveAttribute('href', '/workflows/cars');
    const tabs = await screen.findByRole('navigation', {
      name: 'Content navigation',
    });
    expect(
      within(tabs).getByRole('link', { name: 'Workflow' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/sgcarstrends-data-updater/workflow',
    );
  });

  it('offers no Workflow tab on entities without the annotation', async () => {
    renderAppAt('/catalog/default/component/qstash-workflows-portal');
    expect(
      await screen.findByRole('heading', { name: 'qstash-workflows-portal' }),
    ).toBeInTheDocument();
    const tabs = await screen.findByRole('navigation', {
      name: 'Content navigation',
    });
    expect(
      within(tabs)
        .getAllByRole('link')
        .map(link => link.textContent),
    ).toEqual(['Overview']);
  });

  it('opens the Schedules page from the sidebar', async () => {
    renderAppAt('/');
    await screen.findByRole('heading', { name: 'Workflows', level: 1 });
    const nav = screen.getByRole('navigation');
    fireEvent.click(within(nav).getByRole('link', { name: 'Schedules' }));
    expect(
      await screen.findByRole('heading', { name: 'Schedules', level: 1 }),
    ).toBeInTheDocument();
    expect(await screen.findByText('No schedules yet')).toBeInTheDocument();
  });

  it('opens the Health page from the sidebar, with the fix of each workflow', async () => {
    renderAppAt('/');
    await screen.findByRole('heading', { name: 'Workflows', level: 1 });
    const nav = screen.getByRole('navigation');
    fireEvent.click(within(nav).getByRole('link', { name: 'Health' }));
    expect(
      await screen.findByRole('heading', { name: 'Health', level: 1 }),
    ).toBeInTheDocument();
    const section = await screen.findByRole('region', {
      name: 'Health of Car registrations update',
    });
    expect(
      within(section).getByText('set TELEGRAM_BOT_TOKEN'),
    ).toBeInTheDocument();
    expect(
      within(section).getByRole('link', { name: 'Car registrations update' }),
    ).toHaveAttribute('href', '/workflows/cars?tab=health');
  });

  it('still answers an unknown path with the not-found page', async () => {
    renderAppAt('/no-such-page');
    expect(await screen.findByText(/page not found/i)).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Workflows', level: 1 }),
    ).not.toBeInTheDocument();
  });
});
