/**
 * Test helpers shared by the workflows backend packages.
 *
 * @packageDocumentation
 */
export { createTestDatabases, POSTGRES_TEST_ID } from './testDatabases';
export { createRunnerModule } from './runnerModule';
export { qstashConfigFor } from './qstashConfig';
export type { TestQStash } from './qstashConfig';
export { capturingRootLogger } from './capturingLogger';
