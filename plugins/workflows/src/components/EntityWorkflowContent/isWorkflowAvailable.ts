import type { Entity } from '@backstage/catalog-model';
import { WORKFLOW_ID_ANNOTATION } from '@internal/plugin-workflows-common';

/** Whether the entity names a workflow, so its page can show the Workflow tab. */
export function isWorkflowAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[WORKFLOW_ID_ANNOTATION]);
}
