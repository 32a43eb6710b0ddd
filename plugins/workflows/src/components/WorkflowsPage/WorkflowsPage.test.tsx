import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { aWorkflow, fromNow } from '../../__testUtils__/fixtures';
import {
  aWorkflowHealth,
  carsWithEveryVerdict,
} from '../../__testUtils__/healthFixtures';
import {
  API_URL,
  renderWorkflowsAt,
} from '../../__testUtils__/renderWorkflows';

const server = setupServer();
registerMswTestHooks(server);

const listed = (items: unknown[]) =>
  http.get(`${API_URL}/workflows`, () =>
    HttpResponse.json({ items, totalCount: items.length }),
  );

/** Answers the table's one health call; records how often it was asked. */
function healthOf(items: unknown[]) {
  const calls: string[] = [];
  server.use(
    http.get(`${API_URL}/health/env`, ({ request }) => {
      calls.push(request.url);
      return HttpResponse.json({ items });
    }),
  );
  return calls;
}

// Tests about other columns get no health; the badge tests answer for themselves.
beforeEach(() => healthOf([]));

describe('WorkflowsPage', () => {
  it('shows each workflow with its schedule, last and next run, success rate and p50', async () => {
    server.use(
      listed([
        aWorkflow({
          stats: {
            lastRun: {
              runId: 'wfr_last',
              status: 'failed',
              startedAt: fromNow(-5 * 60_000),
              finishedAt: fromNow(-4 * 60_000),
            },
            nextRunAt: fromNow(2 * 3_600_000),
            runs7d: 12,
            successRate7d: 0.75,
            p50DurationMs7d: 12_400,
          },
        }),
        aWorkflow({
          id: 'coe-results',
          title: 'COE results update',
          source: 'config',
          endpoint: 'https://jobs.example.com/workflows/coe',
          schedule: null,
          requiredEnv: [],
        }),
      ]),
    );
    await renderWorkflowsAt(server, '/workflows');

    const cars = await screen.findByTestId('workflow-cars');
    expect(
      within(cars).getByText('Owner group:default/data-platform'),
    ).toBeVisible();
    expect(
      within(cars).getByText(
        'http://localhost:7007/api/workflows/runners/cars',
      ),
    ).toBeVisible();
    expect(
      within(cars).getByText(/Monday through Friday \(UTC\)/),
    ).toBeVisible();
    expect(within(cars).getByText('in 2 hours')).toBeVisible();
    expect(within(cars).getByText('5 minutes ago')).toBeVisible();
    expect(
      within(cars).getByRole('link', {
        name: 'Last run of Car registrations update: Failed',
      }),
    ).toHaveAttribute('href', '/workflows/cars/runs/wfr_last');
    expect(within(cars).getByText('75 % succeeded')).toBeVisible();
    expect(within(cars).getByText('of 12 finished runs')).toBeVisible();
    expect(within(cars).getByText('p50 12.4 s')).toBeVisible();
    expect(within(cars).getByText('Needs 1 env variable')).toBeVisible();

    const coe = screen.getByTestId('workflow-coe-results');
    expect(within(coe).getByText('Tracked')).toBeVisible();
    expect(within(coe).getByText('Not scheduled')).toBeVisible();
    expect(within(coe).getByText('No runs yet')).toBeVisible();
    expect(within(coe).getByText('No finished runs')).toBeVisible();
    expect(within(coe).queryByText(/^p50/)).not.toBeInTheDocument();
    expect(within(coe).queryByText(/^Needs/)).not.toBeInTheDocument();
    expect(screen.getByText('2 workflows')).toBeVisible();
  });

  it('links every workflow title, tracked ones too, to its workflow page', async () => {
    server.use(
      listed([
        aWorkflow(),
        aWorkflow({ id: 'coe results', title: 'COE', source: 'config' }),
      ]),
    );
    await renderWorkflowsAt(server, '/workflows');
    expect(
      await screen.findByRole('link', { name: 'Car registrations update' }),
    ).toHaveAttribute('href', '/workflows/cars');
    expect(screen.getByRole('link', { name: 'COE' })).toHaveAttribute(
      'href',
      '/workflows/coe%20results',
    );
  });

  it('links every workflow to its entity in the software catalog', async () => {
    server.use(listed([aWorkflow(), aWorkflow({ id: 'Nightly report' })]));
    await renderWorkflowsAt(server, '/workflows');
    const cars = await screen.findByTestId('workflow-cars');
    expect(
      within(cars).getByRole('link', {
        name: 'Car registrations update in the catalog',
      }),
    ).toHaveAttribute('href', '/catalog/default/component/workflow-cars');
    // An id the catalog cannot take as a name links to the name it was given.
    const nightly = screen.getByTestId('workflow-Nightly report');
    expect(
      within(nightly)
        .getByRole('link', { name: /in the catalog$/ })
        .getAttribute('href'),
    ).toMatch(
      /^\/catalog\/default\/component\/workflow-nightly-report-[0-9a-z]{7}$/,
    );
  });

  it('shows a health badge per workflow from one call, linking to its health view', async () => {
    server.use(
      listed([
        aWorkflow(),
        aWorkflow({ id: 'coe', title: 'COE results update' }),
        aWorkflow({ id: 'new', title: 'Brand new' }),
      ]),
    );
    const calls = healthOf([
      carsWithEveryVerdict,
      aWorkflowHealth({
        workflowId: 'coe',
        workflowTitle: 'COE results update',
      }),
    ]);
    await renderWorkflowsAt(server, '/workflows');

    const cars = await screen.findByTestId('workflow-cars');
    expect(
      await within(cars).findByRole('link', {
        name: 'Health of Car registrations update: Failing',
      }),
    ).toHaveAttribute('href', '/workflows/cars?tab=health');
    expect(
      within(screen.getByTestId('workflow-coe')).getByRole('link', {
        name: 'Health of COE results update: OK',
      }),
    ).toHaveAttribute('href', '/workflows/coe?tab=health');
    // A workflow the health answer does not know yet.
    expect(
      within(screen.getByTestId('workflow-new')).getByText('Not checked'),
    ).toBeVisible();
    expect(calls).toHaveLength(1);
  });

  it('keeps the table while the health loads, and when it fails says why on hover', async () => {
    server.use(listed([aWorkflow()]));
    let release: () => void = () => {};
    server.use(
      http.get(`${API_URL}/health/env`, async () => {
        await new Promise<void>(resolve => {
          release = resolve;
        });
        return HttpResponse.json(
          {
            error: { name: 'Error', message: 'probe runner crashed' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        );
      }),
    );
    await renderWorkflowsAt(server, '/workflows');
    const cars = await screen.findByTestId('workflow-cars');
    expect(within(cars).getByText('Checking…')).toBeVisible();
    expect(
      within(cars).getByText('Owner group:default/data-platform'),
    ).toBeVisible();

    release();
    const unknown = await within(cars).findByText('Health unknown');
    expect(
      within(cars).getByRole('link', { name: 'Car registrations update' }),
    ).toBeVisible();
    await userEvent.hover(unknown);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Could not load the health: probe runner crashed',
    );
  });

  it('shows progress while the list loads', async () => {
    let release: () => void = () => {};
    server.use(
      http.get(`${API_URL}/workflows`, async () => {
        await new Promise<void>(resolve => {
          release = resolve;
        });
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await renderWorkflowsAt(server, '/workflows');
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    release();
    expect(await screen.findByText('No workflows yet')).toBeVisible();
  });

  it('explains how to add workflows when there are none', async () => {
    server.use(listed([]));
    await renderWorkflowsAt(server, '/workflows');
    expect(await screen.findByText('No workflows yet')).toBeVisible();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says which permission is missing when the backend denies the list', async () => {
    server.use(
      http.get(`${API_URL}/workflows`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Missing permission workflows.workflow.read',
            },
            request: { method: 'GET', url: '/api/workflows/workflows' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderWorkflowsAt(server, '/workflows');
    expect(await screen.findByText(/Permission denied/)).toBeVisible();
    expect(
      screen.getByText(/Missing permission workflows\.workflow\.read/),
    ).toBeVisible();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('fails loudly, naming the field, when the backend answers in another shape', async () => {
    server.use(
      listed([{ ...aWorkflow(), stats: { ...aWorkflow().stats, runs7d: -1 } }]),
    );
    await renderWorkflowsAt(server, '/workflows');
    expect(
      (
        await screen.findAllByText(
          /Unexpected response from GET \/workflows: items\.0\.stats\.runs7d/,
        )
      )[0],
    ).toBeVisible();
  });
});
