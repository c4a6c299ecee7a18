import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSignatureHeader } from '@amc-reports/contracts';
import { findFreePort } from '@amc-reports/launcher';
import { TEST_WEBHOOK_SECRET } from '@amc-reports/testing';
import { scratchDirectory, startExternalInfrastructure, startNpmStart, stopNpmStart, until, type ExternalInfrastructure, type NpmStart } from './fault-stack';
import { createTargets, EventLoad, executionEvent, send, type Target } from './pipeline-load';
import { pipelineOutcome, reportScenario, withDatabase } from './pipeline-outcome';

/**
 * Fault: AMC's result host answers 500 until report.update has spent all its attempts, so the
 * execution's processing fails for good; then the host recovers and the pipeline re-sends the
 * event. Proves: the re-send re-drives the failed execution (answer "redriven", the execution is
 * then built with its dashboards and insights), while a re-send of a completed execution stays a
 * duplicate and starts nothing.
 */
let dataDir: string;
let infra: ExternalInfrastructure;
let resultHost: Server;
let hostHealthy = false;
let hostRequests = 0;
let stack: NpmStart;
let token: string;
let target: Target;

const CSV = 'campaign,impressions,clicks,purchases,sales\r\nBrand,12000,340,14,612.5\r\nGeneric,26000,420,9,350.25\r\n';

beforeAll(async () => {
  dataDir = scratchDirectory('resend');
  infra = await startExternalInfrastructure(dataDir);
  // AMC's result download host, down until the test says otherwise.
  resultHost = createServer((request, response) => {
    hostRequests++;
    if (!hostHealthy) response.writeHead(500).end('internal error');
    else response.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
  });
  await new Promise<void>((resolve) => resultHost.listen(0, '127.0.0.1', resolve));
  stack = await startNpmStart({
    dataDir, gatewayPort: await findFreePort(), databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl,
    env: { RESULT_URL_ALLOWLIST: '127.0.0.1', RESULT_URL_ALLOW_HTTP: 'true' },
  });
  const created = await createTargets(stack.gatewayUrl, 1, 'resend');
  token = created.token;
  target = created.targets[0];
}, 240_000);

afterAll(async () => {
  if (stack) await stopNpmStart(stack);
  await new Promise((resolve) => resultHost?.close(resolve));
  await infra?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

const ledger = (executionId: unknown) => withDatabase(infra.databaseUrl, async (db) => (await db.query<{
  processed: boolean; failed: boolean; failure_reason: string | null; failure_transient: boolean | null; redrive_count: number;
}>(`SELECT processed_at IS NOT NULL AS processed, failed_at IS NOT NULL AS failed, failure_reason, failure_transient, redrive_count
    FROM amc_execution_events WHERE amc_execution_id = $1`, [executionId])).rows[0]);

it('re-drives a failed execution when its event is re-sent, and answers duplicate for a completed one', async () => {
  const events = new EventLoad(stack.gatewayUrl, [target]);
  const completed = executionEvent(target, 1);
  expect((await events.post(completed)).accepted).toBe(true);
  await until('the first execution processed', async () => ((await ledger(completed.executionId))?.processed ? true : null), 60_000);

  const { port } = resultHost.address() as AddressInfo;
  const failing = executionEvent(target, 2, { result: { format: 'csv', url: `http://127.0.0.1:${port}/results/week-2.csv` } });
  expect((await events.post(failing)).accepted).toBe(true);
  // Five attempts with backoff (2, 4, 8, 16 s), all answered 500: failed for a reason of its own, not re-driven by the sweeper.
  const failed = await until('report.update to fail for good', async () => {
    const row = await ledger(failing.executionId);
    return row?.failed ? row : null;
  }, 90_000, 1_000);
  expect(failed).toMatchObject({ processed: false, failure_transient: false, redrive_count: 0, failure_reason: expect.stringMatching(/500/) });
  const requestsWhenFailed = hostRequests;
  expect(requestsWhenFailed).toBe(5);

  // The host is fine again and the pipeline sends the event once more (the same event id).
  hostHealthy = true;
  const resent = await send(`${stack.gatewayUrl}/v1/events/amc/execution-completed`, 'POST', ...signed(failing));
  expect(resent).toMatchObject({ kind: 'http', status: 202, body: { status: 'redriven', eventId: failing.eventId } });
  await until('the re-driven execution processed', async () => ((await ledger(failing.executionId))?.processed ? true : null), 60_000);
  const after = await ledger(failing.executionId);
  const outcome = await until('its dashboards and insights', async () => {
    const counted = await pipelineOutcome(infra.databaseUrl, [String(completed.executionId), String(failing.executionId)]);
    return counted.insightSetsCompleted === counted.insightSets && counted.lost === 0 ? counted : null;
  }, 60_000);
  const board = await send(`${stack.gatewayUrl}/v1/reports/${target.reportId}/dashboard`, 'GET', { authorization: `Bearer ${token}` });

  // A completed execution re-sent: a duplicate, nothing run again.
  const requestsBefore = hostRequests;
  const again = await send(`${stack.gatewayUrl}/v1/events/amc/execution-completed`, 'POST', ...signed(completed));
  const againLedger = await ledger(completed.executionId);
  reportScenario('resent-event', {
    failedExecution: { attemptsAgainstHost: requestsWhenFailed, resentAnswer: (resent as { body: unknown }).body, ledgerAfter: after },
    completedExecution: { resentAnswer: (again as { body: unknown }).body, ledgerAfter: againLedger },
    acceptedEvents: 2, processed: outcome.processed, duplicated: outcome.duplicatedInsights, lost: outcome.lost,
    insightSets: `${outcome.insightSetsCompleted}/${outcome.insightSets}`,
  });
  expect(after).toMatchObject({ processed: true, failed: false, failure_reason: null, redrive_count: 1 });
  expect(outcome).toMatchObject({ inboxRows: 2, executions: 2, processed: 2, failed: 0, lost: 0, duplicatedInsights: 0, reportsWithoutViews: 0 });
  expect(board).toMatchObject({ kind: 'http', body: { latestRun: { status: 'SUCCEEDED', error: null } } });
  expect(again).toMatchObject({ kind: 'http', status: 202, body: { status: 'duplicate' } });
  expect(againLedger).toMatchObject({ processed: true, redrive_count: 0 });
  expect(hostRequests).toBe(requestsBefore);
}, 240_000);

/** Headers and body of the event as the pipeline signs it now. */
function signed(event: Record<string, unknown>): [Record<string, string>, string] {
  const raw = JSON.stringify(event);
  return [{ 'content-type': 'application/json', 'x-amc-signature': buildSignatureHeader(TEST_WEBHOOK_SECRET, raw, Math.floor(Date.now() / 1000)) }, raw];
}
