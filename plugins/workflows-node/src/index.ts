/**
 * Extension points of the workflows backend plugin.
 *
 * @packageDocumentation
 */
export * from './runners';
export * from './health';
export { redactSecrets, REDACTED } from './redactSecrets';
