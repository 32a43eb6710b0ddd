import type { DlqSource } from '@internal/plugin-workflows-common';
import type { MirroredDlqEntry } from '../database/DlqStore';
import type { QStashDlqEntry } from '../qstash/QStashGateway';
import { errorSignature, failureGroupId } from '../triage/errorSignature';
import { describeStepError } from './qstashRunMapping';

/** `serve` names the failing step in this response header. */
const ERROR_STEP_HEADER = 'upstash-error-step-name';

function headerValue(
  headers: Record<string, string[]> | undefined,
  name: string,
): string | undefined {
  for (const [key, values] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return values?.[0];
  }
  return undefined;
}

/** The failed attempt's answer: `serve` sends JSON with a message. */
function responseText(entry: QStashDlqEntry): string {
  const raw =
    entry.responseBody ??
    (entry.responseBodyBase64
      ? Buffer.from(entry.responseBodyBase64, 'base64').toString('utf8')
      : '');
  try {
    const parsed = JSON.parse(raw) as { message?: unknown; error?: unknown };
    if (typeof parsed.message === 'string' && parsed.message) {
      return typeof parsed.error === 'string' && parsed.error !== 'Error'
        ? `${parsed.error}: ${parsed.message}`
        : parsed.message;
    }
  } catch {
    // Not JSON: the text as it came.
  }
  return raw;
}

/**
 * A dead letter entry as the mirror keeps it; undefined for entries of URLs
 * that are no known workflow.
 */
export function mapDlqEntry(
  source: DlqSource,
  entry: QStashDlqEntry,
  workflowIdOfUrl: (url: string) => string | undefined,
): MirroredDlqEntry | undefined {
  const url =
    (source === 'workflow' ? entry.workflowUrl : undefined) ?? entry.url;
  const workflowId = url ? workflowIdOfUrl(url) : undefined;
  if (!workflowId) return undefined;
  const failedStep =
    headerValue(entry.responseHeader, ERROR_STEP_HEADER) ?? null;
  const error = describeStepError({
    status: entry.responseStatus,
    body: responseText(entry) || undefined,
  });
  return {
    dlqId: entry.dlqId,
    source,
    workflowId,
    runId: entry.workflowRunId ?? null,
    messageId: entry.messageId ?? null,
    url: url ?? null,
    createdAtMs: entry.createdAt ?? entry.workflowCreatedAt ?? Date.now(),
    responseStatus: entry.responseStatus ?? null,
    failedStep,
    error,
    failureGroup: failureGroupId(workflowId, failedStep, errorSignature(error)),
  };
}
