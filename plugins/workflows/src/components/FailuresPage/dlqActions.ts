import type { DlqAction, DlqSource } from '@internal/plugin-workflows-common';

type DlqActionInfo = {
  /** The button. */
  label: string;
  /** "Resuming 2 entries …", in the confirmation. */
  doing: string;
  /** What the action does that cannot be taken back, said before it runs. */
  consequence: string;
  /** Which dead letter queue the action applies to. */
  sources: DlqSource[];
  /** Whether the request may override the retries of the new run's steps. */
  takesRetries: boolean;
  destructive: boolean;
};

export const DLQ_ACTIONS: Record<DlqAction, DlqActionInfo> = {
  resume: {
    label: 'Resume',
    doing: 'Resuming',
    consequence:
      "re-runs only the steps after the last successful one; the workflow's code up to that step must be unchanged, or the replay breaks.",
    sources: ['workflow'],
    takesRetries: true,
    destructive: false,
  },
  restart: {
    label: 'Restart',
    doing: 'Restarting',
    consequence:
      'runs every step again from the start, including steps that already posted or wrote.',
    sources: ['workflow'],
    takesRetries: true,
    destructive: false,
  },
  'retry-failure-function': {
    label: 'Retry failure function',
    doing: 'Retrying the failure function of',
    consequence:
      "calls the workflow's failure function again for each entry; the steps of the run are not run again.",
    sources: ['workflow'],
    takesRetries: false,
    destructive: false,
  },
  redeliver: {
    label: 'Redeliver',
    doing: 'Redelivering',
    consequence:
      'sends each message again to its destination, with the body it was first sent with.',
    sources: ['message'],
    takesRetries: false,
    destructive: false,
  },
  delete: {
    label: 'Delete',
    doing: 'Deleting',
    consequence:
      'removes the entries from the dead letter queue; they cannot be resumed afterwards.',
    sources: ['workflow', 'message'],
    takesRetries: false,
    destructive: true,
  },
};

const ORDER: DlqAction[] = [
  'resume',
  'restart',
  'retry-failure-function',
  'redeliver',
  'delete',
];

/**
 * The actions that apply to every selected entry: the workflow actions for
 * workflow entries, redeliver for messages, only delete for a mix.
 */
export function actionsFor(sources: DlqSource[]): DlqAction[] {
  const present = new Set(sources);
  if (present.size === 0) return ORDER.filter(a => a !== 'redeliver');
  return ORDER.filter(action =>
    [...present].every(source => DLQ_ACTIONS[action].sources.includes(source)),
  );
}

/** "1 entry", "3 entries". */
export const entriesText = (count: number) =>
  `${count} ${count === 1 ? 'entry' : 'entries'}`;
