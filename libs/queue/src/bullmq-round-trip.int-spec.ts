import { Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { REPORT_UPDATE_JOB, REPORT_UPDATE_JOB_OPTIONS, REPORT_UPDATE_QUEUE, ReportUpdateJob, reportUpdateJobId } from '@amc-reports/contracts';
import { requireTestEnv, uniqueQueuePrefix } from '@amc-reports/testing';
import { checkRedisPolicy, producerConnectionOptions, workerConnectionOptions } from './redis-connection';

const redisUrl = requireTestEnv('redisUrl');
const prefix = uniqueQueuePrefix('roundtrip');
const queue = new Queue(REPORT_UPDATE_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix });
const events = new QueueEvents(REPORT_UPDATE_QUEUE, { connection: workerConnectionOptions(redisUrl), prefix });
let worker: Worker | undefined;

afterAll(async () => {
  await worker?.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
});

it('runs a job through the launched Redis with the contract schema on both sides, deduplicated by job id', async () => {
  const seen: ReportUpdateJob[] = [];
  worker = new Worker(REPORT_UPDATE_QUEUE, async (job) => {
    const payload = ReportUpdateJob.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(payload.error.message);
    seen.push(payload.data);
    return { ok: payload.data.eventRowId };
  }, { connection: workerConnectionOptions(redisUrl), prefix });
  await events.waitUntilReady();

  const data: ReportUpdateJob = { eventRowId: '6f1c2b9e-4a57-4c1e-9d0b-1b2c3d4e5f60' };
  const jobId = reportUpdateJobId('amc:exec/1');
  expect(jobId).toBe('exec-amc_exec_1');
  const job = await queue.add(REPORT_UPDATE_JOB, data, { ...REPORT_UPDATE_JOB_OPTIONS, jobId });
  const duplicate = await queue.add(REPORT_UPDATE_JOB, data, { ...REPORT_UPDATE_JOB_OPTIONS, jobId });
  expect(duplicate.id).toBe(job.id);
  await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({ ok: data.eventRowId });
  expect(seen).toEqual([data]);

  const bad = await queue.add(REPORT_UPDATE_JOB, { eventRowId: 'not-a-uuid' } as ReportUpdateJob, REPORT_UPDATE_JOB_OPTIONS);
  await expect(bad.waitUntilFinished(events, 10_000)).rejects.toThrow(/Invalid UUID|uuid/i);
  const failed = await queue.getJob(bad.id!);
  expect(failed?.attemptsMade).toBe(1);
});

it('the launched Redis runs with noeviction and AOF, so the apps have nothing to warn about', async () => {
  await expect(checkRedisPolicy(redisUrl)).resolves.toEqual([]);
});
