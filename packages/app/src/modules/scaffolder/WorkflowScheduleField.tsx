import { useApi } from '@backstage/core-plugin-api';
import { formatFireTime, workflowsApiRef } from '@internal/plugin-workflows';
import type { SchedulePreviewResponse } from '@internal/plugin-workflows-common';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { reason } from './reason';

/**
 * The value: the cron and zone the template uses, plus the cron in words and
 * the next fire times, so that the review step shows them too.
 */
export interface WorkflowScheduleValue {
  cron: string;
  timezone: string;
  inWords?: string;
  nextFireTimes?: string[];
}

/** Waits for typing to pause before asking the backend. */
const PREVIEW_DELAY_MS = 400;

/** Cron and zone inputs with the backend's preview of the schedule. */
export function WorkflowScheduleField(
  props: FieldExtensionComponentProps<WorkflowScheduleValue>,
) {
  const { formData, onChange, schema, rawErrors, idSchema } = props;
  const api = useApi(workflowsApiRef);
  const cron = formData?.cron ?? '';
  const timezone = formData?.timezone ?? 'UTC';
  const [preview, setPreview] = useState<
    { ok: SchedulePreviewResponse } | { error: string } | undefined
  >();

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .previewSchedule({ definition: { cron, timezone } })
        .then(ok => !cancelled && setPreview({ ok }))
        .catch(
          (error: Error) => !cancelled && setPreview({ error: reason(error) }),
        );
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, cron, timezone]);

  const ok = preview && 'ok' in preview ? preview.ok : undefined;
  const inWords = ok?.description ?? ok?.cron;
  const times = ok?.nextFireTimes.map(t => formatFireTime(t, ok.timezone));
  useEffect(() => {
    if (!ok) return;
    if (
      formData?.inWords === inWords &&
      formData?.nextFireTimes?.join() === times?.join()
    ) {
      return;
    }
    onChange({ cron, timezone, inWords, nextFireTimes: times });
  }, [ok]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = (next: Partial<WorkflowScheduleValue>) =>
    // The words and times are for the old value until the preview answers.
    onChange({ cron, timezone, ...next });

  const id = idSchema?.$id ?? 'schedule';
  const hasErrors = !!rawErrors?.length || (!!preview && 'error' in preview);
  return (
    <Box mb={2}>
      <Typography variant="h6" component="h3">
        {schema.title ?? 'Schedule'}
      </Typography>
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }}>
        <TextField
          id={`${id}-cron`}
          label="Cron"
          value={cron}
          onChange={e => set({ cron: e.target.value })}
          helperText="minute hour day-of-month month day-of-week"
          required
          error={hasErrors}
          style={{ flex: '1 1 240px' }}
        />
        <TextField
          id={`${id}-timezone`}
          label="Time zone"
          value={timezone}
          onChange={e => set({ timezone: e.target.value })}
          helperText="An IANA name, e.g. Asia/Singapore"
          required
          style={{ flex: '1 1 240px' }}
        />
      </Box>
      <Box mt={1} aria-live="polite" aria-label="Schedule preview">
        {preview && 'error' in preview && (
          <Typography color="error">{preview.error}</Typography>
        )}
        {ok && (
          <>
            <Typography>{inWords}</Typography>
            {times && times.length > 0 ? (
              <>
                <Typography variant="body2" color="textSecondary">
                  Next fire times in {ok.timezone}:
                </Typography>
                <Box component="ol" aria-label="Next fire times" m={0} pl={3}>
                  {times.map((time, index) => (
                    <Typography
                      component="li"
                      variant="body2"
                      key={ok.nextFireTimes[index].at}
                    >
                      {time}
                    </Typography>
                  ))}
                </Box>
              </>
            ) : (
              <Typography variant="body2" color="textSecondary">
                This cron never fires.
              </Typography>
            )}
          </>
        )}
      </Box>
    </Box>
  );
}
