/**
 * Scaffolder actions for QStash workflows: `workflows:cron:validate`,
 * `workflows:publish:local`, `workflows:catalog:register-local`,
 * `workflows:register` and `workflows:schedule:create`.
 *
 * @packageDocumentation
 */
export { scaffolderModuleWorkflows as default } from './module';
export { catalogModuleLocalWorkflows } from './catalogModule';
export { createCronValidateAction } from './actions/cronValidate';
export { createPublishLocalAction } from './actions/publishLocal';
export { createRegisterAction } from './actions/register';
export { createRegisterLocalEntityAction } from './actions/registerLocalEntity';
export { createScheduleCreateAction } from './actions/scheduleCreate';
export { WorkflowsApi } from './WorkflowsApi';
