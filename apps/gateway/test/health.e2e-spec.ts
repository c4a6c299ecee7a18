import { execFile } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { INSIGHT_GENERATE_JOB, INSIGHT_GENERATE_QUEUE } from '@amc-reports/contracts';
import { producerConnectionOptions } from '@amc-reports/queue';
import { startAppStack, type AppStack } from '@amc-reports/testing';

let stack: AppStack;

beforeAll(async () => {
  // insight-worker is required but never started; report-service beats until it is killed.
  stack = await startAppStack(['gateway', 'report-service'], {
    HEALTH_REQUIRED_WORKERS: 'report-service,insight-worker', HEALTH_WORKER_STALE_MS: '3000', HEALTH_QUEUE_LAG_MS: '1000', HEARTBEAT_INTERVAL_MS: '500',
  });
}, 120_000);
afterAll(async () => stack?.stop());

async function health(): Promise<{ httpStatus: number; body: Record<string, any> }> {
  const response = await fetch(`${stack.gatewayUrl}/health`);
  return { httpStatus: response.status, body: (await response.json()) as Record<string, any> };
}

/** docker-compose.yml's health check for one app of this stack: its exit code. */
function containerHealthCheck(app: string): Promise<number> {
  const script = path.resolve(__dirname, '..', '..', '..', 'scripts', 'healthcheck.cjs');
  const env = { PATH: process.env.PATH, GATEWAY_PORT: stack.env.GATEWAY_PORT, REDIS_URL: stack.redisUrl, QUEUE_PREFIX: stack.env.QUEUE_PREFIX, HEALTH_WORKER_STALE_MS: '3000' };
  return new Promise((resolve) => execFile(process.execPath, [script, app], { env }, (error) => resolve(error ? Number(error.code ?? 1) : 0)));
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('reports each worker app\'s live processes from their heartbeats, and is not ok while one app has none', async () => {
  const { httpStatus, body } = await health();
  expect(httpStatus).toBe(503);
  expect(body).toMatchObject({
    status: 'degraded', postgres: { status: 'ok' }, redis: { status: 'ok' },
    workers: {
      'report-service': { status: 'ok', processes: [{ pid: stack.apps.get('report-service')!.child.pid, pausedFor: null }] },
      'insight-worker': { status: 'missing', processes: [] },
    },
  });
  expect(body.problems).toEqual([expect.stringMatching(/^insight-worker: no live process/)]);
  expect(await Promise.all(['gateway', 'report-service', 'insight-worker'].map(containerHealthCheck))).toEqual([0, 0, 1]);
});

it('notices a worker that died without a word (kill -9): its heartbeat goes stale', async () => {
  const worker = stack.apps.get('report-service')!;
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGKILL');
  await exited;
  const after = await until(health, (value) => value.body.workers['report-service'].status === 'missing', 10_000);
  expect(after.body.workers['report-service']).toEqual({ status: 'missing', processes: [] });
  expect(after.body.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^report-service: no live process/)]));
  expect(await containerHealthCheck('report-service')).toBe(1);
}, 30_000);

it('says which queue lags when its oldest waiting job is older than HEALTH_QUEUE_LAG_MS', async () => {
  const queue = new Queue(INSIGHT_GENERATE_QUEUE, { connection: producerConnectionOptions(stack.redisUrl), prefix: stack.env.QUEUE_PREFIX });
  try {
    await queue.add(INSIGHT_GENERATE_JOB, { configurationId: '00000000-0000-4000-8000-000000000001', executionId: '00000000-0000-4000-8000-000000000002' });
    const lagging = await until(health, (value) => value.body.queues['insight.generate'].status === 'lagging', 10_000);
    expect(lagging.body.queues['insight.generate']).toMatchObject({ status: 'lagging', waiting: 1, oldestWaitingAgeMs: expect.any(Number) });
    expect(lagging.body.queues['insight.generate'].oldestWaitingAgeMs).toBeGreaterThan(1000);
    expect(lagging.body.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^insight\.generate: oldest waiting job is \d+ s old \(limit 1 s\)/)]));
    expect(lagging.body.queues['report.update'].status).toBe('ok');
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}, 30_000);
