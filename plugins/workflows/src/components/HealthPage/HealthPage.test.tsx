import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { serveHealth } from '../../__testUtils__/fakeHealthBackend';
import {
  aProbe,
  aWorkflowHealth,
  carsWithEveryVerdict,
} from '../../__testUtils__/healthFixtures';
import {
  API_URL,
  currentLocation,
  renderWorkflowsAt,
} from '../../__testUtils__/renderWorkflows';
import { formatDateTime } from '../shared/time';

const server = setupServer();
registerMswTestHooks(server);

const coe = aWorkflowHealth({
  workflowId: 'coe',
  workflowTitle: 'COE results update',
});
const posts = aWorkflowHealth({
  workflowId: 'posts',
  workflowTitle: 'Social posts',
  verdict: 'warning',
  variables: [],
  probes: [
    aProbe({
      id: 'signing-keys',
      title: 'QStash signing keys',
      verdict: 'warning',
      message: 'one rotation behind',
      fix: 'rotate: the next key is now current on QStash',
    }),
  ],
});

/** The cells of a check's row, by column header. */
function cellsOf(section: HTMLElement, key: string) {
  const row = within(section).getByTestId(`health-check-${key}`);
  const headers = within(section)
    .getAllByRole('columnheader')
    .map(header => header.textContent);
  const cells = within(row).getAllByRole('cell');
  return (column: string) => cells[headers.indexOf(column)];
}

describe('HealthPage', () => {
  it('shows every variable and probe with its verdict in words, what was found and the fix', async () => {
    serveHealth(server, { items: [coe, carsWithEveryVerdict] });
    await renderWorkflowsAt(server, '/health');

    const cars = await screen.findByRole('region', {
      name: 'Health of Car registrations update',
    });
    expect(
      within(cars).getByText(
        '7 checks: 3 failing, 1 warning, 1 not probed, 2 OK',
      ),
    ).toBeVisible();

    const present = cellsOf(cars, 'env:QSTASH_TOKEN');
    expect(present('Kind')).toHaveTextContent('Variable');
    expect(present('Verdict')).toHaveTextContent('OK');
    expect(present('Found')).toHaveTextContent('Set');
    expect(present('Fix')).toHaveTextContent('Nothing to do');

    const missing = cellsOf(cars, 'env:TELEGRAM_BOT_TOKEN');
    expect(missing('Verdict')).toHaveTextContent('Failing');
    expect(missing('Found')).toHaveTextContent('Not set');
    expect(missing('Fix')).toHaveTextContent('set TELEGRAM_BOT_TOKEN');

    const invalid = cellsOf(cars, 'config:workflows.sources.lta.url');
    expect(invalid('Kind')).toHaveTextContent('Config key');
    expect(invalid('Verdict')).toHaveTextContent('Failing');
    expect(invalid('Found')).toHaveTextContent('Invalid: not a URL');

    const ok = cellsOf(cars, 'probe:database');
    expect(ok('Kind')).toHaveTextContent('Probe');
    expect(ok('Verdict')).toHaveTextContent('OK');
    expect(ok('Latency')).toHaveTextContent('4 ms');
    expect(ok('Last checked')).toHaveTextContent('2 minutes ago');
    expect(ok('Last checked')).not.toHaveTextContent('Cached');

    const warning = cellsOf(cars, 'probe:signing-keys');
    expect(warning('Check')).toHaveTextContent('QStash signing keys');
    expect(warning('Verdict')).toHaveTextContent('Warning');
    expect(warning('Found')).toHaveTextContent('one rotation behind');
    expect(warning('Fix')).toHaveTextContent(
      'rotate: the next key is now current on QStash',
    );
    expect(warning('Last checked')).toHaveTextContent('Cached');

    const failing = cellsOf(cars, 'probe:lta-source');
    expect(failing('Verdict')).toHaveTextContent('Failing');
    expect(failing('Found')).toHaveTextContent('answered HTTP 401');
    expect(failing('Fix')).toHaveTextContent('check LTA_ACCOUNT_KEY with LTA');
    expect(failing('Latency')).toHaveTextContent('1.3 s');

    const notProbed = cellsOf(cars, 'probe:telegram');
    expect(notProbed('Verdict')).toHaveTextContent('Not probed');
    expect(notProbed('Found')).toHaveTextContent(
      'platforms are probed only on request',
    );
    expect(notProbed('Latency')).toHaveTextContent('—');

    // The exact time of a check is in the tooltip of its relative time.
    await userEvent.hover(
      within(ok('Last checked')).getByText('2 minutes ago'),
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      formatDateTime(carsWithEveryVerdict.probes[0].checkedAt),
    );
  });

  it('lists the workflows worst first, each linking to its health view', async () => {
    serveHealth(server, { items: [coe, posts, carsWithEveryVerdict] });
    await renderWorkflowsAt(server, '/health');
    await screen.findByRole('region', { name: 'Health of COE results update' });
    const order = screen
      .getAllByRole('region', { name: /^Health of / })
      .map(section => section.getAttribute('aria-label'));
    expect(order).toEqual([
      'Health of Car registrations update',
      'Health of Social posts',
      'Health of COE results update',
    ]);
    const cars = screen.getByRole('region', {
      name: 'Health of Car registrations update',
    });
    expect(
      within(cars).getByRole('link', { name: 'Car registrations update' }),
    ).toHaveAttribute('href', '/workflows/cars?tab=health');
    // The verdict of the workflow as a whole, before its checks.
    expect(
      within(screen.getByTestId('health-posts')).getAllByText('Warning')[0],
    ).toBeVisible();
    expect(screen.getByText('3 workflows')).toBeVisible();
  });

  it('filters by verdict through the URL, and offers every workflow when none matches', async () => {
    serveHealth(server, { items: [coe, posts, carsWithEveryVerdict] });
    await renderWorkflowsAt(server, '/health');
    await screen.findByTestId('health-cars');

    await userEvent.click(screen.getByRole('combobox', { name: 'Verdict' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Warning (1)' }),
    );
    await waitFor(() =>
      expect(currentLocation().search).toBe('?verdict=warning'),
    );
    expect(screen.getByTestId('health-posts')).toBeVisible();
    expect(screen.queryByTestId('health-cars')).not.toBeInTheDocument();
    expect(screen.queryByTestId('health-coe')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('combobox', { name: 'Verdict' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Not probed (0)' }),
    );
    expect(await screen.findByText('No workflow is not probed')).toBeVisible();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show every workflow' }),
    );
    await waitFor(() => expect(currentLocation().search).toBe(''));
    expect(await screen.findByTestId('health-coe')).toBeVisible();
    expect(screen.getByTestId('health-cars')).toBeVisible();
  });

  it('opens a filtered view from a link, and says when the link names no verdict', async () => {
    serveHealth(server, { items: [coe, carsWithEveryVerdict] });
    await renderWorkflowsAt(server, '/health?verdict=failing');
    expect(await screen.findByTestId('health-cars')).toBeVisible();
    expect(screen.queryByTestId('health-coe')).not.toBeInTheDocument();
    expect(screen.getByText('1 workflow')).toBeVisible();
  });

  it('shows every workflow with a warning when the URL names an unknown verdict', async () => {
    serveHealth(server, { items: [coe, carsWithEveryVerdict] });
    await renderWorkflowsAt(server, '/health?verdict=sick');
    expect(
      await screen.findByText(
        'The address names no verdict "sick"; showing every workflow.',
      ),
    ).toBeVisible();
    expect(await screen.findByTestId('health-coe')).toBeVisible();
    expect(screen.getByTestId('health-cars')).toBeVisible();
  });

  it('re-checks one workflow, with the platforms when asked, and shows its fresh results', async () => {
    const requests = serveHealth(server, {
      items: [coe, carsWithEveryVerdict],
      recheck: () => ({
        ...carsWithEveryVerdict,
        probes: carsWithEveryVerdict.probes.map(probe =>
          probe.id === 'telegram'
            ? {
                ...probe,
                verdict: 'ok' as const,
                message: 'bot @sgcarstrends_bot',
                latencyMs: 310,
                cached: false,
              }
            : { ...probe, cached: false },
        ),
      }),
    });
    await renderWorkflowsAt(server, '/health');
    const cars = await screen.findByTestId('health-cars');

    await userEvent.click(
      within(cars).getByRole('checkbox', {
        name: 'Also probe social platforms (dry run)',
      }),
    );
    const recheck = within(cars).getByRole('button', {
      name: 'Re-check Car registrations update',
    });
    await waitFor(() => expect(recheck).toBeEnabled());
    await userEvent.click(recheck);

    await waitFor(() =>
      expect(cellsOf(cars, 'probe:telegram')('Found')).toHaveTextContent(
        'bot @sgcarstrends_bot',
      ),
    );
    expect(cellsOf(cars, 'probe:telegram')('Verdict')).toHaveTextContent('OK');
    expect(cellsOf(cars, 'probe:telegram')('Latency')).toHaveTextContent(
      '310 ms',
    );
    expect(within(cars).queryByText('Cached')).not.toBeInTheDocument();
    expect(
      within(cars).getByText('Re-checked just now: these are fresh results.'),
    ).toBeVisible();
    // The other workflow is left as it was.
    expect(
      within(screen.getByTestId('health-coe')).queryByText(/Re-checked/),
    ).not.toBeInTheDocument();
    expect(requests.filter(r => r.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/workflows/cars/health/check',
        body: { probePlatforms: true },
      },
    ]);
  });

  it('shows the backend error when the health cannot be read', async () => {
    server.use(
      http.get(`${API_URL}/health/env`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'probe runner crashed' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      ),
    );
    await renderWorkflowsAt(server, '/health');
    expect(await screen.findByText(/Request failed with 500/)).toBeVisible();
    expect(screen.getAllByText(/probe runner crashed/)[0]).toBeInTheDocument();
  });

  it('says so when there is no workflow to check', async () => {
    serveHealth(server, { items: [] });
    await renderWorkflowsAt(server, '/health');
    expect(await screen.findByText('No workflows to check')).toBeVisible();
  });
});
