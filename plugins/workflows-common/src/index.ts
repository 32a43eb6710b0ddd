/**
 * Types, permissions and API schemas shared by the workflows frontend and backend.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './api';
export * from './runs';
export * from './socialPosts';
export * from './triage';
export * from './schedules';
export * from './catalog';
export * from './health';
export * from './workflowUrls';
