import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintUserToken } from '@amc-reports/auth';
import { findFreePort, startApp, waitForAppReady, READY_PATTERNS, type AppName, type RunningApp } from '@amc-reports/launcher';
import { createRedisClient } from '@amc-reports/queue';
import { provisionOrganization } from './provision-organization';
import { apiClient } from './signed-event';
import { startTestRedisCluster, type TestRedisCluster } from './test-redis-cluster';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from './test-database';
import { requireTestEnv } from './test-env';

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface ProvisionedOrganization {
  organizationId: string;
  instanceIds: string[];
}

export type MemberApi = ReturnType<typeof apiClient> & { userId: string; organizationId: string; token: string };

export interface AppStack {
  database: TestDatabase;
  redisUrl: string;
  /** Set when the stack runs on a Redis Cluster of its own (`{ redisCluster: true }`). */
  redisCluster: TestRedisCluster | null;
  env: NodeJS.ProcessEnv;
  gatewayUrl: string;
  dataDir: string;
  apps: Map<AppName, RunningApp>;
  tokenFor(userId: string, email?: string): Promise<string>;
  /** An organization, its AMC instances and members, made through the real admin API. */
  provisionOrganization(options: { name?: string; instanceIds: string[]; members: { userId: string; role: 'owner' | 'editor' | 'viewer' }[] }): Promise<ProvisionedOrganization>;
  /** A user (new unless given) as owner (or `role`) of a new organization owning `instanceIds`, with their API client. */
  memberApi(options: { instanceIds: string[]; userId?: string; role?: 'owner' | 'editor' | 'viewer'; email?: string }): Promise<MemberApi>;
  restart(app: AppName): Promise<RunningApp>;
  stop(): Promise<void>;
}

/**
 * The real apps as processes on a fresh database and queue prefix of this test file, talking to
 * the run's Redis, another one given by URL, or (`{ redisCluster: true }`) a 3-master Redis
 * Cluster started for this stack and stopped with it. What an e2e spec needs and nothing mocked.
 */
export async function startAppStack(names: AppName[], extraEnv: NodeJS.ProcessEnv = {}, redis?: string | { redisCluster: true }): Promise<AppStack> {
  const redisCluster = typeof redis === 'object' ? await startTestRedisCluster() : null;
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-e2e-'));
  const resolvedRedis = redisCluster?.url ?? (typeof redis === 'string' ? redis : requireTestEnv('redisUrl'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    DATABASE_URL: database.url,
    REDIS_URL: resolvedRedis,
    QUEUE_PREFIX: uniqueQueuePrefix('e2e'),
    AMC_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(await findFreePort()),
    OUTBOX_RELAY_INTERVAL_MS: '200',
    // Insights refreshed after a replayed window show up within a test's wait.
    INSIGHT_REGENERATE_DELAY_MS: '200',
    STORAGE_DIR: path.join(dataDir, 'storage'),
    EXPORT_DIR: path.join(dataDir, 'exports'),
    RESULTS_DIR: path.join(dataDir, 'results'),
    DB_POOL_SIZE: '4',
    // /health expects a live process of each worker app this stack runs, and of no other.
    HEALTH_REQUIRED_WORKERS: names.filter((name) => name !== 'gateway').join(',') || 'none',
    ...extraEnv,
  };
  fs.mkdirSync(env.RESULTS_DIR!, { recursive: true });
  const apps = new Map<AppName, RunningApp>();
  const launch = async (name: AppName): Promise<RunningApp> => {
    const app = startApp(name, { env, onLine: process.env.E2E_ECHO ? (n, line) => process.stdout.write(`[${n}] ${line}\n`) : undefined });
    apps.set(name, app);
    await waitForAppReady(app, READY_PATTERNS[name], 60_000);
    return app;
  };
  try {
    await Promise.all(names.map(launch));
  } catch (error) {
    await Promise.all([...apps.values()].map((app) => app.stop()));
    await database.drop();
    await redisCluster?.stop();
    throw error;
  }
  return {
    database, redisUrl: resolvedRedis, redisCluster, env, dataDir, apps,
    gatewayUrl: `http://127.0.0.1:${env.GATEWAY_PORT}`,
    tokenFor: (userId, email) => mintUserToken({ userId, email, secret: TEST_JWT_SECRET }),
    provisionOrganization: (options) => provisionOrganization(`http://127.0.0.1:${env.GATEWAY_PORT}`, String(env.ADMIN_TOKEN), options),
    async memberApi(options) {
      const userId = options.userId ?? randomUUID();
      const gatewayUrl = `http://127.0.0.1:${env.GATEWAY_PORT}`;
      const { organizationId } = await provisionOrganization(gatewayUrl, String(env.ADMIN_TOKEN), {
        instanceIds: options.instanceIds, members: [{ userId, role: options.role ?? 'owner' }],
      });
      const token = await mintUserToken({ userId, email: options.email, secret: TEST_JWT_SECRET });
      return { ...apiClient(gatewayUrl, token), userId, organizationId, token };
    },
    async restart(name) {
      await apps.get(name)?.stop();
      return launch(name);
    },
    async stop() {
      await Promise.all([...apps.values()].map((app) => app.stop()));
      await database.drop();
      await redisCluster?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves with the first event on the Redis transport channel `pattern` that matches, so tests
 * wait on what the system announces instead of sleeping.
 */
export async function waitForBusEvent<T>(redisUrl: string, pattern: string, matches: (data: T) => boolean, timeoutMs = 30_000): Promise<{ subscribed: Promise<void>; event: Promise<T> }> {
  const subscriber = createRedisClient(redisUrl, { maxRetriesPerRequest: null });
  const subscribed = subscriber.subscribe(pattern).then(() => undefined);
  const event = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscriber.disconnect();
      reject(new Error(`no ${pattern} event matched within ${timeoutMs} ms`));
    }, timeoutMs);
    subscriber.on('message', (_channel, message: string) => {
      const parsed = JSON.parse(message) as { data?: T } & T;
      const data = (parsed.data ?? parsed) as T;
      if (matches(data)) {
        clearTimeout(timer);
        subscriber.disconnect();
        resolve(data);
      }
    });
  });
  return { subscribed, event };
}
