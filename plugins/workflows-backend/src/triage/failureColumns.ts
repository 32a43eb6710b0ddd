import { errorSignature, failureGroupId } from './errorSignature';

/** What a failure is grouped by, stored with the run so triage never re-parses errors. */
export interface FailureColumns {
  failed_at_ms: number | null;
  failure_group: string | null;
  error_signature: string | null;
}

const NOT_FAILED: FailureColumns = {
  failed_at_ms: null,
  failure_group: null,
  error_signature: null,
};

/** The triage columns of a run row: null unless the run failed. */
export function failureColumns(run: {
  workflowId: string;
  status: string;
  failedStep: string | null;
  error: string | null;
  failedAt: Date;
}): FailureColumns {
  if (run.status !== 'failed') return NOT_FAILED;
  const signature = errorSignature(run.error || 'The run failed');
  return {
    failed_at_ms: run.failedAt.getTime(),
    failure_group: failureGroupId(run.workflowId, run.failedStep, signature),
    error_signature: signature,
  };
}
