import { Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExportWorkerEnv } from '@amc-reports/config';
import type { ExportFinishedEvent } from '@amc-reports/contracts';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { LocalDirectoryStorage, type ProcessScratch } from '@amc-reports/storage';
import { createTestDatabase, requireTestEnv, type TestDatabase } from '@amc-reports/testing';
import { rawResultCsv } from '../test/fixtures/raw-result.fixture';
import { buildExportDocument } from '../test/fixtures/export-document.fixture';
import { seedExport, seedReport } from '../test/seed-export';
import { ExportRenderService } from './export-render.service';
import { openRenderScratch } from './render-temporaries';

let database: TestDatabase;
let prisma: PrismaClient;
let dir: string;
let storage: LocalDirectoryStorage;
let rawResults: LocalDirectoryStorage;
let tempDir: string;
let scratch: ProcessScratch;
const published: Array<{ pattern: string; event: ExportFinishedEvent }> = [];
let service: ExportRenderService;
const context = { jobId: 'exp-test', attempt: 1 };

beforeAll(async () => {
  Logger.overrideLogger(false);
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-render-'));
  storage = new LocalDirectoryStorage(path.join(dir, 'exports'));
  rawResults = new LocalDirectoryStorage(path.join(dir, 'storage'));
  tempDir = path.join(dir, 'render');
  fs.mkdirSync(tempDir);
  const config = ExportWorkerEnv.parse({ DATABASE_URL: database.url, REDIS_URL: requireTestEnv('redisUrl'), EXPORT_TEMP_DIR: tempDir, EXPORT_MAX_ATTEMPTS: '3' });
  const events = { publish: async (pattern: string, event: object) => void published.push({ pattern, event: event as ExportFinishedEvent }) };
  scratch = await openRenderScratch(config);
  service = new ExportRenderService(prisma, storage, rawResults, events, config, scratch);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  published.length = 0;
});

const exportRow = (id: string) => prisma.reportExport.findUniqueOrThrow({ where: { id } });
const sha256Of = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

it('renders a PDF, stores it under <export id>.pdf and completes the row with size, sha256, progress and expiry', async () => {
  const report = await seedReport(prisma, { exportSettings: { retentionDays: 3 } });
  const id = await seedExport(prisma, report, { format: 'pdf' });

  await expect(service.render({ exportId: id }, context)).resolves.toMatchObject({ exportId: id, status: 'completed', storageKey: `${id}.pdf` });

  const row = await exportRow(id);
  const file = path.join(dir, 'exports', `${id}.pdf`);
  expect(row).toMatchObject({ status: 'completed', progress: 100, attempts: 1, storageKey: `${id}.pdf`, error: null, sha256: sha256Of(file) });
  expect(Number(row.fileSizeBytes)).toBe(fs.statSync(file).size);
  expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  expect(row.expiresAt!.getTime() - row.completedAt!.getTime()).toBe(3 * 86_400_000);
  expect(published).toEqual([{ pattern: 'export.completed', event: expect.objectContaining({ exportId: id, reportId: report.reportId, userId: report.userId, format: 'pdf', status: 'completed', error: null }) }]);
  expect(fs.readdirSync(scratch.directory)).toEqual([]);
});

it('lets only the latest of two renders racing on one export complete it, leaving exactly its file (a stalled job picked up twice)', async () => {
  const report = await seedReport(prisma);
  const id = await seedExport(prisma, report, { format: 'pdf' });
  // Two deliveries of one job at once: the second claims while the first still renders.
  const outcomes = await Promise.all([service.render({ exportId: id }, context), service.render({ exportId: id }, context)]);

  expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['completed', 'superseded']);
  const row = await exportRow(id);
  expect(row).toMatchObject({ status: 'completed', attempts: 2, renderClaim: 2, storageKey: `${id}.r2.pdf` });
  const files = fs.readdirSync(path.join(dir, 'exports')).filter((name) => name.startsWith(id));
  expect(files).toEqual([`${id}.r2.pdf`]);
  expect(row.sha256).toBe(sha256Of(path.join(dir, 'exports', files[0])));
  expect(published.filter((event) => event.pattern === 'export.completed')).toHaveLength(1);
});

it('does nothing for a rerun of a job whose export is already completed', async () => {
  const report = await seedReport(prisma);
  const id = await seedExport(prisma, report, { format: 'csv', scope: 'view', viewKey: 'performance.campaigns' });
  await service.render({ exportId: id }, context);
  const before = await exportRow(id);
  published.length = 0;

  await expect(service.render({ exportId: id }, { ...context, attempt: 2 })).resolves.toEqual({ exportId: id, status: 'completed' });
  expect(await exportRow(id)).toEqual(before);
  expect(published).toEqual([]);
});

it('caps retention at 30 days and falls back to 7 for unreadable export settings', async () => {
  for (const [settings, days] of [[{ retentionDays: 90 }, 7], [{}, 7], [{ retentionDays: 30 }, 30]] as const) {
    const report = await seedReport(prisma, { exportSettings: settings });
    const id = await seedExport(prisma, report, { format: 'excel' });
    await service.render({ exportId: id }, context);
    const row = await exportRow(id);
    expect((row.expiresAt!.getTime() - row.completedAt!.getTime()) / 86_400_000).toBe(days);
  }
});

it('streams a raw export of the archived result and checks its row count against the execution', async () => {
  const report = await seedReport(prisma, { raw: { key: 'raw/int-spec.csv', rowCount: 20_000 } });
  await rawResults.put('raw/int-spec.csv', rawResultCsv(20_000));
  const id = await seedExport(prisma, report, { format: 'csv', scope: 'raw', options: { bom: true } });

  await expect(service.render({ exportId: id }, context)).resolves.toMatchObject({ status: 'completed' });
  const text = fs.readFileSync(path.join(dir, 'exports', `${id}.csv`), 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text.split('\r\n').filter(Boolean).length).toBe(20_001);
  expect((await exportRow(id)).progress).toBe(100);
});

it('fails a render whose chart came out blank with the reason, stores nothing and does not retry', async () => {
  const document = buildExportDocument();
  const bar = document.views.find((view) => view.key === 'attribution.sales_by_campaign')!;
  bar.chart = { ...bar.chart, series: [{ field: 'revenue', label: 'Revenue', format: 'currency' }] };
  const report = await seedReport(prisma, { document });
  const id = await seedExport(prisma, report, { format: 'png' });

  const error = await service.render({ exportId: id }, context).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(UnrecoverableError);
  const row = await exportRow(id);
  expect(row.status).toBe('failed');
  expect(row.error).toMatch(/^the png file failed its check: chart "Sales by campaign" \(attribution\.sales_by_campaign\) is blank/);
  expect(fs.existsSync(path.join(dir, 'exports', `${id}.png`))).toBe(false);
  expect(published).toEqual([{ pattern: 'export.failed', event: expect.objectContaining({ exportId: id, status: 'failed', error: row.error }) }]);
  expect(fs.readdirSync(scratch.directory)).toEqual([]);
});

it('fails a request that can never render (a raw result no longer stored) without retrying', async () => {
  const report = await seedReport(prisma, { raw: { key: 'raw/missing.csv', rowCount: 10 } });
  const id = await seedExport(prisma, report, { format: 'excel', scope: 'raw' });
  await expect(service.render({ exportId: id }, context)).rejects.toBeInstanceOf(UnrecoverableError);
  expect(await exportRow(id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/has no archived result any more/) });
});

it('keeps a transiently failed export processing with the reason, retries it, and records the final failure', async () => {
  const report = await seedReport(prisma);
  const id = await seedExport(prisma, report, { format: 'csv' });
  const put = jest.spyOn(storage, 'put').mockRejectedValueOnce(new Error('EIO: disk hiccup'));

  const error = await service.render({ exportId: id }, context).catch((caught: unknown) => caught);
  expect(error).not.toBeInstanceOf(UnrecoverableError);
  expect(await exportRow(id)).toMatchObject({ status: 'processing', attempts: 1, error: 'attempt 1 failed: EIO: disk hiccup' });
  expect(fs.readdirSync(scratch.directory)).toEqual([]);
  expect(published).toEqual([]);

  await expect(service.render({ exportId: id }, { ...context, attempt: 2 })).resolves.toMatchObject({ status: 'completed' });
  expect(await exportRow(id)).toMatchObject({ status: 'completed', attempts: 2, error: null });
  put.mockRestore();

  const other = await seedExport(prisma, report, { format: 'csv', status: 'processing', attempts: 3 });
  await service.recordFailure({ exportId: other }, new Error('connect ECONNREFUSED'), 3);
  expect(await exportRow(other)).toMatchObject({ status: 'failed', error: 'failed after 3 attempt(s): connect ECONNREFUSED' });
});

it('leaves an export whose worker died under it twice (stalled) processing for the sweeper, not failed', async () => {
  const report = await seedReport(prisma);
  const id = await seedExport(prisma, report, { format: 'csv', status: 'processing', attempts: 2 });
  await service.recordFailure({ exportId: id }, new UnrecoverableError('job stalled more than allowable limit'), 0);
  expect(await exportRow(id)).toMatchObject({ status: 'processing', attempts: 2, error: 'interrupted (job stalled more than allowable limit): it will be rendered again' });
  expect(published).toEqual([]);
});

it('fails an export whose every allowed attempt has already started (a crash loop) instead of claiming it again', async () => {
  const report = await seedReport(prisma);
  const id = await seedExport(prisma, report, { format: 'pdf', status: 'processing', attempts: 3 });
  await expect(service.render({ exportId: id }, context)).rejects.toThrow(/gave up after 3 attempts/);
  expect(await exportRow(id)).toMatchObject({ status: 'failed', attempts: 3 });
});

it('refuses a job for an export that does not exist, permanently', async () => {
  await expect(service.render({ exportId: '00000000-0000-4000-8000-000000000000' }, context)).rejects.toBeInstanceOf(UnrecoverableError);
});
