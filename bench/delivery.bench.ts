/**
 * Delivery benchmark (issue 16), beside raw baselines measured in the same run against the same
 * local receivers:
 *   1. deliveries/s for 1,000 e-mail subscriptions of one report after one execution (each mail
 *      carries the execution's PDF), vs bare nodemailer sending the same message with the same pool;
 *   2. the time from the execution accepted (the gateway's 202) to the last delivery sent, with
 *      the execution's own work (dashboard, insights, PDF) shown apart;
 *   3. deliveries/s for 1,000 signed-webhook subscriptions vs bare undici POSTs of the same body.
 *
 *   node -r @swc-node/register bench/delivery.bench.ts        (SUBSCRIPTIONS=200 for a quicker run)
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { Pool } from 'pg';
import { Agent, request } from 'undici';
import { buildSignatureHeader } from '@amc-reports/contracts';
import { findFreePort, migrateDatabase, READY_PATTERNS, startApp, startInfrastructure, stopAllChildren, waitForAppReady, type RunningApp } from '@amc-reports/launcher';
import { postSignedEvent } from '@amc-reports/testing/src/signed-event';
import { startLocalHttpReceiver } from '@amc-reports/testing/src/local-http-receiver';
import { startLocalSmtpServer } from '@amc-reports/testing/src/local-smtp-server';
import { DEMO_COLUMNS, demoWeek, demoWindow } from '../scripts/lib/demo-history';

const SECRET = 'bench-webhook-secret-0123456789';
const JWT = 'bench-jwt-secret-0123456789abcdef0123456789';
const SUBSCRIPTIONS = Number(process.env.SUBSCRIPTIONS ?? 1_000);
const CONCURRENCY = 8; // DELIVERY_CONCURRENCY's default: the baselines get the same number of sends in flight

async function runConcurrently(total: number, concurrency: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await work(next++);
  }));
  return (performance.now() - started) / 1000;
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);

async function main(): Promise<void> {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-bench-delivery-'));
  fs.chmodSync(dataRoot, 0o755);
  const infra = await startInfrastructure({ dataRoot, durable: false, env: {} });
  const smtp = await startLocalSmtpServer();
  const hooks = await startLocalHttpReceiver();
  const apps: RunningApp[] = [];
  try {
    await migrateDatabase(infra.databaseUrl);
    const pool = new Pool({ connectionString: infra.databaseUrl, max: 4 });
    pool.on('error', () => undefined);
    const userId = randomUUID();
    await pool.query('INSERT INTO users (id, email) VALUES ($1, $2)', [userId, 'bench@example.com']);
    const { rows: [organization] } = await pool.query(`INSERT INTO organizations (name) VALUES ('Bench agency') RETURNING id`);
    await pool.query(`INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner')`, [organization.id, userId]);
    await pool.query(`INSERT INTO amc_instances (instance_id, organization_id) VALUES ('benchdlv', $1)`, [organization.id]);
    const { rows: [workflow] } = await pool.query(
      `INSERT INTO workflows (organization_id, created_by, name, sql_query, amc_instance_id, amc_workflow_id, report_enabled)
       VALUES ($1, $2, 'bench', 'SELECT 1', 'benchdlv', 'bench_dlv', true) RETURNING id`, [organization.id, userId]);
    const { rows: [mailReport] } = await pool.query(
      `INSERT INTO report_configurations (workflow_id, name, dashboard_type) VALUES ($1, 'Bench funnel', 'funnel') RETURNING id`, [workflow.id]);
    await pool.query(
      `INSERT INTO report_subscriptions (report_configuration_id, name, channel, recipients, formats, trigger_kind)
       SELECT $1, 'bench ' || g, 'email', ARRAY['client' || g || '@bench.test'], ARRAY['pdf'], 'after_execution' FROM generate_series(1, $2::int) g`,
      [mailReport.id, SUBSCRIPTIONS]);

    const port = await findFreePort();
    const env = {
      PATH: process.env.PATH, DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl, QUEUE_PREFIX: 'bench-delivery',
      AMC_WEBHOOK_SECRET: SECRET, JWT_SECRET: JWT, GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: String(port), LOG_LEVEL: 'warn',
      STORAGE_DIR: path.join(dataRoot, 'storage'), RESULTS_DIR: path.join(dataRoot, 'results'), EXPORT_DIR: path.join(dataRoot, 'exports'),
      SMTP_URL: smtp.url, OUTBOUND_ALLOWLIST: hooks.host, PUBLIC_URL: `http://127.0.0.1:${port}`, DB_POOL_SIZE: '8',
    };
    for (const name of ['gateway', 'report-service', 'insight-worker', 'export-worker'] as const) apps.push(startApp(name, { env }));
    await Promise.all(apps.map((app) => waitForAppReady(app, READY_PATTERNS[app.name])));
    const gatewayUrl = `http://127.0.0.1:${port}`;

    // 1 + 2. One execution, 1,000 e-mail subscriptions, through the whole system.
    const accepted = await postSignedEvent(gatewayUrl, SECRET, {
      eventId: randomUUID(), instanceId: 'benchdlv', workflowId: workflow.id, executionId: `bench-${randomUUID()}`, status: 'SUCCEEDED',
      timeWindow: demoWindow(1), result: { format: 'rows', columns: DEMO_COLUMNS, rows: demoWeek(1) },
    });
    const acceptedAt = Date.now();
    if (accepted.status !== 202) throw new Error(`event refused: ${accepted.status}`);
    await smtp.waitForMessages(SUBSCRIPTIONS, { timeoutMs: 600_000 });
    const { rows: [timing] } = await pool.query(`
      SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total,
             extract(epoch FROM min(d.created_at)) * 1000 AS first_created, extract(epoch FROM max(d.sent_at)) * 1000 AS last_sent,
             (SELECT extract(epoch FROM max(completed_at)) * 1000 FROM report_exports WHERE report_configuration_id = $1) AS pdf_done,
             (SELECT extract(epoch FROM max(created_at)) * 1000 FROM dashboard_insights) AS insights_done,
             sum(d.attempts)::int AS attempts
      FROM deliveries d WHERE d.report_configuration_id = $1`, [mailReport.id]);
    if (timing.sent !== SUBSCRIPTIONS) throw new Error(`${timing.sent} of ${SUBSCRIPTIONS} deliveries sent`);
    const fanOutSeconds = (Number(timing.last_sent) - Number(timing.first_created)) / 1000;
    const oursPerSecond = SUBSCRIPTIONS / fanOutSeconds;
    const pdf = fs.readdirSync(env.EXPORT_DIR).find((name) => name.endsWith('.pdf'))!;
    const pdfBytes = fs.readFileSync(path.join(env.EXPORT_DIR, pdf));

    // The raw limit: nodemailer alone, the same pool, the same message size, the same sends in flight.
    const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections: 5, maxMessages: 500 } as never);
    const sample = await smtp.messages[0].parse();
    const baselineSeconds = await runConcurrently(SUBSCRIPTIONS, CONCURRENCY, async (i) => {
      await transport.sendMail({
        from: 'AMC Reports <reports@localhost>', to: `baseline${i}@bench.test`, subject: sample.subject, text: sample.text, html: String(sample.html),
        attachments: [{ filename: 'bench.pdf', contentType: 'application/pdf', content: pdfBytes }],
      });
    });
    transport.close();
    const baselinePerSecond = SUBSCRIPTIONS / baselineSeconds;

    // 3. Webhooks: the same execution delivered again to 1,000 signed-webhook subscriptions of a second report.
    const { rows: [hookReport] } = await pool.query(
      `INSERT INTO report_configurations (workflow_id, name, dashboard_type) VALUES ($1, 'Bench hooks', 'funnel') RETURNING id`, [workflow.id]);
    await pool.query(
      `WITH made AS (INSERT INTO report_subscriptions (report_configuration_id, name, channel, target_url, formats, trigger_kind)
                     SELECT $1, 'hook ' || g, 'webhook', $2 || '/hook/' || g, ARRAY['link'], 'after_execution' FROM generate_series(1, $3::int) g RETURNING id)
       INSERT INTO subscription_secrets (subscription_id, secret) SELECT id, 'whsec_bench_0123456789abcdef' FROM made`,
      [hookReport.id, hooks.url, SUBSCRIPTIONS]);
    const second = await postSignedEvent(gatewayUrl, SECRET, {
      eventId: randomUUID(), instanceId: 'benchdlv', workflowId: workflow.id, executionId: `bench-${randomUUID()}`, status: 'SUCCEEDED',
      timeWindow: demoWindow(2), result: { format: 'rows', columns: DEMO_COLUMNS, rows: demoWeek(2) },
    });
    if (second.status !== 202) throw new Error(`event refused: ${second.status}`);
    await hooks.waitForRequests(SUBSCRIPTIONS, { timeoutMs: 600_000 });
    const hookTiming = await until(async () => {
      const { rows: [row] } = await pool.query(`
        SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, extract(epoch FROM min(created_at)) * 1000 AS first_created,
               extract(epoch FROM max(sent_at)) * 1000 AS last_sent
        FROM deliveries WHERE report_configuration_id = $1`, [hookReport.id]);
      return row.sent === SUBSCRIPTIONS ? row : null;
    }, 60_000, 'the webhook deliveries');
    const hookSeconds = (Number(hookTiming.last_sent) - Number(hookTiming.first_created)) / 1000;
    const sampleBody = hooks.requests[0].rawBody.toString('utf8');
    const agent = new Agent({ connections: CONCURRENCY });
    const rawHookSeconds = await runConcurrently(SUBSCRIPTIONS, CONCURRENCY, async (i) => {
      const response = await request(`${hooks.url}/baseline/${i}`, {
        method: 'POST', body: sampleBody, dispatcher: agent,
        headers: { 'content-type': 'application/json', 'x-amc-reports-signature': buildSignatureHeader('whsec_bench_0123456789abcdef', sampleBody) },
      });
      await response.body.text();
    });
    await agent.close();

    const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);
    process.stdout.write(`\ndelivery of one execution to ${SUBSCRIPTIONS} subscriptions (${os.cpus().length} cores, DELIVERY_CONCURRENCY=${CONCURRENCY})\n`);
    line('e-mail (PDF attached, SMTP on 127.0.0.1): deliveries/s', `${fmt(oursPerSecond)}  (fan-out to last send ${fmt(fanOutSeconds, 2)} s, ${timing.attempts} attempts)`);
    line('  baseline: bare nodemailer, same pool and message: mails/s', `${fmt(baselinePerSecond)}  → ratio ${fmt(oursPerSecond / baselinePerSecond, 2)}`);
    line('execution accepted → last e-mail sent', `${fmt((Number(timing.last_sent) - acceptedAt) / 1000, 2)} s`);
    line('  of which dashboard, insights and the PDF (last of them done)', `${fmt((Math.max(Number(timing.pdf_done), Number(timing.insights_done)) - acceptedAt) / 1000, 2)} s`);
    line('  of which waiting for them → first delivery row', `${fmt((Number(timing.first_created) - Math.max(Number(timing.pdf_done), Number(timing.insights_done))) / 1000, 2)} s`);
    line('signed webhooks (links only): deliveries/s', `${fmt(SUBSCRIPTIONS / hookSeconds)}  (fan-out to last send ${fmt(hookSeconds, 2)} s)`);
    line('  baseline: bare undici POSTs of the same signed body: posts/s', `${fmt(SUBSCRIPTIONS / rawHookSeconds)}  → ratio ${fmt(rawHookSeconds / hookSeconds, 2)}`);
    await pool.end();
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await smtp.close();
    await hooks.close();
    await infra.stop();
    await stopAllChildren();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`delivery bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
