import { registerMswTestHooks } from '@backstage/test-utils';
import type {
  TriageGroup,
  TriageGroupFailuresResponse,
} from '@internal/plugin-workflows-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  aTriageFailure,
  aTriageGroup,
  aTriageResponse,
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

const DLQ_MANAGE = 'workflows.dlq.manage';

const telegram = aTriageGroup();
const missingEnv = aTriageGroup({
  groupId: 'grp_env',
  workflowId: 'coe',
  workflowTitle: 'COE results update',
  step: 'Fetch from LTA DataMall',
  signature: 'Missing environment variable LTA_ACCOUNT_KEY',
  cause: {
    kind: 'missing-env',
    summary: 'LTA_ACCOUNT_KEY is not set',
    status: null,
    envVar: 'LTA_ACCOUNT_KEY',
    file: null,
    line: null,
    url: null,
    retryAfterSeconds: null,
    fix: 'env-health',
  },
  count: 12,
  inDlqCount: 0,
  previousCount: 0,
  trend: 'new',
  lastSeen: fromNow(-3 * 3_600_000),
  series: [4, 4, 4],
  exampleRunIds: [],
  dlqIds: [],
});

type TriageHandler = (query: URLSearchParams) => TriageGroup[];

/** Serves /triage from `groupsFor` and /workflows; records every triage query. */
function serveTriage(groupsFor: TriageHandler, lastSyncedAt?: string | null) {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(`${API_URL}/workflows`, () =>
      HttpResponse.json({
        items: [
          aWorkflow(),
          aWorkflow({ id: 'coe', title: 'COE results update' }),
        ],
        totalCount: 2,
      }),
    ),
    http.get(`${API_URL}/triage`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      queries.push(query);
      return HttpResponse.json(
        aTriageResponse(
          groupsFor(query),
          lastSyncedAt === undefined ? {} : { lastSyncedAt },
        ),
      );
    }),
  );
  return queries;
}

/** Serves the failures of groups by id; records the group ids asked for. */
function serveFailures(
  byGroup: Record<string, () => TriageGroupFailuresResponse>,
) {
  const asked: string[] = [];
  server.use(
    http.get(`${API_URL}/triage/groups/:groupId/failures`, ({ params }) => {
      const groupId = String(params.groupId);
      asked.push(groupId);
      return HttpResponse.json(byGroup[groupId]());
    }),
  );
  return asked;
}

const inDlq = (dlqId: string, runId: string) =>
  aTriageFailure({
    runId,
    dlq: {
      dlqId,
      source: 'workflow',
      state: 'in-dlq',
      resolvedRunId: null,
      resolvedRunStatus: null,
    },
  });

const telegramFailures = (): TriageGroupFailuresResponse => ({
  groupId: telegram.groupId,
  totalCount: 4,
  items: [
    inDlq('dlq-1', 'wfr_a'),
    inDlq('dlq-2', 'wfr_b'),
    inDlq('dlq-4', 'wfr_d'),
    aTriageFailure({
      runId: 'wfr_c',
      dlq: {
        dlqId: 'dlq-3',
        source: 'workflow',
        state: 'resumed',
        resolvedRunId: 'wfr_c2',
        resolvedRunStatus: 'succeeded',
      },
    }),
  ],
});

/**
 * usePermission caches decisions per permission and workflow for the whole
 * file, so every test grants the DLQ permission but the one about its denial
 * (which uses a workflow of its own).
 */
const renderAt = (path: string) =>
  renderWorkflowsAt(server, path, { granted: [DLQ_MANAGE] });

const hoursBetween = (query: URLSearchParams) =>
  (Date.parse(query.get('to')!) - Date.parse(query.get('from')!)) / 3_600_000;

describe('FailuresPage', () => {
  it('shows each group with its cause, counts, trend, sparkline and fix link', async () => {
    const queries = serveTriage(() => [telegram, missingEnv]);
    await renderAt('/failures');

    const card = await screen.findByTestId('group-grp_telegram');
    expect(within(card).getByText('Upstream 400')).toBeVisible();
    expect(within(card).getByText('Telegram answered HTTP 400')).toBeVisible();
    expect(
      within(card).getByText('Fails at step Publish to Telegram'),
    ).toBeVisible();
    expect(
      within(card).getByLabelText(
        'Signature: Telegram answered HTTP <n>: chat <id> not found',
      ),
    ).toBeVisible();
    const fact = (term: string) =>
      within(card).getByText(term, { selector: 'dt' }).nextElementSibling!;
    expect(fact('Failures')).toHaveTextContent('5');
    expect(fact('In DLQ')).toHaveTextContent('2');
    expect(fact('Vs window before')).toHaveTextContent('Up from 1');
    expect(fact('Last seen')).toHaveTextContent('10 minutes ago');
    expect(fact('First seen')).toHaveTextContent('5 hours ago');
    expect(
      within(card).getByRole('img', {
        name: 'Failures over the window: 0, 2, 3',
      }),
    ).toBeVisible();
    const upstream = within(card).getByRole('link', {
      name: /Open https:\/\/api\.telegram\.org\/bot\/sendMessage/,
    });
    expect(upstream).toHaveAttribute('target', '_blank');
    expect(upstream).toHaveAttribute('rel', 'noreferrer');

    const env = screen.getByTestId('group-grp_env');
    expect(within(env).getByText('Env LTA_ACCOUNT_KEY missing')).toBeVisible();
    expect(within(env).getByText('New')).toBeVisible();
    expect(
      within(env).getByRole('link', {
        name: 'Check the environment of COE results update',
      }),
    ).toHaveAttribute('href', '/workflows/coe?tab=health');

    // The default window is the last 24 hours.
    expect(hoursBetween(queries[0])).toBe(24);
    expect(screen.getByText('2 failure groups')).toBeVisible();
  });

  it('sorts by count, and by last seen when asked, keeping it in the URL', async () => {
    serveTriage(() => [telegram, missingEnv]);
    await renderAt('/failures');
    await screen.findByTestId('group-grp_telegram');
    const order = () =>
      within(screen.getByRole('region', { name: 'Failure groups' }))
        .getAllByTestId(/^group-/)
        .map(card => card.dataset.testid);
    expect(order()).toEqual(['group-grp_env', 'group-grp_telegram']);

    await userEvent.click(screen.getByRole('combobox', { name: 'Sort by' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Most recent' }),
    );
    await waitFor(() =>
      expect(order()).toEqual(['group-grp_telegram', 'group-grp_env']),
    );
    expect(currentLocation().searchParams.get('sort')).toBe('recent');
  });

  it('sends the window and workflow picked to the server, through the URL', async () => {
    const queries = serveTriage(() => [telegram]);
    await renderAt('/failures');
    await screen.findByTestId('group-grp_telegram');

    await userEvent.click(screen.getByRole('combobox', { name: 'Window' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last hour' }),
    );
    await waitFor(() => expect(queries).toHaveLength(2));
    expect(hoursBetween(queries[1])).toBe(1);

    await userEvent.click(screen.getByRole('combobox', { name: 'Workflow' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'COE results update' }),
    );
    await waitFor(() => expect(queries).toHaveLength(3));
    expect(queries[2].get('workflow')).toBe('coe');
    expect(Object.fromEntries(currentLocation().searchParams)).toEqual({
      window: '1h',
      workflow: 'coe',
    });
  });

  it('asks for a custom window between two times', async () => {
    const queries = serveTriage(() => [telegram]);
    await renderAt('/failures');
    await screen.findByTestId('group-grp_telegram');
    await userEvent.click(screen.getByRole('combobox', { name: 'Window' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Custom' }),
    );
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-11-01T00:00' },
    });
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: '2026-10-01T00:00' },
    });
    expect(screen.getByText('"To" must be later than "From"')).toBeVisible();
    expect(screen.getByRole('button', { name: 'Apply window' })).toBeDisabled();
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: '2026-11-08T12:30' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Apply window' }));

    const from = new Date('2026-11-01T00:00').toISOString();
    const to = new Date('2026-11-08T12:30').toISOString();
    await waitFor(() => expect(queries).toHaveLength(2));
    expect(Object.fromEntries(queries[1])).toEqual({ from, to });
    expect(Object.fromEntries(currentLocation().searchParams)).toEqual({
      window: 'custom',
      from,
      to,
    });
  });

  it('opens the group a link names, widening to 7 days when it is older than 24 hours', async () => {
    const queries = serveTriage(query =>
      hoursBetween(query) > 24 ? [telegram, missingEnv] : [missingEnv],
    );
    const asked = serveFailures({ grp_telegram: telegramFailures });
    await renderAt('/failures?group=grp_telegram');

    const table = await screen.findByRole('table', {
      name: 'Failures of this group',
    });
    expect(within(table).getByTestId('failure-wfr_a')).toBeVisible();
    expect(
      within(screen.getByTestId('group-grp_telegram')).getByRole('button', {
        name: 'Hide failures',
      }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(
      screen.getByText(
        /had no failures in the last 24 hours, so the window is widened to the last 7 days/,
      ),
    ).toBeVisible();
    expect(queries.map(hoursBetween)).toEqual([24, 168]);
    expect(asked).toEqual(['grp_telegram']);
    expect(Object.fromEntries(currentLocation().searchParams)).toEqual({
      window: '7d',
      group: 'grp_telegram',
    });
  });

  it('says so when a linked group has no failures even in 7 days', async () => {
    serveTriage(() => [missingEnv]);
    await renderAt('/failures?group=grp_gone');
    expect(
      await screen.findByText(
        'The linked failure group has no failures in the last 7 days.',
      ),
    ).toBeVisible();
  });

  it('resumes the selected entries after a warning, then shows each outcome and reloads', async () => {
    const triageQueries = serveTriage(() => [telegram]);
    const asked = serveFailures({ grp_telegram: telegramFailures });
    const posted: unknown[] = [];
    server.use(
      http.post(`${API_URL}/dlq/actions`, async ({ request }) => {
        posted.push(await request.json());
        return HttpResponse.json({
          action: 'resume',
          outcomes: [
            {
              dlqId: 'dlq-1',
              ok: true,
              workflowRunId: 'wfr_resumed',
              error: null,
            },
            {
              dlqId: 'dlq-2',
              ok: false,
              workflowRunId: null,
              error: 'QStash: dlq entry not found',
            },
          ],
          succeeded: 1,
          failed: 1,
        });
      }),
    );
    await renderAt('/failures?window=24h&group=grp_telegram');
    const table = await screen.findByRole('table', {
      name: 'Failures of this group',
    });
    // An entry already resumed is not selectable, and says where it went.
    const resumedRow = within(table).getByTestId('failure-wfr_c');
    expect(within(resumedRow).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(within(resumedRow).getByText(/Resumed as run/)).toBeVisible();
    expect(
      within(resumedRow).getByRole('link', { name: 'wfr_c2' }),
    ).toHaveAttribute('href', '/workflows/cars/runs/wfr_c2');

    await userEvent.click(
      within(table).getByRole('checkbox', { name: 'Select wfr_a' }),
    );
    await userEvent.click(
      within(table).getByRole('checkbox', { name: 'Select wfr_b' }),
    );
    expect(screen.getByText('2 entries selected')).toBeVisible();
    const resume = screen.getByRole('button', { name: 'Resume' });
    await waitFor(() => expect(resume).toBeEnabled());
    await userEvent.click(resume);

    const dialog = await screen.findByRole('dialog', {
      name: 'Resume 2 entries?',
    });
    expect(dialog).toHaveTextContent(
      "Resuming 2 entries re-runs only the steps after the last successful one; the workflow's code up to that step must be unchanged, or the replay breaks.",
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', {
        name: 'Retries per step (optional)',
      }),
      '2',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resume 2 entries' }),
    );

    const results = await screen.findByRole('status', {
      name: 'Results of Resume',
    });
    expect(results).toHaveTextContent('Resume: 1 succeeded, 1 failed');
    const ok = within(results).getByTestId('outcome-dlq-1');
    expect(within(ok).getByText('Done')).toBeVisible();
    expect(
      within(ok).getByRole('link', { name: /New run wfr_resumed/ }),
    ).toHaveAttribute('href', '/workflows/cars/runs/wfr_resumed');
    const failed = within(results).getByTestId('outcome-dlq-2');
    expect(within(failed).getByText('Failed')).toBeVisible();
    expect(
      within(failed).getByText('QStash: dlq entry not found'),
    ).toBeVisible();

    expect(posted).toEqual([
      { action: 'resume', dlqIds: ['dlq-1', 'dlq-2'], retries: 2 },
    ]);
    await waitFor(() => expect(asked).toHaveLength(2));
    await waitFor(() => expect(triageQueries).toHaveLength(2));
    // The outcomes stay on screen through the reloads.
    expect(
      screen.getByRole('status', { name: 'Results of Resume' }),
    ).toBeVisible();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  describe('a whole group, past the listed entries', () => {
    const bigGroup = { ...telegram, inDlqCount: 130 };
    const outcomesFor = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        dlqId: `dlq-page-${from + i}`,
        ok: true,
        workflowRunId: null,
        error: null,
      }));

    const chooseWholeGroupAndDelete = async () => {
      await renderAt('/failures?window=24h&group=grp_telegram');
      const table = await screen.findByRole('table', {
        name: 'Failures of this group',
      });
      await userEvent.click(
        within(table).getByRole('checkbox', {
          name: 'Select all entries in the DLQ',
        }),
      );
      expect(
        screen.getByText(/this group has 130 in the DLQ in this window/),
      ).toBeVisible();
      await userEvent.click(
        screen.getByRole('button', { name: 'Select all 130' }),
      );
      expect(screen.getByText('130 entries selected')).toBeVisible();
      expect(
        screen.getByText(
          /All 130 entries of this group in the DLQ are selected/,
        ),
      ).toBeVisible();
      const remove = screen.getByRole('button', { name: 'Delete' });
      await waitFor(() => expect(remove).toBeEnabled());
      await userEvent.click(remove);
      const dialog = await screen.findByRole('dialog', {
        name: 'Delete all 130 entries of this group in the DLQ?',
      });
      expect(dialog).toHaveTextContent(/100 at a time, oldest first/);
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Delete all 130' }),
      );
    };

    it('acts on every page of the group and counts what the list does not show', async () => {
      serveTriage(() => [bigGroup]);
      serveFailures({ grp_telegram: telegramFailures });
      const posted: { group?: { after?: string; groupId: string } }[] = [];
      server.use(
        http.post(`${API_URL}/dlq/actions`, async ({ request }) => {
          const body = (await request.json()) as (typeof posted)[number];
          posted.push(body);
          const first = !body.group?.after;
          return HttpResponse.json({
            action: 'delete',
            outcomes: first ? outcomesFor(0, 100) : outcomesFor(100, 30),
            succeeded: first ? 100 : 30,
            failed: 0,
            nextCursor: first ? '1700000000000:dlq-page-99' : null,
            groupPending: first ? 130 : 30,
          });
        }),
      );
      await chooseWholeGroupAndDelete();

      const results = await screen.findByRole('status', {
        name: 'Results of Delete',
      });
      expect(results).toHaveTextContent('Delete: 130 succeeded, 0 failed');
      expect(results).toHaveTextContent('And 80 more entries done.');
      expect(posted).toHaveLength(2);
      expect(posted[0]).toMatchObject({
        action: 'delete',
        group: { groupId: 'grp_telegram' },
      });
      expect(posted[0].group!.after).toBeUndefined();
      expect(posted[0]).not.toHaveProperty('dlqIds');
      expect(posted[1].group!.after).toBe('1700000000000:dlq-page-99');
    });

    it('shows what the first pages did when a later page is refused', async () => {
      serveTriage(() => [bigGroup]);
      serveFailures({ grp_telegram: telegramFailures });
      server.use(
        http.post(`${API_URL}/dlq/actions`, async ({ request }) => {
          const body = (await request.json()) as { group?: { after?: string } };
          if (body.group?.after) {
            return HttpResponse.json(
              {
                error: {
                  name: 'NotAllowedError',
                  message: 'Missing permission workflows.dlq.manage',
                },
              },
              { status: 403 },
            );
          }
          return HttpResponse.json({
            action: 'delete',
            outcomes: outcomesFor(0, 100),
            succeeded: 100,
            failed: 0,
            nextCursor: '1700000000000:dlq-page-99',
            groupPending: 130,
          });
        }),
      );
      await chooseWholeGroupAndDelete();
      const results = await screen.findByRole('status', {
        name: 'Results of Delete',
      });
      expect(results).toHaveTextContent('Delete: 100 succeeded, 0 failed');
      expect(screen.getByRole('alert')).toHaveTextContent(
        /Stopped after 100 entries: .*workflows\.dlq\.manage.*The rest of the group is still in the DLQ/,
      );
    });
  });

  it('offers redeliver and delete for message entries, and no retries to delete', async () => {
    serveTriage(() => [telegram]);
    serveFailures({
      grp_telegram: () => ({
        groupId: telegram.groupId,
        totalCount: 1,
        items: [
          aTriageFailure({
            runId: null,
            runStatus: null,
            dlq: {
              dlqId: 'msg-1',
              source: 'message',
              state: 'in-dlq',
              resolvedRunId: null,
              resolvedRunStatus: null,
            },
          }),
        ],
      }),
    });
    await renderAt('/failures?window=24h&group=grp_telegram');
    const table = await screen.findByRole('table', {
      name: 'Failures of this group',
    });
    expect(within(table).getByText('Message DLQ')).toBeVisible();
    const bar = screen.getByRole('region', { name: 'Dead letter actions' });
    expect(
      within(bar)
        .getAllByRole('button')
        .map(button => button.textContent),
    ).toEqual(['Redeliver', 'Delete']);
    expect(within(bar).getByRole('button', { name: 'Delete' })).toBeDisabled();

    await userEvent.click(
      within(table).getByRole('checkbox', {
        name: 'Select all entries in the DLQ',
      }),
    );
    await userEvent.click(within(bar).getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Delete 1 entry?',
    });
    expect(dialog).toHaveTextContent(
      'Deleting 1 entry removes the entries from the dead letter queue; they cannot be resumed afterwards.',
    );
    expect(
      within(dialog).queryByRole('textbox', { name: /Retries/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the refusal in the dialog when the server rejects the action', async () => {
    serveTriage(() => [telegram]);
    serveFailures({ grp_telegram: telegramFailures });
    server.use(
      http.post(`${API_URL}/dlq/actions`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Missing permission workflows.dlq.manage',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderAt('/failures?window=24h&group=grp_telegram');
    const table = await screen.findByRole('table', {
      name: 'Failures of this group',
    });
    await userEvent.click(
      within(table).getByRole('checkbox', { name: 'Select wfr_a' }),
    );
    const restart = screen.getByRole('button', { name: 'Restart' });
    await waitFor(() => expect(restart).toBeEnabled());
    await userEvent.click(restart);
    const dialog = await screen.findByRole('dialog', {
      name: 'Restart 1 entry?',
    });
    expect(dialog).toHaveTextContent(
      'runs every step again from the start, including steps that already posted or wrote.',
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', {
        name: 'Retries per step (optional)',
      }),
      '11',
    );
    expect(
      within(dialog).getByText('A whole number from 0 to 10'),
    ).toBeVisible();
    expect(
      within(dialog).getByRole('button', { name: 'Restart 1 entry' }),
    ).toBeDisabled();
    await userEvent.clear(
      within(dialog).getByRole('textbox', {
        name: 'Retries per step (optional)',
      }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Restart 1 entry' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Missing permission workflows.dlq.manage',
    );
  });

  it('disables the actions without the DLQ permission, and says why', async () => {
    // Permission decisions are cached per workflow for the whole file: another workflow here.
    const locked = aTriageGroup({
      groupId: 'grp_locked',
      workflowId: 'locked',
    });
    serveTriage(() => [locked]);
    serveFailures({
      grp_locked: () => ({ ...telegramFailures(), groupId: 'grp_locked' }),
    });
    const { permissionRequests } = await renderWorkflowsAt(
      server,
      '/failures?window=24h&group=grp_locked',
      { granted: [] },
    );
    const table = await screen.findByRole('table', {
      name: 'Failures of this group',
    });
    await userEvent.click(
      within(table).getByRole('checkbox', { name: 'Select wfr_a' }),
    );
    const bar = screen.getByRole('region', { name: 'Dead letter actions' });
    await waitFor(() =>
      expect(
        within(bar).getByText(
          'You need the workflows.dlq.manage permission to act on dead letter entries of this workflow.',
        ),
      ).toBeVisible(),
    );
    for (const name of [
      'Resume',
      'Restart',
      'Retry failure function',
      'Delete',
    ]) {
      expect(within(bar).getByRole('button', { name })).toBeDisabled();
    }
    await userEvent.hover(
      within(bar).getByRole('button', { name: 'Resume' }).parentElement!,
    );
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You need the workflows.dlq.manage permission',
    );
    expect(permissionRequests).toContainEqual({
      name: DLQ_MANAGE,
      resourceRef: 'locked',
    });
  });

  it('says when nothing failed, with the time of the last sync', async () => {
    serveTriage(() => [], fromNow(-5 * 60_000));
    await renderAt('/failures');
    expect(await screen.findByText('No failures in this window')).toBeVisible();
    expect(
      screen.getByText(/Nothing failed in the last 24 hours\. Last sync:/),
    ).toHaveTextContent('Last sync: 5 minutes ago');
  });

  it('says when the sync has not run yet', async () => {
    serveTriage(() => [], null);
    await renderAt('/failures?window=7d');
    expect(await screen.findByText('No failures in this window')).toBeVisible();
    expect(
      screen.getByText(/Nothing failed in the last 7 days/),
    ).toHaveTextContent('Not synced yet');
  });

  it('names the bad field of a hand-edited window instead of asking the server', async () => {
    const queries = serveTriage(() => [telegram]);
    await renderAt('/failures?window=custom&from=yesterday');
    expect(
      (
        await screen.findAllByText(
          /The address holds an invalid time window: from:/,
        )
      )[0],
    ).toBeVisible();
    expect(queries).toHaveLength(0);
  });

  it('says which permission is missing when the backend denies the triage', async () => {
    server.use(
      http.get(`${API_URL}/workflows`, () =>
        HttpResponse.json({ items: [], totalCount: 0 }),
      ),
      http.get(`${API_URL}/triage`, () =>
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
    await renderAt('/failures');
    expect(await screen.findByText(/Permission denied/)).toBeVisible();
    expect(
      screen.getByText(/Missing permission workflows\.workflow\.read/),
    ).toBeVisible();
  });
});
