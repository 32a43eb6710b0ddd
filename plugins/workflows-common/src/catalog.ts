import type { WorkflowSchedule } from './api';

/** On a catalog entity: the id of the workflow it is, or that it runs. */
export const WORKFLOW_ID_ANNOTATION = 'qstash.upstash.com/workflow-id';

/** On a catalog entity: the URL QStash calls for the workflow. */
export const WORKFLOW_URL_ANNOTATION = 'qstash.upstash.com/workflow-url';

/** On a catalog entity: the workflow's schedule, e.g. `0 0-10 * * 1-5 (UTC)`. */
export const WORKFLOW_SCHEDULE_ANNOTATION = 'qstash.upstash.com/schedule';

/** The value of the schedule annotation: the cron expression and its zone. */
export function scheduleAnnotationValue(schedule: WorkflowSchedule): string {
  return `${schedule.cron} (${schedule.timezone})`;
}

const NAME_PREFIX = 'workflow-';
// The catalog's limit on metadata.name.
const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 7;

// FNV-1a: short, stable and the same in the browser and on the backend.
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36).padStart(HASH_LENGTH, '0');
}

/**
 * The `metadata.name` of the catalog Component that stands for a workflow.
 *
 * `workflow-<id>` when the id is a valid lower-case name already; otherwise the
 * id is cleaned up and a hash of the original appended, so that ids differing
 * only in case or in dropped characters still get names of their own.
 */
export function workflowEntityName(workflowId: string): string {
  const name = `${NAME_PREFIX}${workflowId}`;
  const isValidAsIs =
    /^[a-z0-9._-]*[a-z0-9]$/.test(workflowId) && name.length <= MAX_NAME_LENGTH;
  if (isValidAsIs) return name;

  const room = MAX_NAME_LENGTH - NAME_PREFIX.length - HASH_LENGTH - 1;
  const cleaned = workflowId
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, room)
    .replace(/[^a-z0-9]+$/, '');
  const hash = shortHash(workflowId);
  return cleaned ? `${NAME_PREFIX}${cleaned}-${hash}` : `${NAME_PREFIX}${hash}`;
}
