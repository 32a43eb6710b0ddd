import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { workflowsApiRef } from '../../api/WorkflowsApi';
import { WorkflowsTable } from './WorkflowsTable';

export function WorkflowsPage() {
  const api = useApi(workflowsApiRef);
  const { value, loading, error } = useAsync(() => api.listWorkflows(), [api]);

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!value || value.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No workflows yet"
        description="Register a runner in a backend module, or track a workflow hosted elsewhere under workflows.tracked in app-config.yaml."
      />
    );
  } else {
    body = <WorkflowsTable items={value.items} />;
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
            value
              ? `${value.totalCount} workflow${
                  value.totalCount === 1 ? '' : 's'
                }`
              : 'Workflows'
          }
        >
          <SupportButton>
            Every workflow the portal knows: runners hosted by this backend and
            workflows tracked by the URL QStash delivers to.
          </SupportButton>
        </ContentHeader>
        {body}
      </Content>
    </Page>
  );
}
