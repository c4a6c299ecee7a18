import { Logger } from '@nestjs/common';
import { Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExportWorkerEnv } from '@amc-reports/config';
import {
  EXPORT_RENDER_JOB, EXPORT_RENDER_QUEUE, EXPORTS_CLEANUP_EVERY_MS, EXPORTS_CLEANUP_JOB, EXPORTS_SWEEP_EVERY_MS, EXPORTS_SWEEP_JOB,
  exportRenderJobId, MAINTENANCE_QUEUE, PIPELINE_REDRIVE_JOB, type ExportFinishedEvent,
} from '@amc-reports/contracts';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';
import { LocalDirectoryStorage } from '@amc-reports/storage';
import { createTestDatabase, requireTestEnv, uniqueQueuePrefix, type TestDatabase } from '@amc-reports/testing';
import { seedExport, seedReport, type SeededReport } from '../../test/seed-export';
import { openRenderScratch, renderScratchRoot } from '../render-temporaries';
import { ExportsCleanupService } from './exports-cleanup.service';
import { ExportsSweepService, PENDING_GRACE_MS } from './exports-sweep.service';
import { registerMaintenanceSchedules } from './maintenance-schedules';

const redisUrl = requireTestEnv('redisUrl');
const prefix = uniqueQueuePrefix('maintenance');
let database: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let storage: LocalDirectoryStorage;
let rawResults: LocalDirectoryStorage;
let renderQueue: Queue;
const published: Array<{ pattern: string; event: ExportFinishedEvent }> = [];
let config: ExportWorkerEnv;
let report: SeededReport;

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  Logger.overrideLogger(false);
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maintenance-'));
  storage = new LocalDirectoryStorage(path.join(dir, 'exports'));
  rawResults = new LocalDirectoryStorage(path.join(dir, 'storage'));
  fs.mkdirSync(path.join(dir, 'render'));
  renderQueue = new Queue(EXPORT_RENDER_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix });
  config = ExportWorkerEnv.parse({
    DATABASE_URL: database.url, REDIS_URL: redisUrl, EXPORT_TEMP_DIR: path.join(dir, 'render'),
    EXPORT_PROCESSING_TIMEOUT_MS: String(10 * MINUTE), EXPORT_MAX_ATTEMPTS: '3', RAW_RESULT_RETENTION_DAYS: '30',
  });
  report = await seedReport(prisma);
});

afterAll(async () => {
  await renderQueue?.obliterate({ force: true });
  await renderQueue?.close();
  await prisma?.$disconnect();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const exportRow = (id: string) => prisma.reportExport.findUniqueOrThrow({ where: { id } });
const jobState = async (exportId: string) => (await renderQueue.getJob(exportRenderJobId(exportId)))?.getState() ?? 'missing';

describe('job schedulers', () => {
  it('registers exports.cleanup every 15 minutes and the sweeper once, however many processes start', async () => {
    const maintenance = [1, 2].map(() => new Queue(MAINTENANCE_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix }));
    try {
      await Promise.all(maintenance.map((queue) => registerMaintenanceSchedules(queue, 30_000)));
      await registerMaintenanceSchedules(maintenance[0], 30_000);
      const schedulers = await maintenance[1].getJobSchedulers();
      expect(schedulers.map((scheduler) => [scheduler.key, scheduler.every]).sort()).toEqual([
        [EXPORTS_CLEANUP_JOB, EXPORTS_CLEANUP_EVERY_MS],
        [EXPORTS_SWEEP_JOB, EXPORTS_SWEEP_EVERY_MS],
        [PIPELINE_REDRIVE_JOB, 30_000],
      ]);
      expect(EXPORTS_CLEANUP_EVERY_MS).toBe(15 * MINUTE);
      const queued = await maintenance[0].getJobs(['delayed', 'waiting']);
      expect(queued.filter((job) => job.name === EXPORTS_CLEANUP_JOB)).toHaveLength(1);
    } finally {
      await maintenance[0].obliterate({ force: true });
      await Promise.all(maintenance.map((queue) => queue.close()));
    }
  });
});

describe('exports.cleanup', () => {
  it('deletes expired files and marks their rows expired, leaving unexpired exports alone', async () => {
    const cleanup = new ExportsCleanupService(prisma, storage, rawResults, config);
    const expired = await seedExport(prisma, report, { format: 'pdf', status: 'completed' });
    const live = await seedExport(prisma, report, { format: 'csv', status: 'completed' });
    for (const [id, ext, expiresAt] of [[expired, 'pdf', ago(MINUTE)], [live, 'csv', new Date(Date.now() + 86_400_000)]] as const) {
      await storage.put(`${id}.${ext}`, Buffer.from('file'));
      await prisma.reportExport.update({ where: { id }, data: { storageKey: `${id}.${ext}`, expiresAt } });
    }

    const outcome = await cleanup.run();
    expect(outcome.expiredExports).toBe(1);
    expect(await exportRow(expired)).toMatchObject({ status: 'expired' });
    expect(await storage.stat(`${expired}.pdf`)).toBeNull();
    expect(await exportRow(live)).toMatchObject({ status: 'completed' });
    expect(await storage.stat(`${live}.csv`)).toEqual({ sizeBytes: 4 });
    await expect(cleanup.run()).resolves.toMatchObject({ expiredExports: 0 });
  });

  it('removes raw results past their retention unless a raw export still waits for one', async () => {
    const cleanup = new ExportsCleanupService(prisma, storage, rawResults, config);
    const old = await seedReport(prisma, { raw: { key: 'raw/old.csv', rowCount: 1 } });
    const waitedFor = await seedReport(prisma, { raw: { key: 'raw/waited.csv', rowCount: 1 } });
    const recent = await seedReport(prisma, { raw: { key: 'raw/recent.csv', rowCount: 1 } });
    for (const seeded of [old, waitedFor, recent]) {
      const key = (await prisma.workflowExecution.findUniqueOrThrow({ where: { id: seeded.executionId } })).rawResultKey!;
      await rawResults.put(key, Buffer.from('a\n1\n'));
      if (seeded !== recent) await prisma.workflowExecution.update({ where: { id: seeded.executionId }, data: { completedAt: ago(31 * 86_400_000) } });
    }
    await seedExport(prisma, waitedFor, { format: 'csv', scope: 'raw' });

    expect((await cleanup.run()).rawResultsRemoved).toBe(1);
    expect(await rawResults.stat('raw/old.csv')).toBeNull();
    expect(await prisma.workflowExecution.findUniqueOrThrow({ where: { id: old.executionId } })).toMatchObject({ rawResultKey: null });
    expect(await rawResults.stat('raw/waited.csv')).not.toBeNull();
    expect(await rawResults.stat('raw/recent.csv')).not.toBeNull();
  });

  it('removes render, storage and raw temporaries a dead process left, never a file still being written', async () => {
    const cleanup = new ExportsCleanupService(prisma, storage, rawResults, config);
    // Render directories of processes on another host sharing EXPORT_TEMP_DIR: judged by age.
    const root = renderScratchRoot(config);
    const own = await openRenderScratch(config);
    const ownRender = path.join(await own.jobDirectory('idle-for-hours'), 'export.pdf');
    const staleRender = path.join(root, 'otherhost~123~abcdef01', 'dead-x', 'export.xlsx');
    const stale = [
      staleRender,
      path.join(dir, 'exports', '.tmp', 'x.pdf.abc'),
      path.join(dir, 'storage', '.tmp', 'raw__y.csv.def'),
    ];
    const fresh = path.join(root, 'otherhost~124~abcdef02', 'live-y', 'export.csv');
    for (const file of [...stale, fresh, ownRender]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'half');
    }
    for (const file of [...stale, ownRender]) fs.utimesSync(file, ago(2 * 3_600_000), ago(2 * 3_600_000));
    for (const folder of [path.dirname(staleRender), path.dirname(path.dirname(staleRender)), path.dirname(ownRender), own.directory]) {
      fs.utimesSync(folder, ago(2 * 3_600_000), ago(2 * 3_600_000));
    }

    expect((await cleanup.run()).temporariesRemoved).toBe(3);
    expect(stale.filter((file) => fs.existsSync(file))).toEqual([]);
    expect(fs.existsSync(path.join(root, 'otherhost~123~abcdef01'))).toBe(false);
    // A live process's own directory is never taken by age, however idle.
    expect(fs.existsSync(ownRender)).toBe(true);
    expect(fs.existsSync(fresh)).toBe(true);
  });
});

describe('exports.sweep', () => {
  const sweeper = () => new ExportsSweepService(prisma, renderQueue, { publish: async (pattern: string, event: object) => void published.push({ pattern, event: event as ExportFinishedEvent }) }, config);

  it('returns an export stuck in processing with no job to pending and queues a fresh job', async () => {
    const id = await seedExport(prisma, report, { format: 'pdf', status: 'processing', attempts: 1, startedAt: ago(20 * MINUTE) });
    await expect(sweeper().run()).resolves.toMatchObject({ requeued: 1 });
    expect(await exportRow(id)).toMatchObject({ status: 'pending' });
    expect(await jobState(id)).toBe('waiting');
  });

  it('leaves an export whose job BullMQ still owns (waiting, delayed, active) to the queue', async () => {
    const id = await seedExport(prisma, report, { format: 'png', status: 'processing', attempts: 1, startedAt: ago(20 * MINUTE) });
    await renderQueue.add(EXPORT_RENDER_JOB, { exportId: id }, { jobId: exportRenderJobId(id), delay: 60 * MINUTE });
    await sweeper().run();
    expect(await exportRow(id)).toMatchObject({ status: 'processing' });
    expect(await jobState(id)).toBe('delayed');
  });

  it('replaces the failed job of a stuck export (a job failed as stalled keeps its id)', async () => {
    const ownPrefix = uniqueQueuePrefix('sweep-failed');
    const queue = new Queue(EXPORT_RENDER_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix: ownPrefix });
    const events = new QueueEvents(EXPORT_RENDER_QUEUE, { connection: workerConnectionOptions(redisUrl), prefix: ownPrefix });
    const worker = new Worker(EXPORT_RENDER_QUEUE, async () => {
      throw new UnrecoverableError('job stalled more than allowable limit');
    }, { connection: workerConnectionOptions(redisUrl), prefix: ownPrefix });
    try {
      const id = await seedExport(prisma, report, { format: 'png', status: 'processing', attempts: 2, startedAt: ago(20 * MINUTE) });
      await events.waitUntilReady();
      const job = await queue.add(EXPORT_RENDER_JOB, { exportId: id }, { jobId: exportRenderJobId(id) });
      await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/stalled/);
      await worker.close();

      const sweep = new ExportsSweepService(prisma, queue, { publish: async () => undefined }, config);
      await sweep.run();
      expect(await exportRow(id)).toMatchObject({ status: 'pending' });
      const replaced = await queue.getJob(exportRenderJobId(id));
      expect(await replaced?.getState()).toBe('waiting');
      expect(replaced?.attemptsMade).toBe(0);
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('fails a stuck export once every allowed attempt has started, with the reason and an event', async () => {
    const id = await seedExport(prisma, report, { format: 'excel', status: 'processing', attempts: 3, startedAt: ago(20 * MINUTE) });
    await prisma.reportExport.update({ where: { id }, data: { error: 'attempt 3 failed: worker killed' } });
    published.length = 0;
    await expect(sweeper().run()).resolves.toMatchObject({ failed: 1 });
    expect(await exportRow(id)).toMatchObject({
      status: 'failed', error: `gave up after 3 attempts: no render finished within ${10 * MINUTE} ms (last: attempt 3 failed: worker killed)`,
    });
    expect(published).toEqual([{ pattern: 'export.failed', event: expect.objectContaining({ exportId: id, status: 'failed', userId: report.userId }) }]);
  });

  it('leaves a render that is processing within the timeout alone', async () => {
    const id = await seedExport(prisma, report, { format: 'pdf', status: 'processing', attempts: 1, startedAt: ago(MINUTE) });
    await sweeper().run();
    expect(await exportRow(id)).toMatchObject({ status: 'processing' });
    expect(await jobState(id)).toBe('missing');
  });

  it('queues a job for a pending export whose job never reached the queue', async () => {
    const orphan = await seedExport(prisma, report, { format: 'csv', requestedAt: ago(PENDING_GRACE_MS + MINUTE) });
    const justRequested = await seedExport(prisma, report, { format: 'csv' });
    await expect(sweeper().run()).resolves.toMatchObject({ orphansRequeued: 1 });
    expect(await jobState(orphan)).toBe('waiting');
    expect(await jobState(justRequested)).toBe('missing');
  });
});
