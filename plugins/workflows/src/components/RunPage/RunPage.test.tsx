import { registerMswTestHooks } from '@backstage/test-utils';
import type { GetRunResponse } from '@internal/plugin-workflows-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { aRunResponse, aStep, aWorkflow } from '../../__testUtils__/fixtures';
import {
  API_URL,
  renderWorkflowsAt,
} from '../../__testUtils__/renderWorkflows';

const server = setupServer();
registerMswTestHooks(server);

const START = '2026-11-25T01:00:00.000Z';
const at = (seconds: number) =>
  new Date(Date.parse(START) + seconds * 1000).toISOString();

/** A run stream the test writes to: each `send` is one server-sent event. */
function runStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    handler: (runId: string) =>
      http.get(
        `${API_URL}/runs/${runId}/stream`,
        () =>
          new HttpResponse(body, {
            headers: { 'content-type': 'text/event-stream' },
          }),
      ),
    send(event: GetRunResponse) {
      controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
    },
    heartbeat() {
      controller.enqueue(encoder.encode(': keep-alive\n\n'));
    },
    close() {
      controller.close();
    },
  };
}

const backendError = (status: number, name: string, message: string) =>
  HttpResponse.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );

/** Serves the workflow, and the run once on its stream (which then closes). */
function serveRun(value: GetRunResponse, workflowId = 'cars') {
  const stream = runStream();
  server.use(
    http.get(`${API_URL}/workflows/${workflowId}`, () =>
      HttpResponse.json(aWorkflow({ id: workflowId })),
    ),
    stream.handler(value.run.runId),
  );
  stream.send(value);
  if (value.run.status !== 'running') stream.close();
  return stream;
}

const finishedRun = aRunResponse(
  {
    runId: 'wfr_done',
    status: 'failed',
    startedAt: START,
    finishedAt: at(10),
    durationMs: 10_000,
    failedStep: 'Publish to Telegram',
    error: 'Telegram answered HTTP 500',
  },
  [
    aStep({
      position: 1,
      name: 'Read latest month',
      groupIndex: 1,
      startedAt: START,
      finishedAt: at(2),
      durationMs: 2000,
      output: '{"month":"2026-10","rows":1200}',
    }),
    aStep({
      position: 2,
      name: 'Publish to Discord',
      group: 'parallel',
      groupIndex: 2,
      startedAt: at(2),
      finishedAt: at(7),
      durationMs: 5000,
      output: '"posted"',
    }),
    aStep({
      position: 3,
      name: 'Publish to Telegram',
      group: 'parallel',
      groupIndex: 2,
      state: 'failed',
      attempts: 3,
      startedAt: at(2),
      finishedAt: at(10),
      durationMs: 8000,
      error: 'Telegram answered HTTP 500',
      attemptLog: [
        {
          attempt: 0,
          status: 'failed',
          startedAt: at(2),
          finishedAt: at(3),
          durationMs: 1000,
          output: null,
          error: 'Telegram answered HTTP 502',
        },
        {
          attempt: 2,
          status: 'failed',
          startedAt: at(9),
          finishedAt: at(10),
          durationMs: 1000,
          output: null,
          error: 'Telegram answered HTTP 500',
        },
      ],
    }),
    aStep({
      position: 4,
      name: 'Post summary',
      group: 'next',
      groupIndex: 3,
      state: 'pending',
      attempts: 0,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
    }),
  ],
);

const stepItem = (name: string) =>
  screen.findByRole('listitem', { name: `Step ${name}` });

describe('RunPage', () => {
  it('shows the steps in order, parallel steps grouped, the frontier last, bars to scale', async () => {
    serveRun(finishedRun);
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_done');

    const steps = await screen.findByRole('list', { name: 'Steps' });
    const parallel = within(steps).getByRole('listitem', {
      name: 'Parallel: 2 steps at once',
    });
    expect(
      within(parallel).getByRole('listitem', {
        name: 'Step Publish to Discord',
      }),
    ).toBeVisible();
    expect(
      within(parallel).getByRole('listitem', {
        name: 'Step Publish to Telegram',
      }),
    ).toBeVisible();
    const next = within(steps).getByRole('listitem', {
      name: 'Next: the step QStash will run',
    });
    expect(within(next).getByText('Post summary')).toBeVisible();
    expect(within(next).getByText('Not started')).toBeVisible();

    const names = within(steps)
      .getAllByRole('listitem')
      .map(item => item.getAttribute('aria-label'))
      .filter(name => name?.startsWith('Step '));
    expect(names).toEqual([
      'Step Read latest month',
      'Step Publish to Discord',
      'Step Publish to Telegram',
      'Step Post summary',
    ]);

    const telegram = await stepItem('Publish to Telegram');
    expect(within(telegram).getByText('3 attempts')).toBeVisible();
    expect(within(telegram).getByText('8.0 s')).toBeVisible();

    // The axis is the 10 s of the run: Discord starts at 2 s and takes 5 s.
    const discordBar = screen.getByTestId('bar-2')
      .firstElementChild as HTMLElement;
    expect(discordBar.style.left).toBe('20%');
    expect(discordBar.style.width).toBe('50%');
    const readBar = screen.getByTestId('bar-1')
      .firstElementChild as HTMLElement;
    expect(readBar.style.left).toBe('0%');
    expect(readBar.style.width).toBe('20%');
  });

  it('highlights the errors of the run and of the failing step, with its attempts', async () => {
    serveRun(finishedRun);
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_done');

    const runError = await screen.findByRole('group', { name: 'Run error' });
    expect(runError).toHaveTextContent('Failed at step Publish to Telegram');
    expect(runError).toHaveTextContent('Telegram answered HTTP 500');

    // The failing step is open without a click; the others are not.
    const telegram = await stepItem('Publish to Telegram');
    expect(
      within(telegram).getByRole('group', {
        name: 'Error of Publish to Telegram',
      }),
    ).toHaveTextContent('Telegram answered HTTP 500');
    const attempts = within(telegram).getByRole('table', {
      name: 'Attempts of Publish to Telegram',
    });
    const rows = within(attempts).getAllByRole('row').slice(1);
    expect(rows.map(row => row.firstElementChild?.textContent)).toEqual([
      '1',
      '3',
    ]);
    expect(
      within(rows[0]).getByText('Telegram answered HTTP 502'),
    ).toBeVisible();
    expect(
      within(await stepItem('Read latest month')).queryByRole('group', {
        name: 'Output of Read latest month',
      }),
    ).not.toBeInTheDocument();
  });

  it('shows outputs readable: pretty JSON, JSON strings as text, long text folded, lines in a log viewer', async () => {
    const longJson = JSON.stringify(
      Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [`table${i}`, i * 10]),
      ),
    );
    serveRun(
      aRunResponse(
        { runId: 'wfr_outputs', startedAt: START, finishedAt: at(5) },
        [
          aStep({
            position: 1,
            name: 'Read latest month',
            output: '{"month":"2026-10"}',
          }),
          aStep({
            position: 2,
            name: 'Publish to Discord',
            output: '"posted"',
          }),
          aStep({ position: 3, name: 'Ingest', output: longJson }),
          aStep({
            position: 4,
            name: 'Download',
            output: 'GET cars.zip\n200 OK\n1200 rows read',
          }),
        ],
      ),
    );
    // jsdom lays nothing out; the log viewer draws only inside a sized box.
    jest
      .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
      .mockReturnValue({ width: 800, height: 300 } as DOMRect);
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_outputs');
    await screen.findByRole('list', { name: 'Steps' });
    await userEvent.click(screen.getByRole('button', { name: 'Expand all' }));

    const month = await screen.findByRole('group', {
      name: 'Output of Read latest month',
    });
    expect(month.querySelector('pre')?.textContent).toBe(
      '{\n  "month": "2026-10"\n}',
    );
    expect(
      screen.getByRole('group', { name: 'Output of Publish to Discord' }),
    ).toHaveTextContent(/^posted$/);

    const ingest = screen.getByRole('group', { name: 'Output of Ingest' });
    expect(ingest).toHaveTextContent('"table10": 100');
    expect(ingest).not.toHaveTextContent('"table29"');
    const more = within(ingest).getByRole('button', {
      name: /^Show more \(20 more lines\)$/,
    });
    await userEvent.click(more);
    expect(ingest).toHaveTextContent('"table29": 290');
    await userEvent.click(
      within(ingest).getByRole('button', { name: 'Show less' }),
    );
    expect(ingest).not.toHaveTextContent('"table29"');

    const download = screen.getByRole('group', { name: 'Output of Download' });
    expect(await within(download).findByText('1200 rows read')).toBeVisible();
    expect(within(download).getByText('200 OK')).toBeVisible();
    jest.restoreAllMocks();
  });

  it('says when no step has run yet', async () => {
    serveRun(aRunResponse({ runId: 'wfr_empty' }, []));
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_empty');
    expect(await screen.findByText('No step has run yet.')).toBeVisible();
  });

  it('updates live from the stream until the run finishes', async () => {
    const running = aRunResponse(
      {
        runId: 'wfr_live',
        status: 'running',
        startedAt: START,
        finishedAt: null,
        durationMs: null,
      },
      [
        aStep({
          position: 1,
          name: 'Read latest month',
          state: 'running',
          finishedAt: null,
          durationMs: null,
        }),
      ],
    );
    const stream = serveRun(running);
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_live');
    const summary = await screen.findByRole('region', { name: 'Run summary' });
    expect(within(summary).getByText('Running')).toBeVisible();
    expect(screen.getByRole('status', { name: 'Updates' })).toHaveTextContent(
      'Live',
    );

    stream.heartbeat();
    stream.send(
      aRunResponse(
        {
          runId: 'wfr_live',
          status: 'succeeded',
          startedAt: START,
          finishedAt: at(4),
          durationMs: 4000,
        },
        [
          aStep({ position: 1, name: 'Read latest month', finishedAt: at(2) }),
          aStep({
            position: 2,
            name: 'Publish to Discord',
            startedAt: at(2),
            finishedAt: at(4),
          }),
        ],
      ),
    );
    stream.close();

    expect(await within(summary).findByText('Succeeded')).toBeVisible();
    expect(await stepItem('Publish to Discord')).toBeVisible();
    expect(screen.getByRole('status', { name: 'Updates' })).toHaveTextContent(
      /^$/,
    );
    expect(
      screen.queryByRole('button', { name: 'Cancel run' }),
    ).not.toBeInTheDocument();
  });

  it('polls the run when the stream fails, until it finishes', async () => {
    const polls: number[] = [];
    server.use(
      http.get(`${API_URL}/workflows/cars`, () =>
        HttpResponse.json(aWorkflow()),
      ),
      http.get(`${API_URL}/runs/wfr_poll/stream`, () =>
        backendError(502, 'Error', 'the proxy does not stream'),
      ),
      http.get(`${API_URL}/runs/wfr_poll`, () => {
        polls.push(Date.now());
        return HttpResponse.json(
          polls.length === 1
            ? aRunResponse({
                runId: 'wfr_poll',
                status: 'running',
                finishedAt: null,
              })
            : aRunResponse({ runId: 'wfr_poll', status: 'succeeded' }),
        );
      }),
    );
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_poll');
    const summary = await screen.findByRole('region', { name: 'Run summary' });
    expect(within(summary).getByText('Running')).toBeVisible();
    expect(screen.getByRole('status', { name: 'Updates' })).toHaveTextContent(
      'Refreshing every 3 s',
    );
    expect(
      await within(summary).findByText('Succeeded', {}, { timeout: 8000 }),
    ).toBeVisible();
    expect(polls).toHaveLength(2);
    expect(polls[1] - polls[0]).toBeGreaterThanOrEqual(2900);
  });

  it('asks before cancelling, says what cancelling does, then shows the run cancelled', async () => {
    const running = aRunResponse({
      runId: 'wfr_cancel',
      status: 'running',
      finishedAt: null,
    });
    serveRun(running);
    const cancels: string[] = [];
    server.use(
      http.post(`${API_URL}/runs/wfr_cancel/cancel`, () => {
        cancels.push('wfr_cancel');
        return HttpResponse.json({
          run: { ...running.run, status: 'cancelled', finishedAt: at(3) },
        });
      }),
    );
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_cancel');
    const cancel = await screen.findByRole('button', { name: 'Cancel run' });
    await waitFor(() => expect(cancel).toBeEnabled());

    await userEvent.click(cancel);
    let dialog = await screen.findByRole('dialog', {
      name: 'Cancel this run?',
    });
    expect(dialog).toHaveTextContent('QStash stops calling the workflow');
    expect(dialog).toHaveTextContent('Steps already done are not undone');
    expect(dialog).toHaveTextContent('The run is marked cancelled');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Keep running' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(cancels).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Cancel run' }));
    dialog = await screen.findByRole('dialog', { name: 'Cancel this run?' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Yes, cancel run' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const summary = screen.getByRole('region', { name: 'Run summary' });
    expect(await within(summary).findByText('Cancelled')).toBeVisible();
    expect(cancels).toEqual(['wfr_cancel']);
    expect(screen.getByText(/^Run cancelled/)).toBeVisible();
    expect(
      screen.queryByRole('button', { name: 'Cancel run' }),
    ).not.toBeInTheDocument();
  });

  it('shows why the cancel failed, in the dialog', async () => {
    serveRun(
      aRunResponse({ runId: 'wfr_stuck', status: 'running', finishedAt: null }),
    );
    server.use(
      http.post(`${API_URL}/runs/wfr_stuck/cancel`, () =>
        backendError(409, 'ConflictError', 'Run wfr_stuck already finished'),
      ),
    );
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_stuck');
    const cancel = await screen.findByRole('button', { name: 'Cancel run' });
    await waitFor(() => expect(cancel).toBeEnabled());
    await userEvent.click(cancel);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Yes, cancel run' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Run wfr_stuck already finished',
    );
  });

  it('disables Cancel with the missing permission as the reason', async () => {
    // Another workflow than the cancel tests: usePermission caches per resource.
    serveRun(
      aRunResponse({
        runId: 'wfr_locked',
        workflowId: 'locked',
        status: 'running',
        finishedAt: null,
      }),
      'locked',
    );
    const { permissionRequests } = await renderWorkflowsAt(
      server,
      '/workflows/locked/runs/wfr_locked',
      { granted: [] },
    );
    const cancel = await screen.findByRole('button', { name: 'Cancel run' });
    await waitFor(() => expect(cancel).toBeDisabled());
    await userEvent.hover(cancel.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You need the workflows.run.cancel permission',
    );
    expect(permissionRequests).toContainEqual({
      name: 'workflows.run.cancel',
      resourceRef: 'locked',
    });
  });

  it('downloads the log the server names', async () => {
    serveRun(finishedRun);
    server.use(
      http.get(
        `${API_URL}/runs/wfr_done/log`,
        () =>
          new HttpResponse('step 1 Read latest month: succeeded\n', {
            headers: {
              'content-type': 'text/plain',
              'content-disposition': 'attachment; filename="cars-wfr_done.log"',
            },
          }),
      ),
    );
    const saved: { blob: Blob; filename: string }[] = [];
    const createObjectURL = jest
      .spyOn(URL, 'createObjectURL')
      .mockImplementation(blob => {
        saved.push({ blob: blob as Blob, filename: '' });
        return 'blob:run-log';
      });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        saved[saved.length - 1].filename = this.download;
        expect(this.href).toBe('blob:run-log');
      });
    try {
      await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_done');
      await screen.findByRole('region', { name: 'Run summary' });
      await userEvent.click(
        screen.getByRole('button', { name: 'Download log' }),
      );
      await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
      expect(saved[0].filename).toBe('cars-wfr_done.log');
      expect(await saved[0].blob.text()).toBe(
        'step 1 Read latest month: succeeded\n',
      );
    } finally {
      createObjectURL.mockRestore();
      click.mockRestore();
    }
  });

  it('says why the log could not be downloaded', async () => {
    serveRun(finishedRun);
    server.use(
      http.get(`${API_URL}/runs/wfr_done/log`, () =>
        backendError(
          403,
          'NotAllowedError',
          'Missing permission workflows.workflow.read',
        ),
      ),
    );
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_done');
    await screen.findByRole('region', { name: 'Run summary' });
    await userEvent.click(screen.getByRole('button', { name: 'Download log' }));
    expect(
      await screen.findByText(
        'Could not download the log: Missing permission workflows.workflow.read',
      ),
    ).toBeVisible();
  });

  it('shows progress until the first event arrives', async () => {
    const stream = runStream();
    server.use(
      http.get(`${API_URL}/workflows/cars`, () =>
        HttpResponse.json(aWorkflow()),
      ),
      stream.handler('wfr_slow'),
    );
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_slow');
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    stream.send(aRunResponse({ runId: 'wfr_slow' }));
    stream.close();
    expect(
      await screen.findByRole('region', { name: 'Run summary' }),
    ).toBeVisible();
  });

  it('says the run does not exist', async () => {
    server.use(
      http.get(`${API_URL}/workflows/cars`, () =>
        HttpResponse.json(aWorkflow()),
      ),
      http.get(`${API_URL}/runs/wfr_gone/stream`, () =>
        backendError(404, 'NotFoundError', 'No run wfr_gone'),
      ),
      http.get(`${API_URL}/runs/wfr_gone`, () =>
        backendError(404, 'NotFoundError', 'No run wfr_gone'),
      ),
    );
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_gone');
    expect(await screen.findByText('No such run')).toBeVisible();
    expect(screen.getByText('No run wfr_gone')).toBeVisible();
  });

  it('says which permission is missing when the run may not be read', async () => {
    const denied = () =>
      backendError(
        403,
        'NotAllowedError',
        'Missing permission workflows.workflow.read',
      );
    server.use(
      http.get(`${API_URL}/workflows/cars`, denied),
      http.get(`${API_URL}/runs/wfr_secret/stream`, denied),
      http.get(`${API_URL}/runs/wfr_secret`, denied),
    );
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_secret');
    expect(await screen.findByText(/Permission denied/)).toBeVisible();
    expect(
      screen.getByText(
        /You may not see this run: Missing permission workflows\.workflow\.read/,
      ),
    ).toBeVisible();
  });

  it('fails loudly when a stream event does not match the schema', async () => {
    const stream = runStream();
    server.use(
      http.get(`${API_URL}/workflows/cars`, () =>
        HttpResponse.json(aWorkflow()),
      ),
      stream.handler('wfr_odd'),
      http.get(`${API_URL}/runs/wfr_odd`, () =>
        HttpResponse.json({ run: { runId: 'wfr_odd' }, steps: [] }),
      ),
    );
    stream.send({
      run: { runId: 'wfr_odd' },
      steps: [],
    } as unknown as GetRunResponse);
    await renderWorkflowsAt(server, '/workflows/cars/runs/wfr_odd');
    expect(
      (
        await screen.findAllByText(
          /Unexpected response from GET \/runs\/wfr_odd: run\.workflowId/,
        )
      )[0],
    ).toBeInTheDocument();
  });
});
