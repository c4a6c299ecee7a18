export { TEST_ENV, requireTestEnv } from './test-env';
export { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from './test-database';
export { startAppStack, waitForBusEvent, TEST_WEBHOOK_SECRET, TEST_JWT_SECRET, TEST_ADMIN_TOKEN, type AppStack, type MemberApi, type ProvisionedOrganization } from './app-stack';
export { provisionOrganization } from './provision-organization';
export { postSignedEvent, postOversizedEvent, apiClient } from './signed-event';
export { seedOrganization, type SeededOrganization } from './seed-organization';
export { checkResponse, findOperation, ApiConformanceError, type ConformanceProblem } from './openapi-conformance';
export { startLocalSmtpServer, type LocalSmtpServer, type ReceivedMail } from './local-smtp-server';
export { startLocalHttpReceiver, type LocalHttpReceiver, type ReceivedRequest, type ReceiverAnswer } from './local-http-receiver';
