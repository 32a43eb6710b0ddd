import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  SupportButton,
} from '@backstage/core-components';
import { useWorkflows } from '../../hooks/useWorkflow';
import { LoadError } from '../shared/errors';
import { WorkflowsTable } from './WorkflowsTable';

export function WorkflowsPage() {
  const { workflows, loading, error } = useWorkflows();

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <LoadError error={error} what="list of workflows" />;
  } else if (!workflows || workflows.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No workflows yet"
        description="Register a runner in a backend module, or track a workflow hosted elsewhere under workflows.tracked in app-config.yaml."
      />
    );
  } else {
    body = <WorkflowsTable items={workflows.items} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title="Workflows"
        subtitle="Scheduled data jobs running on Upstash QStash"
      />
      <Content>
        <ContentHeader
          title={
            workflows
              ? `${workflows.totalCount} workflow${
                  workflows.totalCount === 1 ? '' : 's'
                }`
              : 'Workflows'
          }
        >
          <SupportButton>
            Every workflow the portal knows: runners hosted by this backend and
            workflows tracked by the URL QStash delivers to. Open one for its
            schedule, runs and manual trigger.
          </SupportButton>
        </ContentHeader>
        {body}
      </Content>
    </Page>
  );
}
