/**
 * Publishes every workflow of the workflows plugin as a Component in the
 * software catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleWorkflows as default } from './module';
