export { TEST_ENV, requireTestEnv } from './test-env';
export { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from './test-database';
export { startAppStack, waitForBusEvent, TEST_WEBHOOK_SECRET, TEST_JWT_SECRET, type AppStack } from './app-stack';
export { postSignedEvent, postOversizedEvent, apiClient } from './signed-event';
export { startTestRedisCluster, type TestRedisCluster } from './test-redis-cluster';
