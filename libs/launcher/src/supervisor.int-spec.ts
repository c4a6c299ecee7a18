import { createTestDatabase, requireTestEnv, uniqueQueuePrefix, type TestDatabase } from '@amc-reports/testing';
import { Supervisor, type SupervisorEvent } from './supervisor';

let database: TestDatabase;
let supervisor: Supervisor | undefined;
const lines: string[] = [];
const events: SupervisorEvent[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await supervisor?.stop();
  await database?.drop();
});

function next(kind: SupervisorEvent['kind'], timeoutMs: number): Promise<SupervisorEvent> {
  const seen = events.length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${kind} event within ${timeoutMs} ms:\n${lines.join('\n')}`)), timeoutMs);
    const off = supervisor!.on((event) => {
      if (event.kind !== kind || events.indexOf(event) < seen) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

it('restarts an app killed with SIGKILL, says so, and gives up loudly on one that keeps crashing', async () => {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: database.url, REDIS_URL: requireTestEnv('redisUrl'),
    QUEUE_PREFIX: uniqueQueuePrefix('supervisor'),
  };
  supervisor = new Supervisor({ env, log: (line) => lines.push(line), initialBackoffMs: 100, maxBackoffMs: 400, maxCrashes: 2, crashWindowMs: 60_000 });
  supervisor.on((event) => events.push(event));
  await supervisor.start(['report-service']);
  const first = supervisor.app('report-service').child.pid!;

  const restarted = next('restarted', 60_000);
  process.kill(first, 'SIGKILL');
  const event = await restarted;
  expect(event).toMatchObject({ kind: 'restarted', app: 'report-service' });
  expect((event as { pid: number }).pid).not.toBe(first);
  expect(supervisor.app('report-service').child.pid).toBe((event as { pid: number }).pid);
  expect(lines).toEqual(expect.arrayContaining([
    expect.stringMatching(new RegExp(`^WARN report-service \\(pid ${first}\\) exited unexpectedly \\(signal SIGKILL\\): restarting in 100 ms`)),
    expect.stringMatching(/^report-service restarted \(pid \d+\)$/),
  ]));

  // From now on every start fails at once (Postgres unreachable): it must not restart forever.
  env.DATABASE_URL = 'postgresql://u:p@127.0.0.1:1/db';
  const gaveUp = next('gave-up', 60_000);
  process.kill(supervisor.app('report-service').child.pid!, 'SIGKILL');
  expect(await gaveUp).toMatchObject({ kind: 'gave-up', app: 'report-service', crashes: 3 });
  const loud = lines.find((line) => line.startsWith('ERROR report-service crashed 3 times'));
  expect(loud).toMatch(/giving up on it/);
  expect(loud).toMatch(/PostgreSQL at 127\.0\.0\.1:1 is unreachable/);
  expect(events.filter((e) => e.kind === 'crashed').map((e) => (e as { restartInMs: number }).restartInMs)).toEqual([100, 200]);
}, 120_000);
