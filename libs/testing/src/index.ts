export { TEST_ENV, requireTestEnv } from './test-env';
export { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from './test-database';
