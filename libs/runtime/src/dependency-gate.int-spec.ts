import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { ensureDatabase, findFreePort, startPostgres, type RunningPostgres } from '@amc-reports/launcher';
import { producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';
import { requireTestEnv, uniqueQueuePrefix } from '@amc-reports/testing';
import { DependencyGate } from './dependency-gate';
import { dependencyOutage } from './dependency-outage';

const redisUrl = requireTestEnv('redisUrl');
const prefix = uniqueQueuePrefix('gate');
const QUEUE = 'gate-test';
let dataDir: string;
let port: number;
let postgres: RunningPostgres;
let databaseUrl: string;
let prisma: PrismaClient;

beforeAll(async () => {
  // A Postgres of this file's own: it is stopped and started again below.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-gate-'));
  fs.chmodSync(dataDir, 0o755);
  port = await findFreePort();
  postgres = await startPostgres({ dataDir: path.join(dataDir, 'pg'), port, durable: false, log: () => undefined });
  await ensureDatabase(postgres.adminUrl, 'gate');
  databaseUrl = postgres.urlFor('gate');
  prisma = createPrismaClient({ databaseUrl, poolSize: 2 });
}, 60_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await postgres?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('names a stopped Postgres as the outage in what Prisma throws, and a running one heals without a restart', async () => {
  await postgres.stop();
  const errors = await Promise.all([
    prisma.$queryRaw`SELECT 1`.catch((error: unknown) => error),
    prisma.user.findMany().catch((error: unknown) => error),
    prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1`).catch((error: unknown) => error),
  ]);
  expect(errors.map((error) => dependencyOutage(error))).toEqual(['postgres', 'postgres', 'postgres']);
  postgres = await startPostgres({ dataDir: path.join(dataDir, 'pg'), port, durable: false, log: () => undefined });
  await expect(prisma.$queryRaw`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
}, 60_000);

it('holds jobs while Postgres is down (no attempt spent, no job failed, workers paused) and runs each once it is back', async () => {
  const queue = new Queue(QUEUE, { connection: producerConnectionOptions(redisUrl), prefix });
  const events = new QueueEvents(QUEUE, { connection: workerConnectionOptions(redisUrl), prefix });
  const gate = new DependencyGate({ databaseUrl, redisUrl, logger: pino({ level: 'silent' }), probeIntervalMs: 200, releaseDelayMs: 50 });
  const runs: string[] = [];
  const failures: string[] = [];
  const worker = new Worker(QUEUE, (job: Job, token?: string) => gate.run(job, token, async () => {
    runs.push(job.id!);
    await prisma.$queryRaw`SELECT 1`;
    return job.id;
  }), { connection: workerConnectionOptions(redisUrl), prefix, concurrency: 2 });
  worker.on('failed', (job) => failures.push(job?.id ?? '?'));
  gate.attach(worker);
  try {
    await events.waitUntilReady();
    await postgres.stop();
    const jobs = await queue.addBulk(Array.from({ length: 6 }, (_, n) => ({ name: 'work', data: {}, opts: { jobId: `j${n}`, attempts: 2, backoff: { type: 'fixed', delay: 10 } } })));
    await waitUntil(() => gate.status().paused, 10_000, 'the gate to pause');
    // Give an idle worker the time it would need to burn through the backlog, were it not paused.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(worker.isPaused()).toBe(true);
    expect(runs.length).toBeLessThanOrEqual(2);
    expect(failures).toEqual([]);
    expect(await queue.getJobCounts('failed', 'completed')).toEqual({ failed: 0, completed: 0 });

    const finished = Promise.all(jobs.map((job) => job.waitUntilFinished(events, 30_000)));
    postgres = await startPostgres({ dataDir: path.join(dataDir, 'pg'), port, durable: false, log: () => undefined });
    expect((await finished).sort()).toEqual(['j0', 'j1', 'j2', 'j3', 'j4', 'j5']);
    expect(gate.status().paused).toBe(false);
    expect(failures).toEqual([]);
    const attempts = await Promise.all(jobs.map(async (job) => (await queue.getJob(job.id!))!.attemptsMade));
    // The successful run is each job's one attempt: the held runs did not count.
    expect(attempts).toEqual([1, 1, 1, 1, 1, 1]);
  } finally {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}, 90_000);

it('counts an attempt for the job\'s own failure, dependencies being fine', async () => {
  const queue = new Queue(`${QUEUE}-own`, { connection: producerConnectionOptions(redisUrl), prefix });
  const events = new QueueEvents(`${QUEUE}-own`, { connection: workerConnectionOptions(redisUrl), prefix });
  const gate = new DependencyGate({ databaseUrl, redisUrl, logger: pino({ level: 'silent' }) });
  const worker = new Worker(`${QUEUE}-own`, (job: Job, token?: string) => gate.run(job, token, async () => {
    // What a result download from a host that is down looks like: a bare socket error.
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  }), { connection: workerConnectionOptions(redisUrl), prefix });
  gate.attach(worker);
  try {
    await events.waitUntilReady();
    const job = await queue.add('work', {}, { attempts: 1 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/ECONNREFUSED/);
    expect((await queue.getJob(job.id!))!.attemptsMade).toBe(1);
    expect(gate.status().paused).toBe(false);
  } finally {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}, 30_000);
