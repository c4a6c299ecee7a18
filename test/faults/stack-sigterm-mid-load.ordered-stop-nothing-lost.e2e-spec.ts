import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { findFreePort, type AppName } from '@amc-reports/launcher';
import { rawResultCsv } from '../../apps/export-worker/test/fixtures/raw-result.fixture';
import { alive, scratchDirectory, startNpmStart, stopNpmStart, until, type NpmStart } from './fault-stack';
import { createTargets, EventLoad, executionEvent, ExportLoad, send, type Target } from './pipeline-load';
import { attemptsSpent, partialFiles, reportScenario, settledExportOutcome, settledPipelineOutcome, withDatabase } from './pipeline-outcome';

/**
 * Fault: SIGTERM to `npm start` (embedded Postgres and Redis) in the middle of a load with a
 * backlog. Proves: an ordered stop — the gateway first, then the workers (finishing or releasing
 * their jobs), then Redis and Postgres — where every app exits within its grace period and nothing
 * is killed; and after the next `npm start` on the same data, every event accepted before (and
 * during) the stop is processed exactly once and every accepted export completed.
 */
/** Half of it for active jobs to finish (the long render does not), the rest to release and close on a busy machine. */
const GRACE_MS = 14_000;
const WORKERS: AppName[] = ['report-service', 'insight-worker', 'export-worker'];
let dataDir: string;
let ports: { gateway: number; postgres: number; redis: number };
let stack: NpmStart;
let token: string;
let targets: Target[];

const databaseUrl = (): string => `postgresql://postgres:postgres@127.0.0.1:${ports.postgres}/amc_reports?sslmode=disable`;
const start = () => startNpmStart({ dataDir, gatewayPort: ports.gateway, postgresPort: ports.postgres, redisPort: ports.redis, env: { SHUTDOWN_GRACE_MS: String(GRACE_MS) } });

beforeAll(async () => {
  dataDir = scratchDirectory('sigterm');
  ports = { gateway: await findFreePort(), postgres: await findFreePort(), redis: await findFreePort() };
  stack = await start();
  ({ token, targets } = await createTargets(stack.gatewayUrl, 3, 'sigterm'));
}, 240_000);

afterAll(async () => {
  if (stack) await stopNpmStart(stack);
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

/** The index of the first output line matching, or -1. */
function lineIndex(lines: string[], pattern: RegExp): number {
  return lines.findIndex((line) => pattern.test(line));
}

it('stops in order within the grace period on SIGTERM mid-load, and the next start loses nothing', async () => {
  const events = new EventLoad(stack.gatewayUrl, targets);
  const exports = new ExportLoad(stack.gatewayUrl, token, targets);
  await events.burst(targets.length);
  await until('the first dashboards', async () => {
    const answer = await send(`${stack.gatewayUrl}/v1/reports/${targets[0].reportId}/dashboard`, 'GET', { authorization: `Bearer ${token}` });
    return answer.kind === 'http' && Array.isArray(answer.body.views) && answer.body.views.length > 0 ? true : null;
  }, 30_000);
  // A render that cannot finish within the grace period: the export worker has to give it back.
  const resultFile = path.join(stack.env.RESULTS_DIR!, 'large.csv');
  await pipeline(rawResultCsv(250_000), fs.createWriteStream(resultFile));
  const big = executionEvent(targets[0], 10_000, { result: { format: 'csv', url: `file://${resultFile}` } });
  await events.post(big);
  const bigExecution = await until('the large execution', () => withDatabase(databaseUrl(), async (db) =>
    (await db.query<{ id: string }>('SELECT id FROM workflow_executions WHERE amc_execution_id = $1 AND row_count IS NOT NULL', [big.executionId])).rows[0]?.id ?? null), 120_000);
  const raw = await send(`${stack.gatewayUrl}/v1/reports/${targets[0].reportId}/exports`, 'POST',
    { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify({ format: 'excel', scope: 'raw', executionId: bigExecution }));
  expect(raw).toMatchObject({ kind: 'http', status: 202 });
  const rawExportId = String((raw as { body: Record<string, unknown> }).body.id);

  events.start(500);
  exports.start(2_000);
  await events.burst(80);
  await until('the long render to be running', async () => {
    const status = await send(`${stack.gatewayUrl}/v1/exports/${rawExportId}`, 'GET', { authorization: `Bearer ${token}` });
    return status.kind === 'http' && status.body.status === 'processing' && Number(status.body.progress) >= 5 ? true : null;
  }, 60_000, 50);

  const pids = Object.fromEntries((['gateway', ...WORKERS] as AppName[]).map((app) => [app, stack.pidOf(app)]));
  const mark = stack.output().length;
  const signalledAt = Date.now();
  stack.child.kill('SIGTERM');
  const exit = await stack.exited;
  const stopMs = exit.at - signalledAt;
  const lines = stack.output().slice(mark).split('\n');

  // The order: gateway stopped before the workers were asked, the workers before Redis and Postgres.
  const gatewayStopped = lineIndex(lines, /\[launcher\] gateway stopped \(\d+ ms\)/);
  const workersAsked = lineIndex(lines, /\[launcher\] stopping report-service, insight-worker, export-worker/);
  const workersStopped = WORKERS.map((app) => lineIndex(lines, new RegExp(`\\[launcher\\] ${app} stopped \\((\\d+) ms\\)`)));
  const infrastructureAsked = lineIndex(lines, /\[launcher\] stopping (postgres, redis|redis, postgres)/);
  const durations = Object.fromEntries(['gateway', ...WORKERS].map((app) => [app, Number(new RegExp(`\\[launcher\\] ${app} stopped \\((\\d+) ms\\)`).exec(lines.join('\n'))?.[1] ?? -1)]));
  const released = (lines.join('\n').match(/released to the queue/g) ?? []).length;
  const stopLog = lines.filter((line) => /^\[launcher\]|^\[export-worker\] (WARN|ERROR)|stopping$|stopped$/.test(line)).map((line) => line.slice(0, 160));
  reportScenario('stack-sigterm.stop', { stopMs, exit: { code: exit.code, signal: exit.signal }, durations, releasedJobs: released, stopLog });

  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(lines.join('\n')).toMatch(/• everything stopped in \d+ ms/);
  // The render still running at half the grace period was released to the queue, not killed.
  expect(released).toBeGreaterThanOrEqual(1);
  expect(lineIndex(lines, /\[launcher\] stopping gateway/)).toBeGreaterThanOrEqual(0);
  expect(gatewayStopped).toBeGreaterThan(lineIndex(lines, /\[launcher\] stopping gateway/));
  expect(workersAsked).toBeGreaterThan(gatewayStopped);
  for (const index of workersStopped) expect(index).toBeGreaterThan(workersAsked);
  expect(infrastructureAsked).toBeGreaterThan(Math.max(...workersStopped));
  expect(lines.join('\n')).not.toMatch(/did not stop within|killed/);
  for (const [app, ms] of Object.entries(durations)) expect([app, ms >= 0 && ms < GRACE_MS]).toEqual([app, true]);
  expect(stopMs).toBeLessThan(2 * GRACE_MS);
  for (const pid of Object.values(pids)) expect(alive(pid)).toBe(false);
  // Postgres shut down cleanly (its pid file is gone), nothing of the launcher runs any more.
  expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

  // The next start on the same data: what the pipeline and the users keep re-sending goes in, the rest was kept.
  stack = await start();
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await Promise.all([events.stop(90_000), exports.stop(90_000)]);
  const load = events.counts();
  const executionIds = events.acceptedExecutionIds();
  const outcome = await settledPipelineOutcome(databaseUrl(), executionIds, 180_000);
  const exportIds = [...exports.accepted, rawExportId];
  const exported = await settledExportOutcome(databaseUrl(), exportIds, path.join(dataDir, 'exports'), 180_000);
  const rawRow = await withDatabase(databaseUrl(), async (db) =>
    (await db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM report_exports WHERE id = $1', [rawExportId])).rows[0]);
  const attempts = await attemptsSpent(`redis://127.0.0.1:${ports.redis}`);
  reportScenario('stack-sigterm.after-restart', {
    acceptedEvents: outcome.accepted, processed: outcome.processed, executions: outcome.executions, duplicateAnswers: load.duplicates,
    duplicatedInsights: outcome.duplicatedInsights, lost: outcome.lost, closedConnectionsWhileDown: load.connectionErrors,
    insightSets: `${outcome.insightSetsCompleted}/${outcome.insightSets}`, exports: exported, releasedRender: rawRow, attempts,
  });
  expect(outcome).toEqual({
    ...outcome, inboxRows: executionIds.length, executions: executionIds.length, processed: executionIds.length, failed: 0, lost: 0,
    insightSetsCompleted: outcome.insightSets, duplicatedInsights: 0, reportsWithoutViews: 0,
  });
  expect(outcome.accepted).toBeGreaterThan(80);
  expect(exported).toEqual({ accepted: exportIds.length, completed: exportIds.length, failed: 0, badFiles: 0, strayFiles: 0 });
  // Released at shutdown, so its interrupted render did not count against EXPORT_MAX_ATTEMPTS.
  expect(rawRow).toEqual({ status: 'completed', attempts: 1 });
  expect(partialFiles(dataDir)).toEqual([]);
  for (const queue of Object.values(attempts)) expect(queue.failed).toBe(0);
}, 480_000);
