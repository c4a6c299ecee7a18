/**
 * Export fairness (issue 10): how much one organization's burst of exports slows another
 * organization's single export. Baseline, measured in the same run: organization B's dashboard
 * PDF from request to completed with the export worker otherwise idle. Then the same request while
 * organization A keeps the queue full (four users, each at the in-flight cap). Target: B's export
 * takes at most 2× its idle time. Jobs carry their organization's exports in flight as priority.
 *
 *   node -r @swc-node/register bench/export-fairness.bench.ts
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintUserToken } from '@amc-reports/auth';
import { findFreePort, migrateDatabase, READY_PATTERNS, startApp, startInfrastructure, stopAllChildren, waitForAppReady } from '@amc-reports/launcher';
import { provisionOrganization } from '@amc-reports/testing/src/provision-organization';
import { apiClient, postSignedEvent } from '@amc-reports/testing/src/signed-event';
import { inlineResult, weekWindow } from '../apps/report-service/test/amc-results';

const SECRET = 'bench-webhook-secret-0123456789';
const JWT = 'bench-jwt-secret-0123456789abcdef0123456789';
const ADMIN = 'bench-admin-token-0123456789abcdef';
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BURST_USERS = 4;

type Api = ReturnType<typeof apiClient>;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function until<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 120_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function organizationWithReport(gatewayUrl: string, label: string, users: number): Promise<{ apis: Api[]; reportId: string }> {
  const userIds = Array.from({ length: users }, () => randomUUID());
  const instanceId = `bench-${label}`;
  await provisionOrganization(gatewayUrl, ADMIN, { name: label, instanceIds: [instanceId], members: userIds.map((userId) => ({ userId, role: 'editor' as const })) });
  const apis = await Promise.all(userIds.map(async (userId) => apiClient(gatewayUrl, await mintUserToken({ userId, secret: JWT }))));
  const workflow = await apis[0].post('/v1/workflows', { name: label, sqlQuery: 'SELECT 1', amcInstanceId: instanceId, reportEnabled: true });
  const reportId = workflow.body.reportConfigId as string;
  await postSignedEvent(gatewayUrl, SECRET, {
    eventId: randomUUID(), executionId: randomUUID(), instanceId, workflowId: workflow.body.id, status: 'SUCCEEDED',
    timeWindow: weekWindow(1), result: inlineResult('performance_daily.csv'),
  });
  await until(async () => ((await apis[0].get(`/v1/reports/${reportId}/dashboard`)).body.views?.length ? true : null), `${label}'s dashboard`);
  return { apis, reportId };
}

const waits: { queued: number; rendering: number }[] = [];

/** Request to completed, in ms; also notes the time spent queued and rendering. */
async function timedExport(api: Api, reportId: string): Promise<number> {
  const started = performance.now();
  const requested = await api.post(`/v1/reports/${reportId}/exports`, { format: 'pdf', scope: 'dashboard' });
  if (requested.status !== 202) throw new Error(`export answered ${requested.status}: ${JSON.stringify(requested.body)}`);
  const done = await until(async () => {
    const body = (await api.get(`/v1/exports/${requested.body.id}`)).body;
    if (body.status === 'failed') throw new Error('the export failed');
    return body.status === 'completed' ? body : null;
  }, 'the export', 120_000, 50);
  waits.push({ queued: Date.parse(done.startedAt) - Date.parse(done.requestedAt), rendering: Date.parse(done.completedAt) - Date.parse(done.startedAt) });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-bench-fair-'));
  fs.chmodSync(dataRoot, 0o755);
  const infra = await startInfrastructure({ dataRoot, durable: false, env: {} });
  try {
    await migrateDatabase(infra.databaseUrl);
    const port = await findFreePort();
    const env = {
      PATH: process.env.PATH, DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl, QUEUE_PREFIX: 'bench-fair', LOG_LEVEL: 'warn',
      AMC_WEBHOOK_SECRET: SECRET, JWT_SECRET: JWT, ADMIN_TOKEN: ADMIN, GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: String(port),
      STORAGE_DIR: path.join(dataRoot, 'storage'), EXPORT_DIR: path.join(dataRoot, 'exports'), RESULTS_DIR: path.join(dataRoot, 'results'),
      EXPORTS_PER_HOUR_PER_USER: '100000', EXPORTS_PER_HOUR_PER_ORGANIZATION: '100000',
    };
    const apps = (['gateway', 'report-service', 'export-worker'] as const).map((name) => startApp(name, { env }));
    await Promise.all(apps.map((app) => waitForAppReady(app, READY_PATTERNS[app.name])));
    const gatewayUrl = `http://127.0.0.1:${port}`;
    const a = await organizationWithReport(gatewayUrl, 'burst-org', BURST_USERS);
    const b = await organizationWithReport(gatewayUrl, 'quiet-org', 1);

    await timedExport(b.apis[0], b.reportId); // warm-up: fonts, modules
    const idle: number[] = [];
    for (let i = 0; i < ROUNDS; i++) idle.push(await timedExport(b.apis[0], b.reportId));

    // A keeps every one of its users at the in-flight cap for the whole measurement.
    let bursting = true;
    let burstExports = 0;
    const burst = Promise.all(a.apis.map(async (api) => {
      while (bursting) {
        const response = await api.post(`/v1/reports/${a.reportId}/exports`, { format: 'pdf', scope: 'dashboard' });
        if (response.status === 202) burstExports++;
        else await new Promise((r) => setTimeout(r, 50));
      }
    }));
    await new Promise((r) => setTimeout(r, 1_000));
    const contended: number[] = [];
    for (let i = 0; i < ROUNDS; i++) contended.push(await timedExport(b.apis[0], b.reportId));
    bursting = false;
    await burst;

    const ratio = median(contended) / median(idle);
    const phase = (from: number, to: number, key: 'queued' | 'rendering') => median(waits.slice(from, to).map((w) => w[key])).toFixed(0);
    console.log(`export fairness (dashboard PDF, ${ROUNDS} rounds, export worker concurrency 2):`);
    console.log(`  organization B alone             : median ${median(idle).toFixed(0)} ms`);
    console.log(`  B while A bursts (${BURST_USERS} users at cap): median ${median(contended).toFixed(0)} ms (${burstExports} exports of A accepted meanwhile)`);
    console.log(`  queued / rendering               : alone ${phase(1, ROUNDS + 1, 'queued')} / ${phase(1, ROUNDS + 1, 'rendering')} ms, `
      + `contended ${phase(ROUNDS + 1, 2 * ROUNDS + 1, 'queued')} / ${phase(ROUNDS + 1, 2 * ROUNDS + 1, 'rendering')} ms`);
    console.log(`  slowdown                         : ${ratio.toFixed(2)}× (target ≤ 2×)`);
    if (ratio > 2) process.exitCode = 1;
  } finally {
    await stopAllChildren();
    await infra.stop();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
