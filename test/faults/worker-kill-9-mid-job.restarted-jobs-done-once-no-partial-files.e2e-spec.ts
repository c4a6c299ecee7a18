import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Queue } from 'bullmq';
import { REPORT_UPDATE_QUEUE, reportUpdateJobId } from '@amc-reports/contracts';
import { findFreePort, type AppName } from '@amc-reports/launcher';
import { producerConnectionOptions } from '@amc-reports/queue';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '@amc-reports/testing/src/fake-openai-server';
import { readXlsxSheetRows } from '../../apps/export-worker/src/renderers/xlsx-sheet-rows';
import { rawResultCsv } from '../../apps/export-worker/test/fixtures/raw-result.fixture';
import { alive, scratchDirectory, startExternalInfrastructure, startNpmStart, stopNpmStart, until, type ExternalInfrastructure, type NpmStart } from './fault-stack';
import { createTargets, EventLoad, executionEvent, ExportLoad, send, type Target } from './pipeline-load';
import { attemptsSpent, partialFiles, reportScenario, settledExportOutcome, settledPipelineOutcome, withDatabase } from './pipeline-outcome';

/**
 * Fault: kill -9 of each worker (report-service, insight-worker, export-worker) in the middle of
 * a job, under a steady load of signed events and exports. Proves: npm start's supervisor restarts
 * each one (and says so); the job it was doing is taken over and completed exactly once (one
 * execution, one insight set, one export file); no partial file is left anywhere.
 */
const BIG_ROWS = 150_000;
let dataDir: string;
let infra: ExternalInfrastructure;
let llm: FakeOpenAiServer;
let slowLlm = false;
let stack: NpmStart;
let token: string;
let targets: Target[];

beforeAll(async () => {
  dataDir = scratchDirectory('kill9');
  infra = await startExternalInfrastructure(dataDir);
  // The insight worker words findings with an LLM: a slow one keeps an insight job busy long enough to be killed in it.
  llm = await startFakeOpenAiServer();
  llm.setFallback(() => (slowLlm ? { status: 500, delayMs: 4_000, body: { error: { message: 'slow' } } } : { status: 500, body: { error: { message: 'down' } } }));
  stack = await startNpmStart({
    dataDir, gatewayPort: await findFreePort(), databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl,
    env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: llm.baseURL, OPENAI_MAX_RETRIES: '0', OPENAI_TIMEOUT_MS: '20000' },
  });
  ({ token, targets } = await createTargets(stack.gatewayUrl, 2, 'kill9'));
}, 240_000);

afterAll(async () => {
  if (stack) await stopNpmStart(stack);
  await llm?.close();
  await infra?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

/**
 * kill -9 of the app's current process; resolves with the pid the supervisor restarted it under
 * and the partial files the dead process left (looked at before its successor starts).
 */
async function killAndAwaitRestart(app: AppName): Promise<{ killed: number; restarted: number; leftBehind: number }> {
  const killed = stack.pidOf(app);
  const mark = stack.output().length;
  process.kill(killed, 'SIGKILL');
  await until(`${app} to be gone`, async () => (alive(killed) ? null : true), 5_000, 10);
  const leftBehind = partialFiles(dataDir).length;
  const line = await stack.waitForLine(new RegExp(`\\[supervisor\\] ${app} restarted \\(pid \\d+\\)`), 60_000, mark);
  return { killed, restarted: Number(/pid (\d+)/.exec(line)![1]), leftBehind };
}

it('restarts every worker killed with -9 mid-job, and their jobs complete exactly once with no partial file anywhere', async () => {
  const events = new EventLoad(stack.gatewayUrl, targets);
  const exports = new ExportLoad(stack.gatewayUrl, token, targets);
  const reportQueue = new Queue(REPORT_UPDATE_QUEUE, { connection: producerConnectionOptions(infra.redisUrl), prefix: 'amc' });
  try {
    await events.burst(targets.length);
    await until('the first dashboards', async () => {
      const answer = await send(`${stack.gatewayUrl}/v1/reports/${targets[1].reportId}/dashboard`, 'GET', { authorization: `Bearer ${token}` });
      return answer.kind === 'http' && Array.isArray(answer.body.views) && answer.body.views.length > 0 ? true : null;
    }, 30_000);
    events.start(1_000);
    exports.start(4_000);

    // report-service, while it profiles a large result (a quarter of a million rows).
    const resultFile = path.join(stack.env.RESULTS_DIR!, 'large.csv');
    await pipeline(rawResultCsv(BIG_ROWS), fs.createWriteStream(resultFile));
    const big = executionEvent(targets[0], 10_000, { result: { format: 'csv', url: `file://${resultFile}` } });
    await events.post(big);
    await until('the large result\'s report.update to be running', async () => ((await reportQueue.getJobState(reportUpdateJobId(String(big.executionId)))) === 'active' ? true : null), 30_000, 50);
    const reportService = await killAndAwaitRestart('report-service');

    // insight-worker, while it waits for the LLM's wording.
    slowLlm = true;
    const asked = llm.requests.length;
    await until('an insight job waiting for the LLM', async () => (llm.requests.length > asked ? true : null), 60_000, 50);
    const insightWorker = await killAndAwaitRestart('insight-worker');
    slowLlm = false;

    // export-worker, half-way through a raw Excel export of the large result.
    const bigExecution = await until('the large execution', () => withDatabase(infra.databaseUrl, async (db) =>
      (await db.query<{ id: string }>('SELECT id FROM workflow_executions WHERE amc_execution_id = $1 AND row_count = $2', [big.executionId, BIG_ROWS])).rows[0]?.id ?? null), 120_000);
    const raw = await send(`${stack.gatewayUrl}/v1/reports/${targets[0].reportId}/exports`, 'POST',
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({ format: 'excel', scope: 'raw', executionId: bigExecution }));
    expect(raw).toMatchObject({ kind: 'http', status: 202 });
    const rawExportId = String((raw as { body: Record<string, unknown> }).body.id);
    await until('the raw export to be half-way', async () => {
      const status = await send(`${stack.gatewayUrl}/v1/exports/${rawExportId}`, 'GET', { authorization: `Bearer ${token}` });
      return status.kind === 'http' && status.body.status === 'processing' && Number(status.body.progress) >= 20 ? true : null;
    }, 90_000, 100);
    const exportWorker = await killAndAwaitRestart('export-worker');

    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await Promise.all([events.stop(60_000), exports.stop(60_000)]);
    const load = events.counts();
    const executionIds = events.acceptedExecutionIds();
    const outcome = await settledPipelineOutcome(infra.databaseUrl, executionIds, 180_000);
    const exportIds = [...exports.accepted, rawExportId];
    const exported = await settledExportOutcome(infra.databaseUrl, exportIds, `${dataDir}/exports`, 180_000);
    const rawRow = await withDatabase(infra.databaseUrl, async (db) =>
      (await db.query<{ status: string; attempts: number; storage_key: string }>('SELECT status, attempts, storage_key FROM report_exports WHERE id = $1', [rawExportId])).rows[0]);
    const rawSheets = rawRow.storage_key ? await readXlsxSheetRows(path.join(dataDir, 'exports', rawRow.storage_key)) : [];
    const attempts = await attemptsSpent(infra.redisUrl);
    const crashes = Object.fromEntries((['report-service', 'insight-worker', 'export-worker'] as const).map((app) => [app,
      (stack.output().match(new RegExp(`\\[supervisor\\] WARN ${app} \\(pid \\d+\\) exited unexpectedly \\(signal SIGKILL\\)`, 'g')) ?? []).length]));
    reportScenario('worker-kill-9', {
      acceptedEvents: outcome.accepted, processed: outcome.processed, executions: outcome.executions, duplicateAnswers: load.duplicates,
      duplicatedInsights: outcome.duplicatedInsights, lost: outcome.lost, insightSets: `${outcome.insightSetsCompleted}/${outcome.insightSets}`,
      exports: exported, rawExport: { ...rawRow, rows: rawSheets.reduce((sum, sheet) => sum + sheet.rowsAfterFirst, 0) },
      restarts: { reportService, insightWorker, exportWorker }, crashes, attempts, partialFiles: partialFiles(dataDir).length,
    });

    for (const restart of [reportService, insightWorker, exportWorker]) {
      expect(restart.restarted).not.toBe(restart.killed);
      expect(alive(restart.killed)).toBe(false);
      expect(alive(restart.restarted)).toBe(true);
    }
    expect(crashes).toEqual({ 'report-service': 1, 'insight-worker': 1, 'export-worker': 1 });
    // The killed render left its half file behind; the restarted worker's start-up sweep removed it.
    expect(exportWorker.leftBehind).toBeGreaterThanOrEqual(1);
    expect(load.connectionErrors).toBe(0);
    expect(outcome).toEqual({
      ...outcome, inboxRows: executionIds.length, executions: executionIds.length, processed: executionIds.length, failed: 0, lost: 0,
      insightSetsCompleted: outcome.insightSets, duplicatedInsights: 0, reportsWithoutViews: 0,
    });
    expect(executionIds).toContain(big.executionId);
    expect(exported).toEqual({ accepted: exportIds.length, completed: exportIds.length, failed: 0, badFiles: 0, strayFiles: 0 });
    // The killed render was taken over: a second attempt, one file with every row.
    expect([rawRow.status, rawRow.attempts]).toEqual(['completed', 2]);
    expect(rawSheets.reduce((sum, sheet) => sum + sheet.rowsAfterFirst, 0)).toBe(BIG_ROWS);
    expect(partialFiles(dataDir)).toEqual([]);
    for (const queue of Object.values(attempts)) expect([queue.retried, queue.failed]).toEqual([0, 0]);
  } finally {
    await reportQueue.close();
  }
}, 480_000);
