import { registerMswTestHooks } from '@backstage/test-utils';
import type { SchedulePreviewRequest } from '@internal/plugin-workflows-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  FakeFieldError,
  serveSchedules,
} from '../../__testUtils__/fakeSchedulesBackend';
import { aWorkflow } from '../../__testUtils__/fixtures';
import { renderWorkflowsAt } from '../../__testUtils__/renderWorkflows';
import {
  aPreview,
  aSchedule,
  anUnknownDestinationSchedule,
  NEW_YORK_9AM,
} from '../../__testUtils__/scheduleFixtures';

const server = setupServer();
registerMswTestHooks(server);

const UPDATE = 'workflows.schedule.update';

/**
 * usePermission caches decisions per permission and resource for the whole
 * file: every test grants the permission but the one about its denial,
 * which uses resources of its own.
 */
const renderAt = (path: string) =>
  renderWorkflowsAt(server, path, { granted: [UPDATE] });

const dialog = () => screen.getByRole('dialog');

async function openEditor(scheduleId: string) {
  const user = userEvent.setup({ delay: null });
  const row = await screen.findByTestId(`schedule-${scheduleId}`);
  await waitFor(() =>
    expect(
      within(row).getByRole('button', { name: `Edit ${scheduleId}` }),
    ).toBeEnabled(),
  );
  await user.click(
    within(row).getByRole('button', { name: `Edit ${scheduleId}` }),
  );
  await screen.findByRole('dialog', { name: `Edit schedule ${scheduleId}` });
  return user;
}

/** Waits for a preview of the form as it is, then reviews and saves. */
async function reviewAndSave(user: ReturnType<typeof userEvent.setup>) {
  const review = within(dialog()).getByRole('button', {
    name: 'Review changes',
  });
  await waitFor(() => expect(review).toBeEnabled());
  await user.click(review);
  await within(dialog()).findByRole('region', { name: 'Review' });
}

const previews = (requests: { path: string; body?: unknown }[]) =>
  requests
    .filter(r => r.path === '/schedules/preview')
    .map(r => r.body as SchedulePreviewRequest);

describe('SchedulesPage', () => {
  it('lists each schedule with its cron in words, zone, next fire times, last fire and retries', async () => {
    serveSchedules(server, {
      schedules: [aSchedule(), anUnknownDestinationSchedule()],
    });
    await renderAt('/schedules');

    const row = await screen.findByTestId('schedule-cars-weekdays');
    expect(
      within(row).getByText('At 09:00, Monday through Friday'),
    ).toBeVisible();
    expect(within(row).getByText('0 9 * * 1-5')).toBeVisible();
    expect(within(row).getByText('Asia/Singapore')).toBeVisible();
    const times = within(
      within(row).getByRole('list', {
        name: 'Next fire times of cars-weekdays',
      }),
    ).getAllByRole('listitem');
    // Wall times in the schedule's zone, not the reader's (UTC here): 01:00Z is 09:00.
    expect(times.map(item => item.textContent)).toEqual([
      expect.stringMatching(/^Mon, Mar 1, 2027, 09:00 GMT\+8/),
      expect.stringMatching(/^Tue, Mar 2, 2027, 09:00 GMT\+8$/),
      expect.stringMatching(/^Wed, Mar 3, 2027, 09:00 GMT\+8$/),
    ]);
    expect(within(row).getByText('and 2 more')).toBeVisible();
    expect(within(row).getByText('Delivered')).toBeVisible();
    expect(
      within(row).getByRole('link', { name: 'Car registrations update' }),
    ).toHaveAttribute('href', '/workflows/cars');
    expect(within(row).getAllByRole('cell')[5]).toHaveTextContent('3');
    expect(
      within(row).getByRole('checkbox', { name: 'Pause cars-weekdays' }),
    ).toBeChecked();
    expect(within(row).getByText('Active')).toBeVisible();

    const unknown = screen.getByTestId('schedule-scd_console');
    expect(within(unknown).getByText('Unknown destination')).toBeVisible();
    expect(
      within(unknown).getByText('POST https://hooks.example.com/nightly'),
    ).toBeVisible();
    expect(within(unknown).queryByRole('link')).not.toBeInTheDocument();
    expect(
      within(unknown).getByText(
        'Unknown to the portal: headers, retries and timeout',
      ),
    ).toBeVisible();
    expect(within(unknown).getByText('Failed')).toBeVisible();
    expect(within(unknown).getAllByRole('cell')[5]).toHaveTextContent(
      'Unknown',
    );
    expect(screen.getByText('2 schedules')).toBeVisible();
  });

  it('names the field the server refuses as you type, then shows the description, the next 5 times in the zone and the diff', async () => {
    const backend = serveSchedules(server, {
      schedules: [aSchedule()],
      preview: request =>
        request.definition.cron === '0 9 * *'
          ? new FakeFieldError(
              'definition.cron',
              '"0 9 * *" has 4 fields; QStash takes five (minute hour day-of-month month day-of-week)',
            )
          : aPreview({
              timezone: request.definition.timezone ?? 'Asia/Singapore',
              qstashCron: 'CRON_TZ=America/New_York 0 9 * * 1-5',
              nextFireTimes: NEW_YORK_9AM,
              changes: request.definition.timezone
                ? [
                    {
                      field: 'timezone',
                      before: 'Asia/Singapore',
                      after: request.definition.timezone,
                      beforeUnknown: false,
                    },
                  ]
                : [],
            }),
    });
    await renderAt('/schedules');
    const user = await openEditor('cars-weekdays');

    const cron = within(dialog()).getByRole('textbox', { name: /^Cron/ });
    await user.clear(cron);
    await user.type(cron, '0 9 * *');
    await waitFor(() =>
      expect(cron).toHaveAccessibleDescription(
        '"0 9 * *" has 4 fields; QStash takes five (minute hour day-of-month month day-of-week)',
      ),
    );
    expect(cron).toHaveAttribute('aria-invalid', 'true');
    expect(
      within(dialog()).getByRole('button', { name: 'Review changes' }),
    ).toBeDisabled();

    await user.type(cron, ' 1-5');
    const zone = within(dialog()).getByRole('combobox', { name: 'Time zone' });
    await user.clear(zone);
    await user.type(zone, 'New_York');
    await user.click(
      await screen.findByRole('option', { name: 'America/New_York' }),
    );

    expect(
      await within(dialog()).findByText(
        'Next 5 fire times in America/New_York',
      ),
    ).toBeVisible();
    expect(cron).toHaveAttribute('aria-invalid', 'false');
    const fireTimes = within(dialog()).getByRole('list', {
      name: 'Next 5 fire times',
    });
    expect(
      within(fireTimes)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      expect.stringMatching(/^Mon, Mar 8, 2027, 09:00 EST/),
      'Tue, Mar 9, 2027, 09:00 EST',
      'Wed, Mar 10, 2027, 09:00 EST',
      // After the clocks change the wall time stays 09:00.
      'Mon, Mar 15, 2027, 09:00 EDT',
      'Tue, Mar 16, 2027, 09:00 EDT',
    ]);
    expect(
      within(dialog()).getByTestId('preview-description'),
    ).toHaveTextContent('At 09:00, Monday through Friday');
    const change = within(
      within(dialog()).getByRole('table', { name: 'What saving changes' }),
    ).getByTestId('change-timezone');
    expect(change).toHaveTextContent('Time zone');
    expect(change).toHaveTextContent('Asia/Singapore');
    expect(change).toHaveTextContent('America/New_York');

    // Only what changed is proposed: the retyped cron is the same as before.
    expect(previews(backend.requests).at(-1)).toEqual({
      scheduleId: 'cars-weekdays',
      definition: { timezone: 'America/New_York' },
    });
  });

  it('shows the diff before saving, and saves with the version it loaded', async () => {
    const backend = serveSchedules(server, { schedules: [aSchedule()] });
    await renderAt('/schedules');
    const user = await openEditor('cars-weekdays');

    const retries = within(dialog()).getByRole('textbox', { name: 'Retries' });
    await user.clear(retries);
    await user.type(retries, '5');
    await reviewAndSave(user);

    const review = within(dialog()).getByRole('table', {
      name: 'Changes to save',
    });
    expect(within(review).getByTestId('change-retries')).toHaveTextContent(
      /Retries\s*3\s*5/,
    );
    expect(backend.requests.some(r => r.method === 'PUT')).toBe(false);

    await user.click(
      within(dialog()).getByRole('button', { name: 'Save schedule' }),
    );
    expect(
      await screen.findByText('Saved schedule cars-weekdays.'),
    ).toBeVisible();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(backend.requests.filter(r => r.method === 'PUT')).toEqual([
      {
        method: 'PUT',
        path: '/schedules/cars-weekdays',
        body: { retries: 5, expectedVersion: 'v1' },
      },
    ]);
    const row = screen.getByTestId('schedule-cars-weekdays');
    await waitFor(() =>
      expect(within(row).getAllByRole('cell')[5]).toHaveTextContent('5'),
    );
  });

  it('on a concurrent change shows both versions, and saves the edits again on top of the current one', async () => {
    const backend = serveSchedules(server, { schedules: [aSchedule()] });
    await renderAt('/schedules');
    const user = await openEditor('cars-weekdays');

    const retries = within(dialog()).getByRole('textbox', { name: 'Retries' });
    await user.clear(retries);
    await user.type(retries, '5');
    // Meanwhile someone moves the schedule to 10:00.
    backend.schedules = [
      aSchedule({
        cron: '0 10 * * 1-5',
        description: 'At 10:00, Monday through Friday',
        version: 'v2',
      }),
    ];
    await reviewAndSave(user);
    await user.click(
      within(dialog()).getByRole('button', { name: 'Save schedule' }),
    );

    expect(
      await within(dialog()).findByText(
        'This schedule changed since you opened it',
      ),
    ).toBeVisible();
    const versions = within(dialog()).getByRole('table', {
      name: 'Both versions of the schedule',
    });
    const cells = (field: string) =>
      within(within(versions).getByTestId(`version-${field}`))
        .getAllByRole('cell')
        .map(cell => cell.textContent);
    expect(cells('retries')).toEqual(['RetriesDiffers', '3', '5']);
    expect(cells('cron')).toEqual(['Cron', '0 10 * * 1-5', '0 10 * * 1-5']);

    await user.click(
      within(dialog()).getByRole('button', {
        name: 'Keep my changes on the current version',
      }),
    );
    expect(
      within(dialog()).getByRole('textbox', { name: /^Cron/ }),
    ).toHaveValue('0 10 * * 1-5');
    expect(
      within(dialog()).getByRole('textbox', { name: 'Retries' }),
    ).toHaveValue('5');
    await reviewAndSave(user);
    await user.click(
      within(dialog()).getByRole('button', { name: 'Save schedule' }),
    );
    expect(
      await screen.findByText('Saved schedule cars-weekdays.'),
    ).toBeVisible();
    expect(
      backend.requests.filter(r => r.method === 'PUT').map(r => r.body),
    ).toEqual([
      { retries: 5, expectedVersion: 'v1' },
      { retries: 5, expectedVersion: 'v2' },
    ]);
  });

  it('on a concurrent change can load the current version instead', async () => {
    const backend = serveSchedules(server, { schedules: [aSchedule()] });
    await renderAt('/schedules');
    const user = await openEditor('cars-weekdays');

    const retries = within(dialog()).getByRole('textbox', { name: 'Retries' });
    await user.clear(retries);
    await user.type(retries, '5');
    backend.schedules = [aSchedule({ retries: 7, version: 'v2' })];
    await reviewAndSave(user);
    await user.click(
      within(dialog()).getByRole('button', { name: 'Save schedule' }),
    );
    await user.click(
      await within(dialog()).findByRole('button', {
        name: 'Load the current version',
      }),
    );
    expect(
      within(dialog()).getByRole('textbox', { name: 'Retries' }),
    ).toHaveValue('7');
    expect(
      within(dialog()).getByRole('button', { name: 'Review changes' }),
    ).toBeDisabled();
    expect(within(dialog()).getByText('Nothing changed yet.')).toBeVisible();
  });

  it('pauses only after confirmation', async () => {
    const backend = serveSchedules(server, { schedules: [aSchedule()] });
    const user = userEvent.setup({ delay: null });
    await renderAt('/schedules');
    const row = await screen.findByTestId('schedule-cars-weekdays');
    const toggle = within(row).getByRole('checkbox', {
      name: 'Pause cars-weekdays',
    });
    await waitFor(() => expect(toggle).toBeEnabled());

    await user.click(toggle);
    const confirm = await screen.findByRole('dialog', {
      name: 'Pause schedule cars-weekdays?',
    });
    expect(confirm).toHaveTextContent(
      'QStash stops calling the workflow Car registrations update until the schedule is resumed.',
    );
    await user.click(
      within(confirm).getByRole('button', { name: 'Keep it running' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(toggle).toBeChecked();
    expect(backend.requests.some(r => r.path.endsWith('/pause'))).toBe(false);

    await user.click(toggle);
    await user.click(
      within(
        await screen.findByRole('dialog', {
          name: 'Pause schedule cars-weekdays?',
        }),
      ).getByRole('button', { name: 'Pause schedule' }),
    );
    expect(
      await screen.findByText('Paused schedule cars-weekdays.'),
    ).toBeVisible();
    expect(
      backend.requests.filter(r => r.path.endsWith('/pause')),
    ).toHaveLength(1);
    await waitFor(() =>
      expect(
        within(row).getByRole('checkbox', { name: 'Resume cars-weekdays' }),
      ).not.toBeChecked(),
    );
    expect(within(row).getByText('None while paused')).toBeVisible();
  });

  it('deletes only after confirmation', async () => {
    const backend = serveSchedules(server, { schedules: [aSchedule()] });
    const user = userEvent.setup({ delay: null });
    await renderAt('/schedules');
    const row = await screen.findByTestId('schedule-cars-weekdays');
    const remove = within(row).getByRole('button', {
      name: 'Delete cars-weekdays',
    });
    await waitFor(() => expect(remove).toBeEnabled());

    await user.click(remove);
    const confirm = await screen.findByRole('dialog', {
      name: 'Delete schedule cars-weekdays?',
    });
    expect(confirm).toHaveTextContent('this cannot be undone');
    expect(confirm).toHaveTextContent('The workflow and its runs stay.');
    expect(backend.requests.some(r => r.method === 'DELETE')).toBe(false);
    await user.click(
      within(confirm).getByRole('button', { name: 'Delete schedule' }),
    );

    expect(await screen.findByText('No schedules yet')).toBeVisible();
    expect(backend.requests.filter(r => r.method === 'DELETE')).toEqual([
      { method: 'DELETE', path: '/schedules/cars-weekdays', body: undefined },
    ]);
  });

  it('without the permission disables the controls and says why', async () => {
    serveSchedules(server, {
      schedules: [
        aSchedule({
          scheduleId: 'coe-daily',
          workflowId: 'coe',
          workflowTitle: 'COE results update',
          destination: 'http://localhost:7007/api/workflows/runners/coe',
        }),
        anUnknownDestinationSchedule({
          scheduleId: 'scd_denied',
          destination: 'https://hooks.example.com/denied',
        }),
      ],
    });
    const { permissionRequests } = await renderWorkflowsAt(
      server,
      '/schedules',
      { granted: [] },
    );

    for (const id of ['coe-daily', 'scd_denied']) {
      const row = await screen.findByTestId(`schedule-${id}`);
      expect(
        await within(row).findByText(
          'You need the workflows.schedule.update permission to change this schedule.',
        ),
      ).toBeVisible();
      expect(
        within(row).getByRole('checkbox', { name: `Pause ${id}` }),
      ).toBeDisabled();
      expect(
        within(row).getByRole('button', { name: `Edit ${id}` }),
      ).toBeDisabled();
      expect(
        within(row).getByRole('button', { name: `Delete ${id}` }),
      ).toBeDisabled();
    }
    // A schedule of no known workflow is checked against its destination.
    expect(permissionRequests).toEqual(
      expect.arrayContaining([
        { name: UPDATE, resourceRef: 'coe' },
        { name: UPDATE, resourceRef: 'https://hooks.example.com/denied' },
      ]),
    );
  });

  it('creates a schedule for a destination the portal does not know', async () => {
    const backend = serveSchedules(server, { schedules: [] });
    const user = userEvent.setup({ delay: null });
    await renderAt('/schedules');
    await user.click(
      await screen.findByRole('button', { name: 'New schedule' }),
    );
    await screen.findByRole('dialog', { name: 'New schedule' });

    await user.click(
      within(dialog()).getByRole('combobox', { name: /^Destination/ }),
    );
    await user.paste('https://hooks.example.com/weekly');
    expect(
      within(dialog()).getByText(
        'No workflow the portal knows has this URL: the schedule is listed as an unknown destination.',
      ),
    ).toBeVisible();
    await user.type(
      within(dialog()).getByRole('textbox', { name: /^Cron/ }),
      '0 8 * * 1',
    );
    await reviewAndSave(user);
    expect(
      within(dialog()).getByRole('table', { name: 'Changes to save' }),
    ).toHaveTextContent('https://hooks.example.com/weekly');
    await user.click(
      within(dialog()).getByRole('button', { name: 'Create schedule' }),
    );

    expect(
      await screen.findByText('Created schedule schedule-generated.'),
    ).toBeVisible();
    expect(
      backend.requests.filter(
        r => r.path === '/schedules' && r.method === 'POST',
      ),
    ).toEqual([
      {
        method: 'POST',
        path: '/schedules',
        body: {
          destination: 'https://hooks.example.com/weekly',
          method: 'POST',
          cron: '0 8 * * 1',
          timezone: 'UTC',
        },
      },
    ]);
    expect(
      await screen.findByTestId('schedule-schedule-generated'),
    ).toBeVisible();
  });

  it("opens a new schedule for a workflow from the address, filled in with the workflow's endpoint and schedule", async () => {
    serveSchedules(server, { schedules: [] });
    await renderAt('/schedules?workflow=cars&new=cars');

    await screen.findByRole('dialog', { name: 'New schedule' });
    expect(
      within(dialog()).getByRole('combobox', { name: /^Destination/ }),
    ).toHaveValue(aWorkflow().endpoint);
    expect(
      within(dialog()).getByText(
        'Calls the workflow Car registrations update.',
      ),
    ).toBeVisible();
    expect(
      within(dialog()).getByRole('textbox', { name: /^Cron/ }),
    ).toHaveValue('0 0-10 * * 1-5');
  });

  it('warns which unknown fields saving would reset to the default', async () => {
    serveSchedules(server, {
      schedules: [anUnknownDestinationSchedule()],
      preview: () =>
        aPreview({
          unknownFields: ['headers', 'timeoutSeconds'],
          changes: [
            {
              field: 'timeoutSeconds',
              before: null,
              after: null,
              beforeUnknown: true,
            },
          ],
        }),
    });
    await renderAt('/schedules');
    await openEditor('scd_console');

    expect(
      await within(dialog()).findByText(
        /The portal does not know the current headers and timeout of this schedule\. Saving sends QStash's default for them/,
      ),
    ).toBeVisible();
    expect(
      within(dialog()).getByTestId('change-timeoutSeconds'),
    ).toHaveTextContent('Unknown to the portal');
    expect(
      within(dialog()).getByText(
        'The current headers are unknown to the portal: saving without replacing them sends none.',
      ),
    ).toBeVisible();
  });
});
