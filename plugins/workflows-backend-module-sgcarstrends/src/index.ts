/**
 * The car registrations, COE results and social posting runners.
 *
 * @packageDocumentation
 */
export { workflowsModuleSgcarstrends as default } from './module';
