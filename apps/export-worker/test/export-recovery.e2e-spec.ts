import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { findFreePort, startRedis, type RunningRedis } from '@amc-reports/launcher';
import { apiClient, startAppStack, type AppStack } from '@amc-reports/testing';
import { weekWindow } from '../../report-service/test/amc-results';
import { readXlsxSheetRows } from '../src/renderers/xlsx-sheet-rows';
import { rawResultCsv } from './fixtures/raw-result.fixture';
import { createReport, deliverExecution, download, ExportEventLog, waitUntil, type Api } from './export-e2e';

/** Large enough that a raw Excel export takes seconds, so the worker can be killed in the middle of it. */
const RAW_ROWS = 200_000;
const instanceId = 'amcrecovery1';
let redisDir: string;
let redisPort: number;
let redis: RunningRedis;
let renderDir: string;
let stack: AppStack;
let db: Client;
let events: ExportEventLog;
const owner = randomUUID();
let ownerToken: string;
let api: Api;
let reportId: string;

beforeAll(async () => {
  // A Redis of this file's own: the second test stops it.
  redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-export-recovery-redis-'));
  redisPort = await findFreePort();
  redis = await startRedis({ dir: redisDir, port: redisPort, log: () => undefined });
  renderDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-export-render-'));
  stack = await startAppStack(['gateway', 'report-service', 'export-worker'], {
    // A dead worker's render is taken over within seconds, not the production 30 s.
    EXPORT_LOCK_DURATION_MS: '3000',
    EXPORT_STALLED_INTERVAL_MS: '1000',
    EXPORT_TEMP_DIR: renderDir,
  }, redis.url);
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  events = await ExportEventLog.open(stack.redisUrl);
  const ownerApi = await stack.memberApi({ userId: owner, instanceIds: [instanceId] });
  ownerToken = ownerApi.token;
  api = ownerApi;

  const created = await createReport(api, { dashboardType: 'performance', amcWorkflowId: 'wf_recovery', name: 'Recovery report', instanceId });
  reportId = created.reportId;
  const resultFile = path.join(stack.env.RESULTS_DIR!, 'large-result.csv');
  await pipeline(rawResultCsv(RAW_ROWS), fs.createWriteStream(resultFile));
  await deliverExecution(stack, reportId, {
    workflowId: created.workflowId, instanceId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: { format: 'csv', url: `file://${resultFile}` },
  });
}, 240_000);

afterAll(async () => {
  events?.close();
  await db?.end();
  await stack?.stop();
  await redis?.stop();
  fs.rmSync(redisDir, { recursive: true, force: true });
  fs.rmSync(renderDir, { recursive: true, force: true });
});

/** Render files of an export under any export-worker's scratch (`amc-export-worker/<owner>/<export>-…/export.<ext>`). */
function renderFilesOf(exportId: string): string[] {
  const root = path.join(renderDir, 'amc-export-worker');
  const owners = fs.existsSync(root) ? fs.readdirSync(root) : [];
  return owners.flatMap((owner) => fs.readdirSync(path.join(root, owner))
    .filter((job) => job.startsWith(`${exportId}-`))
    .flatMap((job) => fs.readdirSync(path.join(root, owner, job)).map((file) => path.join(root, owner, job, file))));
}

/** Data rows of every sheet, streamed (hundreds of thousands of rows) by the same read-back the worker verifies with. */
async function countWorkbookRows(file: Buffer): Promise<{ sheets: number; rows: number }> {
  const sheets = await readXlsxSheetRows(file);
  return { sheets: sheets.length, rows: sheets.reduce((sum, sheet) => sum + sheet.rowsAfterFirst, 0) };
}

it('finishes an export after its worker is killed mid-render, never showing a half file under the final key', async () => {
  const requested = await api.post(`/v1/reports/${reportId}/exports`, { format: 'excel', scope: 'raw' });
  expect(requested.status).toBe(202);
  const id = requested.body.id as string;
  // Each render claim stores under a key of its own: the first `<id>.xlsx`, the second `<id>.r2.xlsx`.
  const firstKey = path.join(stack.env.EXPORT_DIR!, `${id}.xlsx`);
  const finalFile = path.join(stack.env.EXPORT_DIR!, `${id}.r2.xlsx`);

  // Rows are being written: the progress of a raw export moves past its first step.
  await waitUntil(async () => {
    const status = await api.get(`/v1/exports/${id}`);
    return status.body.status === 'processing' && status.body.progress >= 20;
  }, 60_000, 'the raw export to be half-way');
  const worker = stack.apps.get('export-worker')!;
  const exited = new Promise((resolve) => worker.child.once('exit', resolve));
  worker.child.kill('SIGKILL');
  await exited;

  // The half render sits in the killed process's own scratch directory, in a directory of its own.
  const halfFiles = renderFilesOf(id);
  expect(halfFiles).toHaveLength(1);
  expect(fs.statSync(halfFiles[0]).size).toBeGreaterThan(0);
  expect([fs.existsSync(firstKey), fs.existsSync(finalFile)]).toEqual([false, false]);
  expect(fs.readdirSync(path.join(stack.env.EXPORT_DIR!, '.tmp'))).toEqual([]);
  expect((await api.get(`/v1/exports/${id}`)).body).toMatchObject({ status: 'processing', attempts: 1 });
  expect((await download(stack.gatewayUrl, ownerToken, id)).status).toBe(409);

  await stack.restart('export-worker');
  await events.finished(id, 120_000);

  const status = await api.get(`/v1/exports/${id}`);
  expect(status.body).toMatchObject({ status: 'completed', attempts: 2, progress: 100, error: null });
  const file = await download(stack.gatewayUrl, ownerToken, id);
  expect(file.status).toBe(200);
  expect(file.body.length).toBe(fs.statSync(finalFile).size);
  expect(fs.existsSync(firstKey)).toBe(false);
  expect(await countWorkbookRows(file.body)).toEqual({ sheets: 1, rows: RAW_ROWS });
  // The restarted worker swept the killed one's scratch at start-up: no partial file anywhere.
  expect(renderFilesOf(id)).toEqual([]);
  expect(fs.existsSync(halfFiles[0])).toBe(false);
  expect(fs.readdirSync(path.join(stack.env.EXPORT_DIR!, '.tmp'))).toEqual([]);
}, 240_000);

it('answers 503 and keeps no row when the queue is down, and takes exports again once it is back', async () => {
  const before = (await db.query('SELECT count(*)::int AS n FROM report_exports')).rows[0].n;
  await redis.stop();
  try {
    const refused = await api.post(`/v1/reports/${reportId}/exports`, { format: 'csv', scope: 'raw' });
    expect(refused).toMatchObject({ status: 503, body: { error: 'queue_unavailable' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await db.query('SELECT count(*)::int AS n FROM report_exports')).rows[0].n).toBe(before);
  } finally {
    redis = await startRedis({ dir: redisDir, port: redisPort, log: () => undefined });
  }
  const accepted = await waitUntil(async () => {
    const response = await api.post(`/v1/reports/${reportId}/exports`, { format: 'csv', scope: 'raw' });
    return response.status === 202 ? response.body : null;
  }, 30_000, 'the gateway to queue exports again');
  await events.finished(accepted.id, 120_000);
  expect((await api.get(`/v1/exports/${accepted.id}`)).body).toMatchObject({ status: 'completed' });
}, 240_000);
