/**
 * Backend plugin of the QStash workflow operations portal.
 *
 * @packageDocumentation
 */
export { workflowsPlugin as default } from './plugin';
