import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { createTokenVerifier } from '@amc-reports/auth';
import { INSIGHT_GENERATE_JOB, INSIGHT_GENERATE_QUEUE, insightGenerateJobId } from '@amc-reports/contracts';
import { producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';
import { apiClient, startAppStack, TEST_ADMIN_TOKEN, TEST_JWT_SECRET, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack } from '@amc-reports/testing';
import { unzipSync } from 'fflate';

const run = promisify(execFile);
const cli = path.resolve(__dirname, '..', 'scripts', 'cli.ts');
let stack: AppStack;
let workDir: string;

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service', 'export-worker']);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-cli-'));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function amc(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const fullEnv = {
    PATH: process.env.PATH, AMC_GATEWAY_URL: stack.gatewayUrl, AMC_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, JWT_SECRET: TEST_JWT_SECRET, ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    DATABASE_URL: stack.database.url, REDIS_URL: stack.redisUrl, QUEUE_PREFIX: stack.env.QUEUE_PREFIX, ...env,
  };
  try {
    const { stdout, stderr } = await run(process.execPath, ['-r', '@swc-node/register', cli, ...args], { env: fullEnv, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

it('mints a token the gateway accepts, sends a signed event, exports and downloads, and reports status', async () => {
  const userId = randomUUID();
  const token = await amc(['token', '--user', userId, '--email', 'cli@example.com']);
  expect(token.code).toBe(0);
  await expect(createTokenVerifier({ secret: TEST_JWT_SECRET })(token.stdout.trim())).resolves.toEqual({ id: userId, email: 'cli@example.com' });

  const created = await amc(['org', 'create', '--name', 'CLI agency']);
  expect(created.code).toBe(0);
  const organizationId = JSON.parse(created.stdout).id as string;
  expect((await amc(['org', 'instance', '--org', organizationId, '--instance', 'inst-cli', '--name', 'CLI brand', '--marketplace', 'US'])).code).toBe(0);
  expect((await amc(['org', 'member', '--org', organizationId, '--user', userId, '--role', 'editor'])).code).toBe(0);
  const shown = JSON.parse((await amc(['org', 'show', '--org', organizationId])).stdout);
  expect(shown).toMatchObject({ members: [{ userId, role: 'editor' }], amcInstances: [{ instanceId: 'inst-cli', name: 'CLI brand', marketplace: 'US' }] });

  const api = apiClient(stack.gatewayUrl, token.stdout.trim());
  const workflow = await api.post('/v1/workflows', { name: 'cli', sqlQuery: 'SELECT 1', amcInstanceId: 'inst-cli', amcWorkflowId: 'cli_wf', reportEnabled: true });
  const reportId = workflow.body.reportConfigId as string;
  const eventFile = path.join(workDir, 'event.json');
  fs.writeFileSync(eventFile, JSON.stringify({
    eventId: randomUUID(), instanceId: 'inst-cli', amcWorkflowId: 'cli_wf', executionId: randomUUID(), status: 'SUCCEEDED',
    timeWindow: { start: '2026-10-01T00:00:00Z', end: '2026-10-07T23:59:59Z' },
    result: { format: 'rows', columns: ['campaign', 'impressions', 'clicks'], rows: [['A', 1000, 20], ['B', 3000, 45]] },
  }));
  const updated = await waitForBusEvent<{ reportId: string }>(stack.redisUrl, 'dashboard.updated', (e) => e.reportId === reportId);
  await updated.subscribed;
  const sent = await amc(['send-event', '--file', eventFile]);
  expect(sent.code).toBe(0);
  expect(JSON.parse(sent.stdout)).toMatchObject({ httpStatus: 202, status: 'accepted', eventId: expect.any(String) });
  await updated.event;
  expect(JSON.parse((await amc(['send-event', '--file', eventFile])).stdout)).toMatchObject({ httpStatus: 202, status: 'duplicate' });

  // The dashboard's CSV is a ZIP of one CSV per view (issue 14).
  const out = path.join(workDir, 'report.zip');
  const exported = await amc(['export', '--report', reportId, '--format', 'csv', '--out', out, '--token', token.stdout.trim()]);
  expect(exported.code).toBe(0);
  expect(exported.stderr).toMatch(/\[#+\] 100% completed/);
  const zipped = unzipSync(fs.readFileSync(out));
  expect(Object.keys(zipped)).toEqual(expect.arrayContaining(['README.txt', 'manifest.json']));
  expect(Object.entries(zipped).some(([name, bytes]) => name.endsWith('.csv') && /impressions/i.test(Buffer.from(bytes).toString('utf8')))).toBe(true);

  const status = await amc(['status']);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(/report\.update/);
  expect(status.stdout).toMatch(/cli/);
}, 120_000);

it.each([
  ['no command', [], 2],
  ['a name that is no command (an Object prototype key)', ['toString'], 2],
  ['a missing required flag', ['token'], 2],
  ['an unknown flag', ['status', '--bogus'], 2],
  ['an unreadable event file', ['send-event', '--file', '/nonexistent.json'], 2],
])('exits with a code scripts can rely on for %s', async (_label, args, code) => {
  expect((await amc(args)).code).toBe(code);
}, 60_000);

it('org commands exit 3 with the admin API\'s reason when it refuses, and 2 without an action', async () => {
  const created = JSON.parse((await amc(['org', 'create', '--name', 'Owner of inst-taken'])).stdout);
  expect((await amc(['org', 'instance', '--org', created.id, '--instance', 'inst-taken'])).code).toBe(0);
  const other = JSON.parse((await amc(['org', 'create', '--name', 'Squatter'])).stdout);
  const squat = await amc(['org', 'instance', '--org', other.id, '--instance', 'inst-taken']);
  expect(squat.code).toBe(3);
  expect(squat.stderr).toMatch(/409: AMC instance inst-taken belongs to another organization/);
  expect((await amc(['org'])).code).toBe(2);
  expect((await amc(['org', 'create'], { ADMIN_TOKEN: 'not-the-admin-token-at-all' })).code).toBe(2);
  const wrongToken = await amc(['org', 'list'], { ADMIN_TOKEN: 'not-the-admin-token-at-all' });
  expect(wrongToken.code).toBe(3);
}, 60_000);

it('exits 3 when the gateway rejects an event and 4 when it is unreachable', async () => {
  const bad = path.join(workDir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ eventId: 'x' }));
  expect((await amc(['send-event', '--file', bad])).code).toBe(3);
  expect((await amc(['send-event', '--file', bad], { AMC_GATEWAY_URL: 'http://127.0.0.1:1' })).code).toBe(4);
}, 60_000);

it('jobs list shows failed jobs with their reason, and jobs redrive runs the chosen one again', async () => {
  // insight.generate has no worker in this stack: the failed job stays put until redriven.
  const db = new Client({ connectionString: stack.database.url });
  await db.connect();
  const prefix = stack.env.QUEUE_PREFIX;
  const queue = new Queue(INSIGHT_GENERATE_QUEUE, { connection: producerConnectionOptions(stack.redisUrl), prefix });
  const worker = new Worker(INSIGHT_GENERATE_QUEUE, null, { connection: workerConnectionOptions(stack.redisUrl), prefix, autorun: false });
  try {
    const { rows: [execution] } = await db.query<{ id: string; configuration_id: string }>(`
      SELECT x.id, c.id AS configuration_id FROM workflow_executions x JOIN report_configurations c ON c.workflow_id = x.workflow_id LIMIT 1`);
    const jobId = insightGenerateJobId(execution.configuration_id, execution.id);
    await db.query(`INSERT INTO insight_generations (report_configuration_id, execution_id, job_id) VALUES ($1, $2, $3)
      ON CONFLICT (report_configuration_id, execution_id) DO UPDATE SET status = 'queued'`, [execution.configuration_id, execution.id, jobId]);
    await queue.remove(jobId);
    await queue.add(INSIGHT_GENERATE_JOB, { configurationId: execution.configuration_id, executionId: execution.id }, { jobId, attempts: 1 });
    const taken = await worker.getNextJob('cli-test');
    await taken!.moveToFailed(new Error('job stalled more than allowable limit'), 'cli-test');

    const listed = await amc(['jobs', 'list', '--queue', INSIGHT_GENERATE_QUEUE]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(jobId);
    expect(listed.stdout).toMatch(/stalled more than allowable limit/);
    expect(JSON.parse(listed.stdout.trim().split('\n').at(-1)!)).toEqual({ failed: 1, transient: 1 });

    expect((await amc(['jobs', 'redrive'])).code).toBe(2);
    const redriven = await amc(['jobs', 'redrive', '--id', jobId]);
    expect(redriven.code).toBe(0);
    expect(JSON.parse(redriven.stdout.trim().split('\n').at(-1)!)).toEqual({ redriven: 1, jobs: [{ queue: INSIGHT_GENERATE_QUEUE, jobId }] });
    expect(await queue.getJobState(jobId)).toBe('waiting');
    const { rows: [ledger] } = await db.query('SELECT status, redrive_count FROM insight_generations WHERE job_id = $1', [jobId]);
    expect(ledger).toEqual({ status: 'queued', redrive_count: 1 });
    expect(JSON.parse((await amc(['jobs', 'list', '--queue', INSIGHT_GENERATE_QUEUE])).stdout.trim().split('\n').at(-1)!)).toEqual({ failed: 0, transient: 0 });
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await db.end();
  }
}, 120_000);
