import { registerMswTestHooks } from '@backstage/test-utils';
import type { ProbeResult } from '@internal/plugin-workflows-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { serveHealth } from '../../__testUtils__/fakeHealthBackend';
import { aRun } from '../../__testUtils__/fixtures';
import {
  aWorkflowHealth,
  carsWithEveryVerdict,
} from '../../__testUtils__/healthFixtures';
import {
  API_URL,
  currentLocation,
  renderWorkflowsAt,
} from '../../__testUtils__/renderWorkflows';

const server = setupServer();
registerMswTestHooks(server);

const TRIGGER = 'workflows.run.trigger';

/**
 * usePermission caches decisions per permission and workflow for the whole
 * file: every test grants the trigger permission but the one about its
 * denial, which uses a workflow of its own.
 */
const renderAt = (path: string) =>
  renderWorkflowsAt(server, path, { granted: [TRIGGER] });

const healthTable = () =>
  screen.getByRole('table', {
    name: 'Health checks of Car registrations update',
  });

const rowOf = (key: string) =>
  within(healthTable()).getByTestId(`health-check-${key}`);

const telegramFixed: ProbeResult = {
  ...carsWithEveryVerdict.probes[3],
  verdict: 'ok',
  message: 'bot @sgcarstrends_bot',
  fix: null,
  latencyMs: 290,
  cached: false,
};

describe('Workflow page Health tab', () => {
  it('opens from the URL with every check of the workflow, its verdict words and fixes', async () => {
    const requests = serveHealth(server, { items: [carsWithEveryVerdict] });
    await renderAt('/workflows/cars?tab=health');

    const tabs = await screen.findByRole('tablist', {
      name: 'Views of this workflow',
    });
    expect(within(tabs).getByRole('tab', { name: 'Health' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    const panel = await screen.findByRole('region', {
      name: 'Health of this workflow',
    });
    await within(panel).findByRole('table', {
      name: 'Health checks of Car registrations update',
    });
    expect(
      within(rowOf('env:TELEGRAM_BOT_TOKEN')).getByText('Failing'),
    ).toBeVisible();
    expect(
      within(rowOf('env:TELEGRAM_BOT_TOKEN')).getByText(
        'set TELEGRAM_BOT_TOKEN',
      ),
    ).toBeVisible();
    expect(
      within(rowOf('probe:signing-keys')).getByText('Warning'),
    ).toBeVisible();
    expect(
      within(rowOf('probe:signing-keys')).getByText(
        'rotate: the next key is now current on QStash',
      ),
    ).toBeVisible();
    expect(within(rowOf('probe:database')).getByText('OK')).toBeVisible();
    expect(
      within(rowOf('probe:telegram')).getByText('Not probed'),
    ).toBeVisible();
    // The runs of the other tab are not asked for.
    expect(requests).toEqual([
      { method: 'GET', path: '/workflows/cars/health' },
    ]);
  });

  it('switches between runs and health in the URL, keeping the run filters', async () => {
    serveHealth(server, { items: [carsWithEveryVerdict] });
    const runQueries: URLSearchParams[] = [];
    server.use(
      http.get(`${API_URL}/runs`, ({ request }) => {
        runQueries.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          items: [aRun({ runId: 'wfr_failed', status: 'failed' })],
          nextCursor: null,
        });
      }),
    );
    await renderAt('/workflows/cars?state=failed');
    await screen.findByTestId('run-wfr_failed');

    await userEvent.click(screen.getByRole('tab', { name: 'Health' }));
    await waitFor(() =>
      expect(Object.fromEntries(currentLocation().searchParams)).toEqual({
        state: 'failed',
        tab: 'health',
      }),
    );
    expect(
      await screen.findByRole('table', {
        name: 'Health checks of Car registrations update',
      }),
    ).toBeVisible();
    expect(screen.queryByTestId('run-wfr_failed')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Runs' }));
    await waitFor(() => expect(currentLocation().search).toBe('?state=failed'));
    expect(await screen.findByTestId('run-wfr_failed')).toBeVisible();
    expect(runQueries[runQueries.length - 1].get('state')).toBe('failed');
  });

  it('re-checks past the cache, shows progress, then the fresh results', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const requests = serveHealth(server, {
      items: [carsWithEveryVerdict],
      gate,
      recheck: () =>
        aWorkflowHealth({
          ...carsWithEveryVerdict,
          probes: [telegramFixed],
        }),
    });
    await renderAt('/workflows/cars?tab=health');
    await screen.findByRole('table', {
      name: 'Health checks of Car registrations update',
    });
    expect(
      within(rowOf('probe:signing-keys')).getByText('Cached'),
    ).toBeVisible();

    const recheck = screen.getByRole('button', {
      name: 'Re-check Car registrations update',
    });
    await waitFor(() => expect(recheck).toBeEnabled());
    await userEvent.click(recheck);
    expect(
      await screen.findByRole('progressbar', {
        name: 'Re-checking Car registrations update',
      }),
    ).toBeVisible();
    expect(recheck).toBeDisabled();
    expect(recheck).toHaveTextContent('Re-checking…');

    release();
    await waitFor(() =>
      expect(
        within(rowOf('probe:telegram')).getByText('bot @sgcarstrends_bot'),
      ).toBeVisible(),
    );
    expect(within(rowOf('probe:telegram')).getByText('OK')).toBeVisible();
    expect(within(rowOf('probe:telegram')).getByText('290 ms')).toBeVisible();
    expect(within(healthTable()).queryByText('Cached')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('progressbar', {
        name: 'Re-checking Car registrations update',
      }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('Re-checked just now: these are fresh results.'),
    ).toBeVisible();
    expect(recheck).toBeEnabled();
    expect(requests.filter(r => r.method === 'POST')).toEqual([
      { method: 'POST', path: '/workflows/cars/health/check', body: {} },
    ]);
  });

  it('says why a re-check failed and keeps the results it had', async () => {
    serveHealth(server, {
      items: [carsWithEveryVerdict],
      recheck: () => ({
        status: 503,
        name: 'ServiceUnavailableError',
        message: 'the probes are busy, try again in a minute',
      }),
    });
    await renderAt('/workflows/cars?tab=health');
    await screen.findByRole('table', {
      name: 'Health checks of Car registrations update',
    });
    const recheck = screen.getByRole('button', {
      name: 'Re-check Car registrations update',
    });
    await waitFor(() => expect(recheck).toBeEnabled());
    await userEvent.click(recheck);
    expect(
      await screen.findByText(
        'Could not re-check Car registrations update: the probes are busy, try again in a minute',
      ),
    ).toBeVisible();
    expect(
      within(rowOf('env:TELEGRAM_BOT_TOKEN')).getByText(
        'set TELEGRAM_BOT_TOKEN',
      ),
    ).toBeVisible();
  });

  it('disables Re-check with the missing permission as the reason', async () => {
    const locked = aWorkflowHealth({
      workflowId: 'locked',
      workflowTitle: 'Locked workflow',
    });
    const requests = serveHealth(server, { items: [locked] });
    const { permissionRequests } = await renderWorkflowsAt(
      server,
      '/workflows/locked?tab=health',
      { granted: [] },
    );
    await screen.findByRole('table', {
      name: 'Health checks of Locked workflow',
    });
    const recheck = screen.getByRole('button', {
      name: 'Re-check Locked workflow',
    });
    await waitFor(() => expect(recheck).toBeDisabled());
    await userEvent.hover(recheck.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You need the workflows.run.trigger permission',
    );
    expect(permissionRequests).toContainEqual({
      name: TRIGGER,
      resourceRef: 'locked',
    });
    expect(requests.filter(r => r.method === 'POST')).toEqual([]);
  });

  it('shows the backend error when the health of the workflow cannot be read', async () => {
    serveHealth(server, { items: [carsWithEveryVerdict] });
    server.use(
      http.get(`${API_URL}/workflows/cars/health`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Missing permission workflows.workflow.read',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderAt('/workflows/cars?tab=health');
    expect(await screen.findByText(/Permission denied/)).toBeVisible();
    expect(
      screen.getByText(/Missing permission workflows\.workflow\.read/),
    ).toBeVisible();
  });
});
