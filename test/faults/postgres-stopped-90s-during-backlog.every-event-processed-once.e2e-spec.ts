import fs from 'node:fs';
import { findFreePort } from '@amc-reports/launcher';
import { alive, scratchDirectory, startExternalInfrastructure, startNpmStart, stopNpmStart, until, type ExternalInfrastructure, type NpmStart } from './fault-stack';
import { createTargets, EventLoad, ExportLoad, send, type Target } from './pipeline-load';
import { attemptsSpent, partialFiles, reportScenario, settledExportOutcome, settledPipelineOutcome } from './pipeline-outcome';

/**
 * Fault: PostgreSQL stopped for 90 s while the workers have a backlog, under a steady load of
 * signed events and export requests. Proves: the gateway never dies and answers 503 with
 * Retry-After (never a closed connection) while the database is away; no retry is spent on the
 * outage; once it is back, every accepted event is exactly one execution with its dashboards and
 * insights, and every accepted export is completed, with nothing left half-written.
 */
const OUTAGE_MS = 90_000;
let dataDir: string;
let infra: ExternalInfrastructure;
let stack: NpmStart;
let token: string;
let targets: Target[];

beforeAll(async () => {
  dataDir = scratchDirectory('pg-outage');
  infra = await startExternalInfrastructure(dataDir);
  stack = await startNpmStart({ dataDir, gatewayPort: await findFreePort(), databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl });
  ({ token, targets } = await createTargets(stack.gatewayUrl, 3, 'pgout'));
}, 240_000);

afterAll(async () => {
  if (stack) await stopNpmStart(stack);
  await infra?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

it('loses nothing to a 90 s Postgres outage during a backlog: 503 + Retry-After meanwhile, every accepted event processed exactly once after', async () => {
  const gatewayPid = stack.pidOf('gateway');
  const events = new EventLoad(stack.gatewayUrl, targets);
  const exports = new ExportLoad(stack.gatewayUrl, token, targets);
  // A first execution per report, so exports have a dashboard to render.
  await events.burst(targets.length);
  await until('the first dashboards', async () => {
    const answer = await send(`${stack.gatewayUrl}/v1/reports/${targets[0].reportId}/dashboard`, 'GET', { authorization: `Bearer ${token}` });
    return answer.kind === 'http' && Array.isArray(answer.body.views) && answer.body.views.length > 0 ? true : null;
  }, 30_000);

  // A steady event a second and an export every 3 s (this machine processes a few events a second).
  events.start(1_000);
  exports.start(3_000);
  // The backlog: 120 events at once, then the database goes while the workers are on it.
  await events.burst(120);
  const outageStarted = Date.now();
  await infra.stopPostgres();

  // While it is away: the gateway is up, says so on /health, and refuses events with 503 + Retry-After.
  const health = await until('/health to see Postgres gone', async () => {
    const answer = await send(`${stack.gatewayUrl}/health`, 'GET', {});
    return answer.kind === 'http' && answer.status === 503 && (answer.body.postgres as { status: string }).status === 'error' ? answer.body : null;
  }, 20_000, 300);
  expect(health.status).toBe('error');
  const refusedDuringOutage = await until('an event refused during the outage', async () => {
    const refused = events.records.flatMap((record) => record.answers).find((answer) => answer.kind === 'http' && answer.status === 503);
    return refused ?? null;
  }, 20_000, 300);
  expect(refusedDuringOutage).toMatchObject({ kind: 'http', status: 503, retryAfter: expect.any(Number), body: { error: 'database_unavailable' } });
  // A user's page too: 503 with Retry-After, not a 500 or a dropped connection.
  const dashboardDuringOutage = await send(`${stack.gatewayUrl}/v1/reports/${targets[0].reportId}/dashboard`, 'GET', { authorization: `Bearer ${token}` });
  expect(dashboardDuringOutage).toMatchObject({ kind: 'http', status: 503, retryAfter: expect.any(Number), body: { error: 'database_unavailable' } });

  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - outageStarted)));
  expect(alive(gatewayPid)).toBe(true);
  expect(stack.pidOf('gateway')).toBe(gatewayPid);
  const countsAtReturn = events.counts();
  await infra.startPostgresAgain();
  const returnedAt = Date.now();

  // The pipeline's held events go in as their Retry-After comes round; no new ones after that.
  await Promise.all([events.stop(60_000), exports.stop(60_000)]);
  const load = events.counts();
  const executionIds = events.acceptedExecutionIds();
  const outcome = await settledPipelineOutcome(infra.databaseUrl, executionIds, 180_000);
  const settledMs = Date.now() - returnedAt;
  const exported = await settledExportOutcome(infra.databaseUrl, exports.accepted, `${dataDir}/exports`, 120_000);
  const attempts = await attemptsSpent(infra.redisUrl);
  reportScenario('postgres-stopped-90s', {
    acceptedEvents: outcome.accepted, processed: outcome.processed, executions: outcome.executions, duplicateAnswers: load.duplicates,
    duplicatedInsights: outcome.duplicatedInsights, lost: outcome.lost, refused503: load.unavailable503, refused503BeforeReturn: countsAtReturn.unavailable503,
    closedConnections: load.connectionErrors, insightSets: `${outcome.insightSetsCompleted}/${outcome.insightSets}`, failedEvents: outcome.failed,
    exports: exported, restarts: (stack.output().match(/exited unexpectedly/g) ?? []).length, settledSecondsAfterReturn: Math.round(settledMs / 1000), attempts,
  });

  expect(load.connectionErrors).toBe(0);
  expect(countsAtReturn.unavailable503).toBeGreaterThan(200);
  expect(load.unavailableWithoutRetryAfter).toBe(0);
  expect(load.otherStatuses).toEqual({});
  // Export requests met the outage too: every refusal a 503 with Retry-After, asked again after it.
  expect(exports.refusals.length).toBeGreaterThan(10);
  expect(exports.refusals.filter((answer) => !(answer.kind === 'http' && answer.status === 503 && answer.retryAfter))).toEqual([]);
  expect(outcome).toEqual({
    ...outcome, inboxRows: executionIds.length, executions: executionIds.length, processed: executionIds.length, failed: 0, lost: 0,
    insightSetsCompleted: outcome.insightSets, duplicatedInsights: 0, reportsWithoutViews: 0,
  });
  expect(outcome.accepted).toBeGreaterThan(180);
  expect(exported).toEqual({ accepted: exports.accepted.length, completed: exports.accepted.length, failed: 0, badFiles: 0, strayFiles: 0 });
  expect(partialFiles(dataDir)).toEqual([]);
  // The outage spent no retry: every job completed on its first attempt, none failed.
  for (const queue of Object.values(attempts)) expect([queue.retried, queue.failed]).toEqual([0, 0]);
  expect(attempts['report.update'].completed).toBeGreaterThanOrEqual(executionIds.length);
  // Nothing crashed and nothing restarted: the outage was held, not survived by restarts.
  expect(stack.output()).not.toMatch(/exited unexpectedly/);
  expect(alive(gatewayPid)).toBe(true);
}, 480_000);
