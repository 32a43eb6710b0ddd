import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import { workflowsApiRef } from '@internal/plugin-workflows';
import { reason } from './reason';

const workflowScheduleField = FormFieldBlueprint.make({
  name: 'workflow-schedule',
  params: {
    field: async () =>
      createFormField({
        name: 'WorkflowSchedule',
        component: (await import('./WorkflowScheduleField'))
          .WorkflowScheduleField,
        // The backend's own rules, so the form stops before the task would fail.
        async validation(value, validation, { apiHolder }) {
          const api = apiHolder.get(workflowsApiRef);
          if (!api || !value?.cron) return;
          try {
            await api.previewSchedule({
              definition: { cron: value.cron, timezone: value.timezone },
            });
          } catch (error) {
            validation.addError(reason(error as Error));
          }
        },
      }),
  },
});

/** The scaffolder's field for workflow schedules (the "new workflow" template). */
export const scaffolderFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [workflowScheduleField],
});
