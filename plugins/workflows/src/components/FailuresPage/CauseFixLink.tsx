import { Link } from '@backstage/core-components';
import type { TriageGroup } from '@internal/plugin-workflows-common';
import { useRunPath, useWorkflowHealthPath } from '../shared/links';

/** Only web addresses become links; anything else from an error text stays text. */
const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

/** Where the operator fixes the cause of a group: env health, the newest run, or the upstream. */
export function CauseFixLink({ group }: { group: TriageGroup }) {
  const healthPath = useWorkflowHealthPath();
  const runPath = useRunPath();
  const { cause } = group;

  if (cause.fix === 'env-health') {
    return (
      <Link to={healthPath(group.workflowId)}>
        Check the environment of {group.workflowTitle}
      </Link>
    );
  }
  if (cause.fix === 'source-url' && cause.url && isWebUrl(cause.url)) {
    return (
      <Link to={cause.url} target="_blank" rel="noreferrer">
        Open {cause.url}
      </Link>
    );
  }
  // A run is where the rest of the fixes start, and the fallback of a URL-less upstream cause.
  const newestRun = group.exampleRunIds[0];
  if (!newestRun) return null;
  return (
    <Link to={runPath(group.workflowId, newestRun)}>Open the newest run</Link>
  );
}
