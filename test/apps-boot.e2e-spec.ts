import { findFreePort, startAllApps, startApp, type AppName, type RunningApp, WORKER_NODE_FLAGS } from '@amc-reports/launcher';
import { createTestDatabase, requireTestEnv, uniqueQueuePrefix, type TestDatabase } from '@amc-reports/testing';

let database: TestDatabase;
let baseEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  baseEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: requireTestEnv('redisUrl'),
    QUEUE_PREFIX: uniqueQueuePrefix('boot'),
    AMC_WEBHOOK_SECRET: 'test-webhook-secret-0123456789',
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(await findFreePort()),
  };
});
afterAll(async () => {
  await database.drop();
});

function exitOf(app: RunningApp, timeoutMs: number): Promise<{ code: number | null; signal: string | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${app.name} still running after ${timeoutMs} ms:\n${app.output()}`)), timeoutMs);
    app.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - started });
    });
  });
}

it('boots all four apps against real Postgres and Redis, answers /health, and stops cleanly on SIGTERM', async () => {
  const apps = await startAllApps({ env: baseEnv });
  try {
    const health = await fetch(`http://127.0.0.1:${baseEnv.GATEWAY_PORT}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', postgres: { status: 'ok' }, redis: { status: 'ok' }, migrations: { status: 'ok' } });
  } finally {
    const exits = await Promise.all(apps.map((app) => {
      const exit = exitOf(app, 15_000);
      app.child.kill('SIGTERM');
      return exit;
    }));
    for (const [index, exit] of exits.entries()) {
      expect([apps[index].name, exit.code === 0 || exit.signal === 'SIGTERM']).toEqual([apps[index].name, true]);
      expect(apps[index].output()).not.toMatch(/"level":50/);
    }
  }
}, 90_000);

const apps: AppName[] = ['gateway', 'report-service', 'insight-worker', 'export-worker'];
const badConfigs: [string, (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv, RegExp][] = [
  ['an unset DATABASE_URL', ({ DATABASE_URL: _, ...env }) => env, /DATABASE_URL is required but not set/],
  ['a malformed DATABASE_URL', (env) => ({ ...env, DATABASE_URL: 'postgres//nope' }), /DATABASE_URL must be a URL/],
  ['an unreachable Redis', (env) => ({ ...env, REDIS_URL: 'redis://127.0.0.1:1' }), /Redis at 127\.0\.0\.1:1 is unreachable/],
  ['an unreachable Postgres', (env) => ({ ...env, DATABASE_URL: 'postgresql://u:p@127.0.0.1:1/db' }), /PostgreSQL at 127\.0\.0\.1:1 is unreachable/],
];

describe.each(apps)('%s with bad configuration', (name) => {
  it.each(badConfigs)('stops within seconds on %s with one line naming it', async (_label, mutate, message) => {
    const app = startApp(name, { env: mutate(baseEnv) });
    const exit = await exitOf(app, 20_000);
    // Node took the workers' V8 flags (a flag it refused would exit 9 before the app said anything).
    expect(app.child.spawnargs.slice(1, 1 + (name === 'gateway' ? 0 : WORKER_NODE_FLAGS.length))).toEqual(name === 'gateway' ? [] : [...WORKER_NODE_FLAGS]);
    expect(exit.code).toBe(1);
    const lines = app.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${name}: .*${message.source}`));
  }, 30_000);
});

it.each([
  ['AMC_WEBHOOK_SECRET', 'AMC_WEBHOOK_SECRET is required but not set'],
  ['JWT_SECRET', 'JWT_SECRET set JWT_SECRET (HS256) or JWT_JWKS_URL'],
])('gateway stops naming %s when it is unset', async (variable, message) => {
  const { [variable]: _removed, ...env } = baseEnv;
  const app = startApp('gateway', { env });
  expect((await exitOf(app, 20_000)).code).toBe(1);
  expect(app.output().trim()).toBe(`gateway: invalid configuration: ${message}`);
}, 30_000);
