import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  type Entity,
} from '@backstage/catalog-model';
import {
  WORKFLOW_ID_ANNOTATION,
  WORKFLOW_SCHEDULE_ANNOTATION,
  WORKFLOW_URL_ANNOTATION,
  scheduleAnnotationValue,
  workflowEntityName,
  type WorkflowSummary,
} from '@internal/plugin-workflows-common';

/** What a workflow's entity needs besides the workflow itself. */
export interface WorkflowEntityContext {
  /** External base URL of the workflows API, e.g. `https://portal/api/workflows`. */
  workflowsApiUrl: string;
  /** Base URL of the portal's frontend. */
  appBaseUrl: string;
  /** The System every workflow Component is part of. */
  system: string;
}

/** The catalog Component that stands for one workflow. */
export function workflowEntity(
  workflow: WorkflowSummary,
  context: WorkflowEntityContext,
): Entity {
  const id = encodeURIComponent(workflow.id);
  const location = `url:${context.workflowsApiUrl}/workflows/${id}`;
  const workflowPage = `${context.appBaseUrl}/workflows/${id}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: workflowEntityName(workflow.id),
      title: workflow.title,
      ...(workflow.description && { description: workflow.description }),
      annotations: {
        [WORKFLOW_ID_ANNOTATION]: workflow.id,
        [WORKFLOW_URL_ANNOTATION]: workflow.endpoint,
        ...(workflow.schedule && {
          [WORKFLOW_SCHEDULE_ANNOTATION]: scheduleAnnotationValue(
            workflow.schedule,
          ),
        }),
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        // "View source" would otherwise open the API resource, which a
        // browser without a backend token cannot read.
        [ANNOTATION_SOURCE_LOCATION]: `url:${workflowPage}`,
        [ANNOTATION_VIEW_URL]: workflowPage,
      },
      links: [
        {
          url: workflowPage,
          title: 'Runs and schedule in Workflows',
          icon: 'dashboard',
        },
      ],
    },
    spec: {
      type: 'workflow',
      lifecycle: 'production',
      owner: workflow.owner,
      system: context.system,
    },
  };
}
