import fs from 'node:fs';
import { findFreePort } from '@amc-reports/launcher';
import { alive, scratchDirectory, startExternalInfrastructure, startNpmStart, stopNpmStart, until, type ExternalInfrastructure, type NpmStart } from './fault-stack';
import { createTargets, EventLoad, ExportLoad, openEventStream, send, type Target } from './pipeline-load';
import { attemptsSpent, partialFiles, reportScenario, settledExportOutcome, settledPipelineOutcome } from './pipeline-outcome';

/**
 * Fault: Redis stopped for 60 s under a steady load of signed events and export requests.
 * Proves: the webhook keeps answering 202 (the outbox holds the events), export requests get 503
 * with Retry-After and no row; once Redis is back everything accepted is processed exactly once
 * without a re-send, and a browser's event stream, open all along, is told to resync and receives
 * dashboard updates again.
 */
const OUTAGE_MS = 60_000;
let dataDir: string;
let infra: ExternalInfrastructure;
let stack: NpmStart;
let token: string;
let targets: Target[];

beforeAll(async () => {
  dataDir = scratchDirectory('redis-outage');
  infra = await startExternalInfrastructure(dataDir);
  stack = await startNpmStart({ dataDir, gatewayPort: await findFreePort(), databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl });
  ({ token, targets } = await createTargets(stack.gatewayUrl, 3, 'rdout'));
}, 240_000);

afterAll(async () => {
  if (stack) await stopNpmStart(stack);
  await infra?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

it('keeps answering 202 through a 60 s Redis outage, processes everything after, and live updates resume', async () => {
  const events = new EventLoad(stack.gatewayUrl, targets);
  const exports = new ExportLoad(stack.gatewayUrl, token, targets);
  await events.burst(targets.length);
  await until('the first dashboards', async () => {
    const answer = await send(`${stack.gatewayUrl}/v1/reports/${targets[0].reportId}/dashboard`, 'GET', { authorization: `Bearer ${token}` });
    return answer.kind === 'http' && Array.isArray(answer.body.views) && answer.body.views.length > 0 ? true : null;
  }, 30_000);
  // A browser on the first report, open from before the outage to the end.
  const stream = await openEventStream(`${stack.gatewayUrl}/v1/reports/${targets[0].reportId}/events`, token);
  const gatewayPid = stack.pidOf('gateway');

  events.start(1_000);
  exports.start(3_000);
  await events.burst(60);
  await infra.stopRedis();
  const stoppedAt = Date.now();
  const answersBefore = events.records.reduce((sum, record) => sum + record.answers.length, 0);
  const exportRefusalsBefore = exports.refusals.length;

  const health = await until('/health to see Redis gone', async () => {
    const answer = await send(`${stack.gatewayUrl}/health`, 'GET', {});
    return answer.kind === 'http' && answer.status === 503 && (answer.body.redis as { status: string }).status === 'error' ? answer.body : null;
  }, 20_000, 300);
  expect(health.status).toBe('error');
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - stoppedAt)));

  // Every answer during the outage: events accepted, exports refused for now (and asked again).
  const duringOutage = events.records.flatMap((record) => record.answers).slice(answersBefore);
  const exportRefusals = exports.refusals.slice(exportRefusalsBefore);
  expect(duringOutage.length).toBeGreaterThan(40);
  expect(duringOutage.filter((answer) => !(answer.kind === 'http' && answer.status === 202))).toEqual([]);
  expect(exportRefusals.length).toBeGreaterThan(5);
  expect(exportRefusals.filter((answer) => !(answer.kind === 'http' && answer.status === 503 && answer.retryAfter))).toEqual([]);

  await infra.startRedisAgain();
  const returnedAt = Date.now();
  // Live again: the stream is told to reload (what was published meanwhile is gone), then gets updates.
  const resync = await until('a resync on the open stream', async () => stream.frames.find((frame) => frame.event === 'resync' && frame.at >= returnedAt) ?? null, 30_000, 200);
  const updated = await until('a dashboard.updated after Redis came back', async () =>
    stream.frames.find((frame) => frame.event === 'dashboard.updated' && frame.at > returnedAt) ?? null, 60_000, 200);
  await Promise.all([events.stop(60_000), exports.stop(60_000)]);

  const load = events.counts();
  const executionIds = events.acceptedExecutionIds();
  const outcome = await settledPipelineOutcome(infra.databaseUrl, executionIds, 180_000);
  const settledMs = Date.now() - returnedAt;
  const exported = await settledExportOutcome(infra.databaseUrl, exports.accepted, `${dataDir}/exports`, 120_000);
  const attempts = await attemptsSpent(infra.redisUrl);
  stream.close();
  reportScenario('redis-stopped-60s', {
    acceptedEvents: outcome.accepted, processed: outcome.processed, executions: outcome.executions, duplicateAnswers: load.duplicates,
    duplicatedInsights: outcome.duplicatedInsights, lost: outcome.lost, eventAnswersDuringOutage: duringOutage.length, exportRefusals503: exportRefusals.length,
    closedConnections: load.connectionErrors, insightSets: `${outcome.insightSetsCompleted}/${outcome.insightSets}`, failedEvents: outcome.failed, exports: exported,
    sse: { resyncAfterMs: resync.at - returnedAt, firstUpdateAfterMs: updated.at - returnedAt, frames: stream.frames.length },
    settledSecondsAfterReturn: Math.round(settledMs / 1000), attempts,
  });

  expect(load.connectionErrors).toBe(0);
  expect(load.otherStatuses).toEqual({});
  expect(load.unavailable503).toBe(0);
  expect(outcome).toEqual({
    ...outcome, inboxRows: executionIds.length, executions: executionIds.length, processed: executionIds.length, failed: 0, lost: 0,
    insightSetsCompleted: outcome.insightSets, duplicatedInsights: 0, reportsWithoutViews: 0,
  });
  expect(exported).toEqual({ accepted: exports.accepted.length, completed: exports.accepted.length, failed: 0, badFiles: 0, strayFiles: 0 });
  expect(partialFiles(dataDir)).toEqual([]);
  for (const queue of Object.values(attempts)) expect(queue.failed).toBe(0);
  expect(alive(gatewayPid)).toBe(true);
  expect(stack.output()).not.toMatch(/exited unexpectedly/);
}, 420_000);
