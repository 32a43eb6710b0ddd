import { registerMswTestHooks } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  aRun,
  aRunResponse,
  aWorkflow,
  fromNow,
} from '../../__testUtils__/fixtures';
import {
  API_URL,
  currentLocation,
  renderWorkflowsAt,
} from '../../__testUtils__/renderWorkflows';

const server = setupServer();
registerMswTestHooks(server);

const workflow = aWorkflow({
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
});

const failed = aRun({
  runId: 'wfr_failed',
  status: 'failed',
  failedStep: 'Publish to Telegram',
  error: 'Telegram answered HTTP 500',
  label: 'backfill-2026-10',
});
const succeeded = aRun({ runId: 'wfr_ok', durationMs: 850 });

const backendError = (status: number, name: string, message: string) =>
  HttpResponse.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );

/** Serves the workflow and answers /runs with `pages[cursor ?? '']`; records every query. */
function serve(
  pages: Record<string, { items: unknown[]; nextCursor: string | null }>,
  served = workflow,
) {
  const runQueries: URLSearchParams[] = [];
  server.use(
    http.get(`${API_URL}/workflows/${served.id}`, () =>
      HttpResponse.json(served),
    ),
    http.get(`${API_URL}/runs`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      runQueries.push(params);
      const page = pages[params.get('cursor') ?? ''];
      return page
        ? HttpResponse.json(page)
        : backendError(400, 'InputError', 'cursor: unknown cursor');
    }),
  );
  return runQueries;
}

describe('WorkflowPage', () => {
  it('shows owner, endpoint, schedule in words, next run and stats, and the runs', async () => {
    const queries = serve({
      '': { items: [failed, succeeded], nextCursor: null },
    });
    await renderWorkflowsAt(server, '/workflows/cars');

    expect(
      await screen.findByRole('heading', { name: 'Car registrations update' }),
    ).toBeVisible();
    const overview = await screen.findByRole('region', {
      name: 'Workflow overview',
    });
    // Back to the workflow's entity in the software catalog.
    expect(screen.getByRole('link', { name: 'workflow-cars' })).toHaveAttribute(
      'href',
      '/catalog/default/component/workflow-cars',
    );
    expect(
      within(overview).getByRole('link', { name: 'Edit schedule' }),
    ).toHaveAttribute('href', '/schedules?workflow=cars');
    expect(
      within(overview).getByText('group:default/data-platform'),
    ).toBeVisible();
    expect(
      within(overview).getByText(
        'http://localhost:7007/api/workflows/runners/cars',
      ),
    ).toBeVisible();
    expect(
      within(overview).getByText(/Monday through Friday \(UTC\)/),
    ).toBeVisible();
    expect(within(overview).getByText('0 0-10 * * 1-5')).toBeVisible();
    expect(within(overview).getByText('in 30 minutes')).toBeVisible();
    expect(within(overview).getByText('10 minutes ago')).toBeVisible();
    expect(within(overview).getByText('90 %')).toBeVisible();
    expect(within(overview).getByText('of 40 finished runs')).toBeVisible();
    expect(within(overview).getByText('1 min 35 s')).toBeVisible();
    expect(within(overview).getByText('QSTASH_TOKEN')).toBeVisible();

    const failedRow = await screen.findByTestId('run-wfr_failed');
    expect(within(failedRow).getByText('Failed')).toBeVisible();
    expect(within(failedRow).getByText('10.0 s')).toBeVisible();
    expect(within(failedRow).getByText('2 steps')).toBeVisible();
    expect(within(failedRow).getByText('Label backfill-2026-10')).toBeVisible();
    expect(
      within(failedRow).getByText(
        'Publish to Telegram: Telegram answered HTTP 500',
      ),
    ).toBeVisible();
    expect(
      within(failedRow).getByRole('link', { name: 'wfr_failed' }),
    ).toHaveAttribute('href', '/workflows/cars/runs/wfr_failed');
    expect(
      within(screen.getByTestId('run-wfr_ok')).getByText('850 ms'),
    ).toBeVisible();

    expect(queries).toHaveLength(1);
    expect(Object.fromEntries(queries[0])).toEqual({
      workflow: 'cars',
      limit: '20',
    });
  });

  it('shows progress while runs load, and says when there are none yet', async () => {
    let release: () => void = () => {};
    server.use(
      http.get(`${API_URL}/workflows/cars`, () => HttpResponse.json(workflow)),
      http.get(`${API_URL}/runs`, async () => {
        await new Promise<void>(resolve => {
          release = resolve;
        });
        return HttpResponse.json({ items: [], nextCursor: null });
      }),
    );
    await renderWorkflowsAt(server, '/workflows/cars');
    await screen.findByRole('region', { name: 'Workflow overview' });
    // Progress shows after a short delay, so wait for it.
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    release();
    expect(await screen.findByText('No runs yet')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();
  });

  it('says the workflow does not exist, and shows no runs', async () => {
    server.use(
      // The runs load alongside the workflow.
      http.get(`${API_URL}/runs`, () =>
        HttpResponse.json({ items: [], nextCursor: null }),
      ),
      http.get(`${API_URL}/workflows/nope`, () =>
        backendError(404, 'NotFoundError', 'No workflow with id nope'),
      ),
    );
    await renderWorkflowsAt(server, '/workflows/nope');
    expect(await screen.findByText('No such workflow')).toBeVisible();
    expect(screen.getByText('No workflow with id nope')).toBeVisible();
    expect(
      screen.queryByRole('table', { name: 'Runs' }),
    ).not.toBeInTheDocument();
  });

  it('shows the backend error when the runs cannot be listed', async () => {
    server.use(
      http.get(`${API_URL}/workflows/cars`, () => HttpResponse.json(workflow)),
      http.get(`${API_URL}/runs`, () =>
        backendError(500, 'Error', 'database is locked'),
      ),
    );
    await renderWorkflowsAt(server, '/workflows/cars');
    expect(await screen.findByText(/Request failed with 500/)).toBeVisible();
    expect(screen.getAllByText(/database is locked/)[0]).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Runs' }),
    ).not.toBeInTheDocument();
  });

  it('puts the filters in the URL and sends them to the server', async () => {
    const queries = serve({ '': { items: [failed], nextCursor: null } });
    await renderWorkflowsAt(server, '/workflows/cars');
    await screen.findByTestId('run-wfr_failed');

    await userEvent.click(screen.getByRole('combobox', { name: 'State' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Failed' }),
    );
    await waitFor(() =>
      expect(currentLocation().searchParams.get('state')).toBe('failed'),
    );
    await waitFor(() => expect(queries).toHaveLength(2));
    expect(queries[1].get('state')).toBe('failed');

    const typeInto = async (name: string, text: string) => {
      await userEvent.click(screen.getByRole('textbox', { name }));
      await userEvent.paste(text);
    };
    await typeInto('Step', 'Publish to Telegram');
    await typeInto('Error contains', 'HTTP 500');
    await typeInto('Label', 'backfill-2026-10');
    fireEvent.change(screen.getByLabelText('Started from'), {
      target: { value: '2026-11-01T00:00' },
    });
    fireEvent.change(screen.getByLabelText('Started before'), {
      target: { value: '2026-11-30T12:30' },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply filters' }),
    );

    const expected = {
      workflow: 'cars',
      limit: '20',
      state: 'failed',
      step: 'Publish to Telegram',
      error: 'HTTP 500',
      label: 'backfill-2026-10',
      from: new Date('2026-11-01T00:00').toISOString(),
      to: new Date('2026-11-30T12:30').toISOString(),
    };
    await waitFor(() => expect(queries).toHaveLength(3));
    expect(Object.fromEntries(queries[2])).toEqual(expected);
    const { workflow: _workflow, limit: _limit, ...inUrl } = expected;
    expect(Object.fromEntries(currentLocation().searchParams)).toEqual(inUrl);

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(currentLocation().search).toBe(''));
    await waitFor(() => expect(queries).toHaveLength(4));
    expect(Object.fromEntries(queries[3])).toEqual({
      workflow: 'cars',
      limit: '20',
    });
  });

  it('reproduces a filtered view from a link, and says when nothing matches', async () => {
    const queries = serve({ '': { items: [], nextCursor: null } });
    await renderWorkflowsAt(
      server,
      '/workflows/cars?state=failed&step=Publish%20to%20Telegram&from=2026-11-01T00%3A00%3A00.000Z',
    );
    expect(
      await screen.findByText('No runs match these filters'),
    ).toBeVisible();
    expect(Object.fromEntries(queries[0])).toEqual({
      workflow: 'cars',
      limit: '20',
      state: 'failed',
      step: 'Publish to Telegram',
      from: '2026-11-01T00:00:00.000Z',
    });
    expect(screen.getByRole('textbox', { name: 'Step' })).toHaveValue(
      'Publish to Telegram',
    );
    expect(screen.getByRole('combobox', { name: 'State' })).toHaveTextContent(
      'Failed',
    );
  });

  it('names the bad field of a hand-edited URL instead of asking the server', async () => {
    const queries = serve({ '': { items: [], nextCursor: null } });
    await renderWorkflowsAt(server, '/workflows/cars?state=exploded');
    expect(
      (
        await screen.findAllByText(
          /The address holds an invalid run filter: state:/,
        )
      )[0],
    ).toBeVisible();
    expect(queries).toHaveLength(0);
  });

  it('pages through older runs with the cursors and back', async () => {
    const older = aRun({ runId: 'wfr_older' });
    const oldest = aRun({ runId: 'wfr_oldest' });
    const queries = serve({
      '': { items: [failed], nextCursor: 'cursor-2' },
      'cursor-2': { items: [older], nextCursor: 'cursor-3' },
      'cursor-3': { items: [oldest], nextCursor: null },
    });
    await renderWorkflowsAt(server, '/workflows/cars?state=failed');
    await screen.findByTestId('run-wfr_failed');
    expect(screen.getByText('Page 1')).toBeVisible();
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByTestId('run-wfr_older')).toBeVisible();
    expect(screen.getByText('Page 2')).toBeVisible();
    expect(queries[1].get('cursor')).toBe('cursor-2');
    expect(queries[1].get('state')).toBe('failed');
    expect(currentLocation().searchParams.get('cursor')).toBe('cursor-2');

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByTestId('run-wfr_oldest')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await screen.findByTestId('run-wfr_older')).toBeVisible();
    expect(queries[queries.length - 1].get('cursor')).toBe('cursor-2');

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await screen.findByTestId('run-wfr_failed')).toBeVisible();
    expect(queries[queries.length - 1].get('cursor')).toBeNull();
    expect(currentLocation().searchParams.get('state')).toBe('failed');
    expect(screen.getByText('Page 1')).toBeVisible();
  });

  it('disables Trigger with the missing permission as the reason', async () => {
    // usePermission caches decisions per permission and resource for the whole
    // test file, so the denied workflow is not the one other tests trigger.
    serve({ '': { items: [], nextCursor: null } }, aWorkflow({ id: 'locked' }));
    const { permissionRequests } = await renderWorkflowsAt(
      server,
      '/workflows/locked',
      {
        granted: [],
      },
    );
    await screen.findByRole('region', { name: 'Workflow overview' });
    const trigger = screen.getByRole('button', { name: 'Trigger' });
    await waitFor(() => expect(trigger).toBeDisabled());
    await userEvent.hover(trigger.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You need the workflows.run.trigger permission',
    );
    expect(permissionRequests).toContainEqual({
      name: 'workflows.run.trigger',
      resourceRef: 'locked',
    });
  });

  it('triggers a run with a validated JSON body and label, then opens it', async () => {
    serve({ '': { items: [], nextCursor: null } });
    const triggered: unknown[] = [];
    server.use(
      http.post(`${API_URL}/workflows/cars/trigger`, async ({ request }) => {
        triggered.push(await request.json());
        return HttpResponse.json({ runId: 'wfr_new', workflowId: 'cars' });
      }),
      http.get(`${API_URL}/runs/wfr_new/stream`, () =>
        backendError(503, 'ServiceUnavailableError', 'no streams here'),
      ),
      http.get(`${API_URL}/runs/wfr_new`, () =>
        HttpResponse.json(
          aRunResponse({ runId: 'wfr_new', status: 'succeeded' }),
        ),
      ),
    );
    await renderWorkflowsAt(server, '/workflows/cars');
    const trigger = await screen.findByRole('button', { name: 'Trigger' });
    await waitFor(() => expect(trigger).toBeEnabled());
    await userEvent.click(trigger);

    const dialog = await screen.findByRole('dialog', {
      name: 'Trigger Car registrations update',
    });
    const body = within(dialog).getByRole('textbox', { name: 'Body (JSON)' });
    await userEvent.click(body);
    await userEvent.paste('{"month": 2026-10}');
    expect(within(dialog).getByText(/^Not valid JSON: /)).toBeVisible();
    expect(
      within(dialog).getByRole('button', { name: 'Trigger run' }),
    ).toBeDisabled();

    await userEvent.clear(body);
    await userEvent.paste('{"month": "2026-10"}');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Label' }),
      'has space',
    );
    expect(
      within(dialog).getByText('a label is letters, digits, ".", "_", "-"'),
    ).toBeVisible();
    await userEvent.clear(
      within(dialog).getByRole('textbox', { name: 'Label' }),
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Label' }),
      'manual-1',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Trigger run' }),
    );
    await waitFor(() =>
      expect(currentLocation().pathname).toBe('/workflows/cars/runs/wfr_new'),
    );
    expect(triggered).toEqual([
      { body: { month: '2026-10' }, label: 'manual-1' },
    ]);
  });

  it('shows the field error the server names, and stays on the dialog', async () => {
    serve({ '': { items: [], nextCursor: null } });
    server.use(
      http.post(`${API_URL}/workflows/cars/trigger`, () =>
        backendError(400, 'InputError', 'body.month: must be YYYY-MM'),
      ),
    );
    await renderWorkflowsAt(server, '/workflows/cars');
    const trigger = await screen.findByRole('button', { name: 'Trigger' });
    await waitFor(() => expect(trigger).toBeEnabled());
    await userEvent.click(trigger);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('textbox', { name: 'Body (JSON)' }),
    );
    await userEvent.paste('{"month": "October"}');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Trigger run' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'body.month: must be YYYY-MM',
    );
    expect(currentLocation().pathname).toBe('/workflows/cars');
  });
});
