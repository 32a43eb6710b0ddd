/**
 * A QStash-compatible local server (Upstash QStash and Upstash Workflow) for
 * development and tests.
 *
 * @packageDocumentation
 */
export { startQStashLocal } from './server';
export type { QStashLocal } from './server';
export type { QStashLocalOptions } from './options';
