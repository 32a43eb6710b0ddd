import { ResponseError } from '@backstage/errors';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { workflowsApiRef, type WorkflowsApi } from '@internal/plugin-workflows';
import type {
  SchedulePreviewRequest,
  SchedulePreviewResponse,
} from '@internal/plugin-workflows-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import {
  WorkflowScheduleField,
  type WorkflowScheduleValue,
} from './WorkflowScheduleField';

const weekdayMornings: SchedulePreviewResponse = {
  cron: '15 7 * * 1-5',
  timezone: 'Asia/Singapore',
  qstashCron: 'CRON_TZ=Asia/Singapore 15 7 * * 1-5',
  description: 'At 07:15 AM, Monday through Friday',
  nextFireTimes: [
    { at: '2026-11-25T23:15:00.000Z', local: '2026-11-26T07:15:00+08:00' },
    { at: '2026-11-26T23:15:00.000Z', local: '2026-11-27T07:15:00+08:00' },
  ],
  changes: [],
  unknownFields: [],
  currentVersion: null,
};

/** The backend's 400, as the workflows client passes it on. */
async function badRequest(message: string): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'InputError', message },
        response: { statusCode: 400 },
      }),
      {
        status: 400,
        statusText: 'Bad Request',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

/** Only the preview is used by the field. */
function fakeApi(
  preview: (
    request: SchedulePreviewRequest,
  ) => Promise<SchedulePreviewResponse>,
) {
  const seen: SchedulePreviewRequest[] = [];
  const api = {
    previewSchedule: async (request: SchedulePreviewRequest) => {
      seen.push(request);
      return preview(request);
    },
  } as Partial<WorkflowsApi> as WorkflowsApi;
  return { api, seen };
}

/** The form's part: keeps the value the field reports, as RJSF does. */
function renderField(
  api: WorkflowsApi,
  initial: WorkflowScheduleValue,
  values: WorkflowScheduleValue[] = [],
) {
  function Form() {
    const [formData, setFormData] = useState(initial);
    const props = {
      formData,
      onChange: (value: WorkflowScheduleValue) => {
        values.push(value);
        setFormData(value);
      },
      schema: { title: 'Schedule' },
      rawErrors: [],
    } as unknown as FieldExtensionComponentProps<WorkflowScheduleValue>;
    return <WorkflowScheduleField {...props} />;
  }
  return renderInTestApp(<Form />, { apis: [[workflowsApiRef, api]] });
}

describe('WorkflowScheduleField', () => {
  it('shows a valid cron in words with its next fire times, and keeps them in the value', async () => {
    const { api, seen } = fakeApi(async () => weekdayMornings);
    const values: WorkflowScheduleValue[] = [];
    await renderField(
      api,
      { cron: '15 7 * * 1-5', timezone: 'Asia/Singapore' },
      values,
    );

    expect(
      await screen.findByText('At 07:15 AM, Monday through Friday'),
    ).toBeInTheDocument();
    // Wall times in the schedule's zone, whatever the reader's zone.
    const times = within(screen.getByRole('list', { name: 'Next fire times' }))
      .getAllByRole('listitem')
      .map(item => item.textContent);
    expect(times).toHaveLength(2);
    expect(times[0]).toMatch(/26.*07:15/);
    expect(times[1]).toMatch(/27.*07:15/);
    expect(seen).toEqual([
      { definition: { cron: '15 7 * * 1-5', timezone: 'Asia/Singapore' } },
    ]);
    // The review step shows the value, so the words and times go into it.
    await waitFor(() =>
      expect(values.at(-1)).toEqual({
        cron: '15 7 * * 1-5',
        timezone: 'Asia/Singapore',
        inWords: 'At 07:15 AM, Monday through Friday',
        nextFireTimes: times,
      }),
    );
  });

  it("shows the backend's reason for a bad cron, and no fire times", async () => {
    const { api, seen } = fakeApi(async ({ definition }) => {
      if (definition.cron === '61 * * * *') {
        throw await badRequest(
          'Invalid body: definition.cron: minute 61 is out of range 0-59',
        );
      }
      return weekdayMornings;
    });
    await renderField(api, {
      cron: '15 7 * * 1-5',
      timezone: 'Asia/Singapore',
    });
    await screen.findByText('At 07:15 AM, Monday through Friday');

    fireEvent.change(screen.getByRole('textbox', { name: /Cron/ }), {
      target: { value: '61 * * * *' },
    });

    expect(
      await screen.findByText(
        'Invalid body: definition.cron: minute 61 is out of range 0-59',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('At 07:15 AM, Monday through Friday'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Next fire times' }),
    ).not.toBeInTheDocument();
    expect(seen.at(-1)).toEqual({
      definition: { cron: '61 * * * *', timezone: 'Asia/Singapore' },
    });
  });
});
