import type { ProbeVerdict } from '@internal/plugin-workflows-common';

/** Worst last: a check that was not made says less than one that passed. */
const SEVERITY: Record<ProbeVerdict, number> = {
  'not-probed': 0,
  ok: 1,
  warning: 2,
  failing: 3,
};

/** The worst of the verdicts; `not-probed` when there is none. */
export function worstVerdict(verdicts: Iterable<ProbeVerdict>): ProbeVerdict {
  let worst: ProbeVerdict = 'not-probed';
  for (const verdict of verdicts) {
    if (SEVERITY[verdict] > SEVERITY[worst]) worst = verdict;
  }
  return worst;
}
