/**
 * Ingestion benchmark (issue 3), every figure beside its raw limit measured in the same run:
 *   1. throughput: signed events/s through the real gateway (HTTP, signature, validation, event
 *      row + outbox, BullMQ add) vs a bare loop of the same Postgres INSERT + BullMQ add;
 *   2. latency p50/p99 at a fixed offered rate (open loop: requests start on schedule);
 *   3. event → dashboard.updated p50/p95 for a 1,000-row inline result through gateway + report-service.
 *
 *   node -r @swc-node/register bench/events.bench.ts
 */
import { seedBenchWorkflow } from './seed-workflow';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { buildSignatureHeader, REPORT_UPDATE_JOB, REPORT_UPDATE_JOB_OPTIONS, REPORT_UPDATE_QUEUE, reportUpdateJobId } from '@amc-reports/contracts';
import { findFreePort, migrateDatabase, READY_PATTERNS, startApp, startInfrastructure, stopAllChildren, waitForAppReady } from '@amc-reports/launcher';
import { postSignedEvent } from '@amc-reports/testing/src/signed-event';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** A pre-signed POST on a keep-alive connection; resolves with the status once the body is read. */
function postRaw(url: string, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amc-signature': signature },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const SECRET = 'bench-webhook-secret-0123456789';
const JWT = 'bench-jwt-secret-0123456789abcdef0123456789';
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const THROUGHPUT_EVENTS = 2_000;
const OFFERED_RATE = 150;
const OFFERED_SECONDS = 10;
const LATENCY_SAMPLES = 40;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

function smallEvent(workflowId: string) {
  return {
    eventId: randomUUID(), instanceId: 'benchinst', workflowId, executionId: randomUUID(), status: 'SUCCEEDED',
    timeWindow: { start: '2026-10-01T00:00:00Z', end: '2026-10-07T23:59:59Z' },
    result: { format: 'rows', columns: ['campaign', 'impressions', 'clicks'], rows: [['A', 100, 3], ['B', 200, 5]] },
  };
}

function thousandRows() {
  const columns = ['campaign', 'ad_product_type', 'impressions', 'clicks', 'detail_page_view', 'add_to_cart', 'purchases', 'product_sales'];
  const rows = Array.from({ length: 1_000 }, (_, i) => [`Campaign_${i}`, i % 2 ? 'SPONSORED_PRODUCTS' : 'DSP',
    10_000 + i * 7, 300 + (i % 50), 120 + (i % 30), 40 + (i % 20), 10 + (i % 9), 250.5 + i]);
  return { format: 'rows', columns, rows };
}

async function runConcurrently(total: number, concurrency: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await work(next++);
  }));
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-bench-'));
  fs.chmodSync(dataRoot, 0o755);
  const infra = await startInfrastructure({ dataRoot, durable: false, env: {} });
  try {
    await migrateDatabase(infra.databaseUrl);
    const pool = new Pool({ connectionString: infra.databaseUrl, max: CONCURRENCY });
    pool.on('error', () => undefined); // idle clients see the server stop at the end
    const { workflowId } = await seedBenchWorkflow(pool, { label: 'bench', instanceId: 'benchinst', amcWorkflowId: 'bench_wf' });
    const workflow = { id: workflowId };

    // 1a. The raw limit: the same insert + add, no HTTP, no signature, no validation.
    const baselineQueue = new Queue(REPORT_UPDATE_QUEUE, { connection: { url: infra.redisUrl }, prefix: 'bench-baseline' });
    // Payloads are made before the clock starts, for both loops: the figure is the system's, not the generator's.
    const baselineEvents = Array.from({ length: THROUGHPUT_EVENTS }, () => {
      const event = smallEvent(workflow.id);
      return { event, json: JSON.stringify(event) };
    });
    const baselineSeconds = await runConcurrently(THROUGHPUT_EVENTS, CONCURRENCY, async (i) => {
      const { event, json } = baselineEvents[i];
      const { rows } = await pool.query(
        `INSERT INTO amc_execution_events (event_id, amc_instance_id, amc_execution_id, status, workflow_id, outcome, payload)
         VALUES ($1, $2, $3, $4, $5, 'accepted', $6) ON CONFLICT DO NOTHING RETURNING id`,
        [event.eventId, event.instanceId, event.executionId, event.status, workflow.id, json]);
      await baselineQueue.add(REPORT_UPDATE_JOB, { eventRowId: rows[0].id }, { ...REPORT_UPDATE_JOB_OPTIONS, jobId: reportUpdateJobId(event.executionId) });
      await pool.query('UPDATE amc_execution_events SET enqueued_at = now() WHERE id = $1', [rows[0].id]);
    });
    await baselineQueue.close();

    // 1b. Our path, with only the gateway running (jobs wait on the queue).
    const port = await findFreePort();
    const env = {
      PATH: process.env.PATH, DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl, QUEUE_PREFIX: 'bench',
      AMC_WEBHOOK_SECRET: SECRET, JWT_SECRET: JWT, GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: String(port), LOG_LEVEL: 'warn',
      STORAGE_DIR: path.join(dataRoot, 'storage'), RESULTS_DIR: path.join(dataRoot, 'results'), DB_POOL_SIZE: String(CONCURRENCY),
    };
    const gatewayUrl = `http://127.0.0.1:${port}`;
    // BENCH_CPU_PROFILE=<dir> writes the gateway's CPU profile there (open it in Chrome DevTools).
    const nodeArgs = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
    const gateway = startApp('gateway', { env, nodeArgs });
    await waitForAppReady(gateway, READY_PATTERNS.gateway);
    for (let i = 0; i < 50; i++) await postSignedEvent(gatewayUrl, SECRET, smallEvent(workflow.id)); // warm-up
    const signedEvents = Array.from({ length: THROUGHPUT_EVENTS }, () => {
      const raw = JSON.stringify(smallEvent(workflow.id));
      return { raw, signature: buildSignatureHeader(SECRET, raw) };
    });
    const throughputSeconds = await runConcurrently(THROUGHPUT_EVENTS, CONCURRENCY, async (i) => {
      const status = await postRaw(`${gatewayUrl}/v1/events/amc/execution-completed`, signedEvents[i].raw, signedEvents[i].signature);
      if (status !== 202) throw new Error(`gateway answered ${status}`);
    });

    // 2. Latency at a fixed offered rate (open loop).
    const latencies: number[] = [];
    const total = OFFERED_RATE * OFFERED_SECONDS;
    const start = performance.now();
    await Promise.all(Array.from({ length: total }, async (_, i) => {
      const due = start + (i * 1000) / OFFERED_RATE;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      const sent = performance.now();
      await postSignedEvent(gatewayUrl, SECRET, smallEvent(workflow.id));
      latencies.push(performance.now() - sent);
    }));

    // 3. Event → dashboard.updated for a 1,000-row inline result, with the report service running.
    const reportService = startApp('report-service', { env });
    await waitForAppReady(reportService, READY_PATTERNS['report-service']);
    const { rows: [report] } = await pool.query(
      `INSERT INTO report_configurations (workflow_id, dashboard_type, name) VALUES ($1, 'funnel', 'bench') RETURNING id`, [workflow.id]);
    await pool.query('UPDATE workflows SET report_enabled = true, report_config_id = $1 WHERE id = $2', [report.id, workflow.id]);
    const subscriber = new Redis(infra.redisUrl);
    await subscriber.subscribe('dashboard.updated');
    const endToEnd: number[] = [];
    const result = thousandRows();
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const event = { ...smallEvent(workflow.id), result, timeWindow: { start: `2025-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`, end: `2025-02-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z` } };
      const announced = new Promise<void>((resolve) => {
        const onMessage = (_channel: string, message: string): void => {
          if ((JSON.parse(message) as { data: { reportId: string } }).data.reportId === report.id) {
            subscriber.off('message', onMessage);
            resolve();
          }
        };
        subscriber.on('message', onMessage);
      });
      const sent = performance.now();
      await postSignedEvent(gatewayUrl, SECRET, event);
      await announced;
      endToEnd.push(performance.now() - sent);
    }
    subscriber.disconnect();

    const baselineRate = THROUGHPUT_EVENTS / baselineSeconds;
    const gatewayRate = THROUGHPUT_EVENTS / throughputSeconds;
    console.log(`ingestion throughput (${THROUGHPUT_EVENTS} events, concurrency ${CONCURRENCY}):`);
    console.log(`  bare INSERT + BullMQ add loop : ${baselineRate.toFixed(0)} events/s`);
    console.log(`  signed POST through gateway   : ${gatewayRate.toFixed(0)} events/s`);
    console.log(`  ratio                         : ${(gatewayRate / baselineRate).toFixed(2)} (target ≥ 0.5)`);
    console.log(`latency at ${OFFERED_RATE} events/s offered for ${OFFERED_SECONDS} s: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
    console.log(`event → dashboard.updated, 1,000-row inline result (${LATENCY_SAMPLES} runs): p50 ${percentile(endToEnd, 50).toFixed(0)} ms, p95 ${percentile(endToEnd, 95).toFixed(0)} ms (target p95 < 500 ms)`);
    await pool.end();
  } finally {
    await stopAllChildren();
    await infra.stop();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
