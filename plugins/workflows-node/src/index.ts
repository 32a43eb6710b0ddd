/**
 * Extension points of the workflows backend plugin.
 *
 * @packageDocumentation
 */
export * from './runners';
