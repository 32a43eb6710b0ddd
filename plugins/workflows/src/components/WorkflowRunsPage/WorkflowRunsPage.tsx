import {
  Content,
  EmptyState,
  Header,
  HeaderLabel,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { useParams } from 'react-router-dom';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { rootRouteRef } from '../../routes';
import { RunsTable } from './RunsTable';

/** The runs of one workflow, newest first, each with its step journal. */
export function WorkflowRunsPage() {
  const { workflowId = '', runId } = useParams();
  const api = useApi(workflowsApiRef);
  const workflowsLink = useRouteRef(rootRouteRef)();
  const { value, loading, error } = useAsync(async () => {
    const [workflows, runs] = await Promise.all([
      api.listWorkflows(),
      api.listRuns(workflowId),
    ]);
    return {
      workflow: workflows.items.find(w => w.id === workflowId),
      runs: runs.items,
    };
  }, [api, workflowId]);

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!value || value.runs.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No runs yet"
        description="Runs appear here as soon as QStash calls this workflow's runner."
      />
    );
  } else {
    body = <RunsTable runs={value.runs} openRunId={runId} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title={value?.workflow?.title ?? workflowId}
        subtitle={value?.workflow?.description}
        type="Workflow"
        typeLink={workflowsLink}
      >
        {value?.workflow && (
          <HeaderLabel label="Owner" value={value.workflow.owner} />
        )}
      </Header>
      <Content>
        {body}
        <Link to={workflowsLink}>All workflows</Link>
      </Content>
    </Page>
  );
}
