/** Variables the jest global setup hands to test files (they run in worker processes). */
export const TEST_ENV = {
  adminUrl: 'AMC_TEST_ADMIN_DATABASE_URL',
  templateName: 'AMC_TEST_TEMPLATE_DATABASE',
  redisUrl: 'AMC_TEST_REDIS_URL',
} as const;

export function requireTestEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is not set: integration tests run under the jest global setup (npm test)`);
  return value;
}
