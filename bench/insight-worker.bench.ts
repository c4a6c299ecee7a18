/**
 * Insight worker throughput with an instant local LLM server (issue 4), every figure beside its
 * raw limit measured in the same run, on throw-away embedded Postgres + Redis:
 *   (a) InsightGenerationService.generate in this process (history read, findings, LLM wording
 *       over real HTTP through the openai SDK, verification, one-transaction replace, event) vs
 *       the raw I/O one configuration cannot avoid: the same history SELECT, one bare SDK round
 *       trip to the same server, and a pg transaction deleting + inserting the same rows;
 *   (b) the real insight-worker process consuming `insight.generate` jobs from BullMQ.
 * Each configuration has 52 weekly executions of history (historyLength 52), 20 campaigns.
 *
 *   node -r @swc-node/register bench/insight-worker.bench.ts [configurations]
 */
import { seedBenchWorkflow } from './seed-workflow';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import OpenAI from 'openai';
import { Pool } from 'pg';
import { INSIGHT_GENERATE_JOB, INSIGHT_GENERATE_JOB_OPTIONS, INSIGHT_GENERATE_QUEUE, insightGenerateJobId } from '@amc-reports/contracts';
import { createPrismaClient } from '@amc-reports/db';
import { migrateDatabase, READY_PATTERNS, startApp, startInfrastructure, stopAllChildren, waitForAppReady } from '@amc-reports/launcher';
import { startFakeOpenAiServer } from '@amc-reports/testing/src/fake-openai-server';
import { InsightGenerationService } from '../apps/insight-worker/src/insight-generation.service';
import { answeringLlm } from '../apps/insight-worker/test/fake-llm-answers';
import { SAMPLE_VIEWS } from '../apps/insight-worker/test/seed-report';
import { HISTORY_CAMPAIGNS, weekProfile } from './generated-history';
import { seededRandom } from './seeded-random';

const CONFIGURATIONS = Number(process.argv[2] ?? 60);
const EXECUTIONS = 52;
const CAMPAIGNS = HISTORY_CAMPAIGNS;
const WORKER_CONCURRENCY = 8;

const random = seededRandom;

interface Seeded {
  configurationId: string;
  workflowId: string;
  executionId: string;
}

async function seed(pool: Pool, index: number): Promise<Seeded> {
  const next = random(index + 1);
  const { workflowId } = await seedBenchWorkflow(pool, { label: `bench-${index}`, instanceId: `benchinst-${index}`, reportEnabled: true });
  const workflow = { id: workflowId };
  const { rows: [configuration] } = await pool.query(
    `INSERT INTO report_configurations (workflow_id, name, dashboard_type, data_aggregation_settings) VALUES ($1, 'bench', 'funnel', '{"historyLength": 52}') RETURNING id`,
    [workflow.id]);
  let executionId = '';
  for (let week = 0; week < EXECUTIONS; week++) {
    const start = new Date(Date.UTC(2026, 0, 5 + 7 * week));
    const { rows: [execution] } = await pool.query(
      `INSERT INTO workflow_executions (workflow_id, amc_instance_id, amc_execution_id, status, time_window_start, time_window_end, result_profile, completed_at)
       VALUES ($1, 'benchinst', $2, 'SUCCEEDED', $3, $4, $5, $4) RETURNING id`,
      [workflow.id, randomUUID(), start, new Date(start.getTime() + 7 * 86_400_000 - 1000), JSON.stringify(weekProfile(week, next, index % 2 === 0 && week === EXECUTIONS - 1))]);
    executionId = execution.id;
  }
  for (const [position, view] of SAMPLE_VIEWS.entries()) {
    await pool.query(
      `INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type, position, chart_configurations, processed_data)
       VALUES ($1, $2, $3, $4, $5, $6, '{"rows": []}')`, [configuration.id, view.key, view.name, view.viewType, position, JSON.stringify(view.chart)]);
  }
  return { configurationId: configuration.id, workflowId: workflow.id, executionId };
}

async function throughput(count: number, concurrency: number, run: (index: number) => Promise<unknown>): Promise<number> {
  let nextIndex = 0;
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (nextIndex < count) await run(nextIndex++);
  }));
  return count / ((performance.now() - startedAt) / 1000);
}

async function main(): Promise<void> {
  // One console line per job would be measured along with the work (the worker process logs at warn).
  Logger.overrideLogger(false);
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-bench-insights-'));
  fs.chmodSync(dataRoot, 0o755);
  const infra = await startInfrastructure({ dataRoot, durable: false, env: {} });
  const server = await startFakeOpenAiServer();
  server.setFallback(answeringLlm());
  try {
    await migrateDatabase(infra.databaseUrl);
    const pool = new Pool({ connectionString: infra.databaseUrl, max: 16 });
    // Postgres stopping at the end may still reach a client the pool is closing: not a bench failure.
    pool.on('error', (error) => console.error(`pg pool: ${error.message}`));
    const seeded: Seeded[] = [];
    for (let index = 0; index < CONFIGURATIONS; index++) seeded.push(await seed(pool, index));
    const prisma = createPrismaClient({ databaseUrl: infra.databaseUrl, poolSize: 16 });
    const config = {
      REDIS_URL: infra.redisUrl, OPENAI_API_KEY: 'bench', OPENAI_BASE_URL: server.baseURL, OPENAI_MODEL: 'fake-model',
      OPENAI_TIMEOUT_MS: 10_000, OPENAI_MAX_RETRIES: 0,
    };
    const service = new InsightGenerationService(prisma, config);
    const context = { jobId: 'bench', attempt: 1 };
    const client = new OpenAI({ apiKey: 'bench', baseURL: server.baseURL, maxRetries: 0 });
    let rowsPerConfiguration = 0;

    const generate = async (index: number) => {
      const target = seeded[index % seeded.length];
      const outcome = await service.generate({ configurationId: target.configurationId, executionId: target.executionId }, context);
      if (outcome.status !== 'generated') throw new Error(`skipped: ${outcome.reason}`);
      rowsPerConfiguration = Math.max(rowsPerConfiguration, outcome.insightCount);
    };
    // The I/O a configuration cannot avoid, without any of our work in between.
    const rawIo = async (index: number) => {
      const target = seeded[index % seeded.length];
      await pool.query(
        `SELECT id, result_profile FROM workflow_executions WHERE workflow_id = $1 AND status = 'SUCCEEDED' AND superseded_by IS NULL
         ORDER BY time_window_start DESC LIMIT ${EXECUTIONS}`, [target.workflowId]);
      await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'ping' }] });
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const { rows: [view] } = await connection.query('SELECT id FROM dashboard_views WHERE report_configuration_id = $1 LIMIT 1', [target.configurationId]);
        await connection.query('DELETE FROM dashboard_insights WHERE execution_id = $1', [target.executionId]);
        for (let row = 0; row < rowsPerConfiguration; row++) {
          await connection.query(
            `INSERT INTO dashboard_insights (dashboard_view_id, execution_id, finding_id, insight_type, insight_text, confidence_score, source_data, ai_model, prompt_version)
             VALUES ($1, $2, $3, 'summary', 'x', 0.5, '{}', 'raw', 'raw')`, [view.id, target.executionId, `raw.${row}`]);
        }
        await connection.query('COMMIT');
      } finally {
        connection.release();
      }
    };

    for (let warmup = 0; warmup < 10; warmup++) await generate(warmup);
    console.log(`insight worker: ${CONFIGURATIONS} configurations × ${EXECUTIONS} executions of history, ${CAMPAIGNS} campaigns; ${rowsPerConfiguration} insights per configuration`);
    for (const concurrency of [1, WORKER_CONCURRENCY]) {
      const ours = await throughput(CONFIGURATIONS, concurrency, generate);
      const raw = await throughput(CONFIGURATIONS, concurrency, rawIo);
      console.log(`(a) concurrency ${concurrency}: service ${ours.toFixed(1)} configurations/s   raw I/O ${raw.toFixed(1)} /s   ratio ${(ours / raw).toFixed(2)}`);
      server.requests.length = 0;
    }
    await service.onApplicationShutdown();

    // (b) The worker process, fed through BullMQ, INSIGHT_CONCURRENCY = 8.
    const prefix = `bench-${randomUUID().slice(0, 8)}`;
    const worker = startApp('insight-worker', {
      env: {
        PATH: process.env.PATH, DATABASE_URL: infra.databaseUrl, REDIS_URL: infra.redisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn',
        OPENAI_API_KEY: 'bench', OPENAI_BASE_URL: server.baseURL, OPENAI_MODEL: 'fake-model', OPENAI_MAX_RETRIES: '0',
        INSIGHT_CONCURRENCY: String(WORKER_CONCURRENCY), DB_POOL_SIZE: '10',
      },
    });
    await waitForAppReady(worker, READY_PATTERNS['insight-worker']);
    const queue = new Queue(INSIGHT_GENERATE_QUEUE, { connection: { url: infra.redisUrl }, prefix });
    const queueEvents = new QueueEvents(INSIGHT_GENERATE_QUEUE, { connection: { url: infra.redisUrl }, prefix });
    // Without listeners an ioredis error would crash the run and hide the error that caused it.
    queue.on('error', (error) => console.error(`bullmq queue: ${error.message}`));
    queueEvents.on('error', (error) => console.error(`bullmq queue events: ${error.message}`));
    await queueEvents.waitUntilReady();
    let settled = 0;
    let failed = 0;
    let onSettled = () => {};
    queueEvents.on('completed', () => (settled++, onSettled()));
    queueEvents.on('failed', () => (settled++, failed++, onSettled()));
    /** Adds one job per configuration and resolves when all of them completed or failed. */
    const runJobs = async (jobId: (target: Seeded) => string): Promise<number> => {
      settled = 0;
      const allDone = new Promise<void>((resolve) => (onSettled = () => settled === CONFIGURATIONS && resolve()));
      const startedAt = performance.now();
      await queue.addBulk(seeded.map((target) => ({
        name: INSIGHT_GENERATE_JOB,
        data: { configurationId: target.configurationId, executionId: target.executionId },
        opts: { ...INSIGHT_GENERATE_JOB_OPTIONS, jobId: jobId(target) },
      })));
      await allDone;
      return CONFIGURATIONS / ((performance.now() - startedAt) / 1000);
    };
    await runJobs((target) => `warm-${target.configurationId}`); // a fresh process: JIT and pools first
    const workerRate = await runJobs((target) => insightGenerateJobId(target.configurationId, target.executionId));
    console.log(`(b) insight-worker process (BullMQ, INSIGHT_CONCURRENCY ${WORKER_CONCURRENCY}): ${workerRate.toFixed(1)} configurations/s, ${failed} failed`);
    await queueEvents.close();
    await queue.close();
    await prisma.$disconnect();
    await pool.end();
  } finally {
    await server.close();
    await stopAllChildren();
    await infra.stop();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
