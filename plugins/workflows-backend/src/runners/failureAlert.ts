import { LoggerService } from '@backstage/backend-plugin-api';

export interface FailureAlert {
  workflowTitle: string;
  workflowId: string;
  runId: string;
  failedStep: string | null;
  error: string;
  runUrl: string;
  /** The Failures page at this failure's group: every run that failed the same way. */
  groupUrl: string;
}

const FIELD_LIMIT = 1000;

function clip(text: string): string {
  return text.length > FIELD_LIMIT
    ? `${text.slice(0, FIELD_LIMIT - 1)}…`
    : text;
}

/**
 * Posts a "Workflow failed" embed to a Discord webhook. Failing to alert is
 * logged, never thrown: the run is already recorded as failed.
 */
export async function sendDiscordFailureAlert(
  webhookUrl: string,
  alert: FailureAlert,
  logger: LoggerService,
): Promise<boolean> {
  const body = {
    embeds: [
      {
        title: 'Workflow failed',
        color: 0xd32f2f,
        url: alert.runUrl,
        fields: [
          {
            name: 'Workflow',
            value: `${alert.workflowTitle} (${alert.workflowId})`,
          },
          { name: 'Step', value: alert.failedStep ?? 'unknown' },
          { name: 'Error', value: clip(alert.error || 'no message') },
          { name: 'Run', value: `[${alert.runId}](${alert.runUrl})` },
          {
            name: 'Same failure',
            value: `[All runs that failed this way](${alert.groupUrl})`,
          },
        ],
        timestamp: new Date().toISOString(),
      },
    ],
  };
  try {
    const response = await fetch(`${webhookUrl}?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      // The webhook URL is a secret: report the status only.
      logger.warn(
        `Discord failure alert for run ${alert.runId} was refused with HTTP ${response.status}`,
      );
      return false;
    }
    return true;
  } catch (error) {
    logger.warn(
      `Discord failure alert for run ${alert.runId} could not be sent: ${
        (error as Error).name
      }`,
    );
    return false;
  }
}
