import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import { INSIGHT_BACKLOG_HOLD_DELAYS, INSIGHT_GENERATE_QUEUE, INSIGHT_REGENERATE_JOB, INSIGHT_REGENERATE_MAX_DELAYS, insightRegenerationKey, type InsightGenerateJob, type InsightRegenerateJob } from '@amc-reports/contracts';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';
import { InsightLedger, markEventFailed, RedriveSweeper, releaseHeldRegenerations, requestExecutionInsights, requestInsightRegeneration } from '@amc-reports/redrive';
import { createTestDatabase, requireTestEnv, uniqueQueuePrefix, until, type TestDatabase } from '@amc-reports/testing';
import { loadWeeklyHistory } from '../../test/profile-from-csv';
import { seedFunnelReport, type SeededReport } from '../../test/seed-report';
import { composeInsights } from '../insight-composer';
import { InsightGenerationService } from '../insight-generation.service';
import { loadInsightTarget } from '../insight-input-loader';
import { storeInsightSets } from '../insight-store';
import { PROMPT_VERSION } from '../wording/insight-prompt';
import { InsightRegenerationService } from './insight-regeneration.service';

const redisUrl = requireTestEnv('redisUrl');
const prefix = uniqueQueuePrefix('regen');
/** Longer than the gap between two arrivals of this test even on a loaded machine: they coalesce into one pass. */
const DELAY_MS = 1_500;
const WEEK = 7 * 86_400_000;
const BASE = Date.UTC(2026, 0, 5);
const samples = loadWeeklyHistory();
let database: TestDatabase;
let prisma: PrismaClient;
let queue: Queue;
let worker: Worker;
let generation: InsightGenerationService;
let regeneration: InsightRegenerationService;
/** insight computations (composeInsights runs) by the two job kinds, and regeneration passes. */
const computed = { own: 0, regenerated: 0, passes: 0 };

beforeAll(async () => {
  Logger.overrideLogger(false);
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 6 });
  queue = new Queue(INSIGHT_GENERATE_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix });
  const config = { REDIS_URL: redisUrl, OPENAI_MODEL: 'unused', OPENAI_TIMEOUT_MS: 1_000, OPENAI_MAX_RETRIES: 0, INSIGHT_REGENERATE_DELAY_MS: DELAY_MS };
  generation = new InsightGenerationService(prisma, config, queue);
  regeneration = new InsightRegenerationService(prisma, config, queue);
  // The insight worker's processor, counting what it computes.
  worker = new Worker(INSIGHT_GENERATE_QUEUE, async (job: Job) => {
    const context = { jobId: job.id!, attempt: job.attemptsMade + 1 };
    if (job.name === INSIGHT_REGENERATE_JOB) {
      const outcome = await regeneration.regenerate(job.data as InsightRegenerateJob, context);
      computed.passes++;
      if (outcome.status === 'regenerated') computed.regenerated += outcome.recomputed + outcome.conflicts;
      return outcome;
    }
    const outcome = await generation.generate(job.data as InsightGenerateJob, context);
    if (outcome.status === 'generated' || outcome.detail === 'superseded by a concurrent set') computed.own++;
    return outcome;
  }, { connection: workerConnectionOptions(redisUrl), prefix, concurrency: 2 });
});

afterAll(async () => {
  await worker?.close();
  await queue?.obliterate({ force: true });
  await queue?.close();
  await generation?.onApplicationShutdown();
  await regeneration?.onApplicationShutdown();
  await prisma?.$disconnect();
  await database?.drop();
});

/** Resolves once no insight job is pending and the ledger has nothing unfinished for the report (checked on each finished job). */
function settled(report: SeededReport): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = async () => {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
      const [{ open }] = await prisma.$queryRaw<Array<{ open: number }>>`
        SELECT count(*)::int AS open FROM insight_generations WHERE report_configuration_id = ${report.configurationId}::uuid AND status <> 'completed'`;
      if (!done && open === 0 && Object.values(counts).every((count) => count === 0)) {
        done = true;
        worker.off('completed', onCompleted);
        worker.off('failed', onFailed);
        resolve();
      }
    };
    const onCompleted = () => void check().catch(reject);
    const onFailed = (_job: Job | undefined, error: Error) => reject(error);
    worker.on('completed', onCompleted);
    worker.on('failed', onFailed);
    void check().catch(reject);
  });
}

/**
 * What the report service does when an execution arrives: the execution in the history (a re-run
 * of a window supersedes the older one), then its own insights and a regeneration of the later
 * ones. Returns how many insight jobs the design before coalescing would have queued (own + one per later).
 */
async function arrive(report: SeededReport, week: number, sample: number): Promise<number> {
  const [executionId, later] = await createExecution(report, week, sample);
  await requestExecutionInsights(prisma, queue, report.configurationId, executionId, later, DELAY_MS);
  return 1 + later.length;
}

/** The execution of `week` in the history (superseding an earlier run of it); returns its id and the later executions'. */
async function createExecution(report: SeededReport, week: number, sample: number): Promise<[string, string[]]> {
  const start = new Date(BASE + week * WEEK);
  const profile = samples[sample % samples.length].profile;
  const execution = await prisma.workflowExecution.create({
    data: {
      workflowId: report.workflowId, amcInstanceId: 'inst', amcExecutionId: `w${week}-${sample}-${Date.now()}`, status: 'SUCCEEDED',
      timeWindowStart: start, timeWindowEnd: new Date(start.getTime() + WEEK - 1_000), rowCount: profile.rowCount, resultProfile: profile as object,
      completedAt: new Date(),
    },
  });
  await prisma.workflowExecution.updateMany({
    where: { workflowId: report.workflowId, timeWindowStart: start, id: { not: execution.id }, supersededBy: null }, data: { supersededBy: execution.id },
  });
  const later = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM workflow_executions WHERE workflow_id = ${report.workflowId}::uuid AND time_window_start > ${start} AND superseded_by IS NULL
    ORDER BY time_window_start LIMIT 52`;
  return [execution.id, later.map((row) => row.id)];
}

/** The stored set of one execution, in a comparable form. */
async function stored(report: SeededReport, executionId: string) {
  const rows = await prisma.$queryRaw<Array<Record<string, unknown>>>`
    SELECT i.finding_id, i.insight_type, i.insight_text, i.confidence_score::float8 AS confidence_score, v.view_key, i.source_data
    FROM dashboard_insights i JOIN dashboard_views v ON v.id = i.dashboard_view_id
    WHERE v.report_configuration_id = ${report.configurationId}::uuid AND i.execution_id = ${executionId}::uuid ORDER BY i.finding_id`;
  return rows;
}

/** Recomputing everything: each usable execution's set from scratch, as a lone insight.generate would. */
async function recomputedFromScratch(report: SeededReport, executionId: string) {
  const loaded = await loadInsightTarget(prisma, { configurationId: report.configurationId, executionId });
  if (loaded.kind !== 'ready') throw new Error(`${executionId}: ${loaded.reason}`);
  const { insights } = await composeInsights(loaded.target.input, null);
  return insights
    .map((insight) => ({
      finding_id: insight.findingId, insight_type: insight.insightType, insight_text: insight.text, confidence_score: insight.confidenceScore,
      view_key: insight.viewKey, source_data: JSON.parse(JSON.stringify(insight.sourceData)),
    }))
    .sort((a, b) => (a.finding_id < b.finding_id ? -1 : 1));
}

const usableExecutions = async (report: SeededReport) => (await prisma.workflowExecution.findMany({
  where: { workflowId: report.workflowId, supersededBy: null }, orderBy: { timeWindowStart: 'asc' }, select: { id: true },
})).map((row) => row.id);

it('16 weeks arriving out of order, with 2 late re-runs: the same insights as recomputing everything, ≤ 2 computations per execution', async () => {
  const report = await seedFunnelReport(prisma, { weeks: [], dataAggregationSettings: { historyLength: 6 } });
  const order = [5, 1, 9, 3, 14, 2, 8, 16, 4, 11, 7, 13, 6, 15, 10, 12];
  let uncoalescedJobs = 0;
  for (const [index, week] of order.entries()) {
    uncoalescedJobs += await arrive(report, week, week);
    if (index === 9) uncoalescedJobs += await arrive(report, 3, 6); // week 3 re-run, different numbers
  }
  uncoalescedJobs += await arrive(report, 9, 2); // week 9 re-run, after everything
  const arrivals = order.length + 2;
  await settled(report);

  const executions = await usableExecutions(report);
  expect(executions).toHaveLength(16);
  for (const executionId of executions) {
    const expected = await recomputedFromScratch(report, executionId);
    expect(expected.length).toBeGreaterThan(0);
    expect(await stored(report, executionId)).toEqual(expected);
  }
  const computations = computed.own + computed.regenerated;
  if (process.env.REGEN_FIGURES) console.log(JSON.stringify({ arrivals, uncoalescedJobs, ...computed, perArrival: computations / arrivals }));
  expect(computations / arrivals).toBeLessThanOrEqual(2);
  // Without coalescing every arrival queued its own set and one per later execution.
  expect(uncoalescedJobs).toBeGreaterThan(1.5 * computations);
  // Every request settled; every usable execution's set computed (a superseded one may never have
  // been: a pass that ran after its re-run had nothing to compute for it).
  const ledger = await prisma.insightGeneration.findMany({ where: { reportConfigurationId: report.configurationId } });
  expect(ledger.every((row) => row.status === 'completed')).toBe(true);
  expect(ledger.filter((row) => executions.includes(row.executionId)).map((row) => Boolean(row.historyFingerprint))).toEqual(executions.map(() => true));
}, 120_000);

it('under a backlog, arrivals join their report\'s pass: fresh sets at once, refreshes debounced, the same insights as recomputing everything', async () => {
  const report = await seedFunnelReport(prisma, { weeks: [], dataAggregationSettings: { historyLength: 6 } });
  const before = { ...computed };
  // Nothing runs while they arrive, so from the second arrival on an insight job is waiting.
  await worker.pause();
  const order = [3, 1, 6, 2, 8, 5, 4, 10, 7, 9];
  for (const week of order) await arrive(report, week, week);
  const jobs = await queue.getJobs(['waiting', 'delayed']);
  const own = jobs.filter((job) => job.name !== INSIGHT_REGENERATE_JOB && (job.data as InsightGenerateJob).configurationId === report.configurationId);
  const passes = jobs.filter((job) => job.name === INSIGHT_REGENERATE_JOB && (job.data as InsightRegenerateJob).configurationId === report.configurationId);
  expect(own.length).toBeLessThan(order.length);
  expect(passes).toHaveLength(1);
  const waiting = await prisma.insightGeneration.count({ where: { reportConfigurationId: report.configurationId, jobId: insightRegenerationKey(report.configurationId) } });
  expect(waiting).toBeGreaterThanOrEqual(order.length - own.length);

  const done = settled(report);
  worker.resume();
  await done;
  for (const executionId of await usableExecutions(report)) {
    expect(await stored(report, executionId)).toEqual(await recomputedFromScratch(report, executionId));
  }
  const computations = computed.own + computed.regenerated - before.own - before.regenerated;
  expect(computations / order.length).toBeLessThanOrEqual(2);
  const ledger = await prisma.insightGeneration.findMany({ where: { reportConfigurationId: report.configurationId } });
  expect(ledger.every((row) => row.status === 'completed' && row.historyFingerprint)).toBe(true);
  expect(ledger).toHaveLength(order.length);
}, 120_000);

it('a regeneration whose job was lost from Redis is re-driven by the sweeper, once per report however many executions wait for it', async () => {
  const report = await seedFunnelReport(prisma, { weeks: samples.slice(0, 4) });
  await worker.pause();
  await requestInsightRegeneration(prisma, queue, report.configurationId, report.executionIds, DELAY_MS);
  await requestInsightRegeneration(prisma, queue, report.configurationId, report.executionIds.slice(2), DELAY_MS);
  const regenerations = async () => (await queue.getJobs(['delayed', 'waiting'])).filter((job) => job.name === INSIGHT_REGENERATE_JOB);
  expect(await regenerations()).toHaveLength(1);
  await queue.obliterate({ force: true }); // Redis lost it (and its deduplication key)

  const sweeper = new RedriveSweeper([new InsightLedger(prisma)], new Map([[INSIGHT_GENERATE_QUEUE, queue]]), { staleAfterMs: 1, batchSize: 100, maxRedrives: 3 });
  const [sweep] = await sweeper.run(new Date(Date.now() + 60_000));
  expect(sweep).toMatchObject({ checked: 4, requeued: 4, gaveUp: 0 });
  expect((await regenerations()).map((job) => job.data)).toEqual([{ configurationId: report.configurationId }]);

  const done = settled(report);
  worker.resume();
  await done;
  const rows = await prisma.insightGeneration.findMany({ where: { reportConfigurationId: report.configurationId } });
  expect(rows.map((row) => [row.status, row.redriveCount, row.jobId])).toEqual(rows.map(() => ['completed', 1, insightRegenerationKey(report.configurationId)]));
  for (const executionId of report.executionIds) expect(await stored(report, executionId)).toEqual(await recomputedFromScratch(report, executionId));
}, 60_000);

it('a pass held through a replay is pulled forward by the first request after it, even past the debounce cap', async () => {
  const report = await seedFunnelReport(prisma, { weeks: samples.slice(0, 3) });
  await worker.pause();
  // A short delay, so the cap (12 delays) is passed within the test: held for 36 delays while the replay runs.
  const delay = 100;
  const dueIn = async () => {
    const job = await queue.getJob((await queue.getDeduplicationJobId(insightRegenerationKey(report.configurationId)))!);
    return job!.timestamp + (job!.delay ?? 0) - Date.now();
  };
  await requestInsightRegeneration(prisma, queue, report.configurationId, report.executionIds.slice(1), delay * INSIGHT_BACKLOG_HOLD_DELAYS, { hold: true });
  expect(await dueIn()).toBeGreaterThan(delay * (INSIGHT_REGENERATE_MAX_DELAYS + 6));
  await new Promise((resolve) => setTimeout(resolve, delay * (INSIGHT_REGENERATE_MAX_DELAYS + 2)));
  // Another held request does not move it; the first ordinary one (the replay is over) brings it to the normal delay.
  await requestInsightRegeneration(prisma, queue, report.configurationId, report.executionIds.slice(2), delay * INSIGHT_BACKLOG_HOLD_DELAYS, { hold: true });
  expect(await dueIn()).toBeGreaterThan(delay * 6);
  await requestInsightRegeneration(prisma, queue, report.configurationId, report.executionIds.slice(2), delay);
  expect(await dueIn()).toBeLessThanOrEqual(delay);

  const done = settled(report);
  worker.resume();
  await done;
  for (const executionId of report.executionIds) expect(await stored(report, executionId)).toEqual(await recomputedFromScratch(report, executionId));
}, 60_000);

it('during a replay sets wait for one held pass; a new set under a backlog does not wait for it, nor are the held refreshes held longer; the replay\'s end releases the pass', async () => {
  const report = await seedFunnelReport(prisma, { weeks: [], dataAggregationSettings: { historyLength: 6 } });
  for (const week of [2, 3, 4]) await arrive(report, week, week);
  await settled(report);
  const regeneration = async () => queue.getJob((await queue.getDeduplicationJobId(insightRegenerationKey(report.configurationId)))!);
  const dueIn = (job: Job) => job.timestamp + (job.delay ?? 0) - Date.now();
  const completed = (...executionIds: string[]) => async () => (await prisma.insightGeneration.count({
    where: { reportConfigurationId: report.configurationId, executionId: { in: executionIds }, status: 'completed' },
  })) === executionIds.length;
  const hold = DELAY_MS * INSIGHT_BACKLOG_HOLD_DELAYS;
  // A replay of the workflow is in flight: two of its events are accepted and not processed yet.
  const inFlight = await prisma.amcExecutionEvent.create({
    data: { eventId: randomUUID(), amcInstanceId: 'inst', amcExecutionId: randomUUID(), status: 'SUCCEEDED', workflowId: report.workflowId, payload: {} },
  });
  const failsForGood = await prisma.amcExecutionEvent.create({
    data: { eventId: randomUUID(), amcInstanceId: 'inst', amcExecutionId: randomUUID(), status: 'SUCCEEDED', workflowId: report.workflowId, payload: {} },
  });
  await worker.pause();
  // Week 1 arrives late, while more of the replay waits: its own set and the refresh of weeks 2-4 are held in one pass.
  const [week1, later1] = await createExecution(report, 1, 7);
  await requestExecutionInsights(prisma, queue, report.configurationId, week1, later1, DELAY_MS, { workflowBacklog: true });
  const held = (await regeneration())!;
  expect(await held.isDelayed()).toBe(true);
  expect(dueIn(held)).toBeGreaterThan(hold - 2_000);
  expect(await queue.getJobs(['waiting'])).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  // Week 0 arrives under an insight backlog (requestExecutionInsights then asks for these two): its
  // set joins the report's pass, which therefore runs at once, computing only the sets nobody has
  // (weeks 0 and 1), and remembers when the held refreshes were asked for.
  const [week0, later0] = await createExecution(report, 0, 8);
  await requestInsightRegeneration(prisma, queue, report.configurationId, [week0], 0, { scope: 'fresh' });
  await requestInsightRegeneration(prisma, queue, report.configurationId, later0, hold, { hold: true });
  const fresh = (await regeneration())!;
  expect(fresh.id).not.toBe(held.id);
  expect(await held.getState()).toBe('unknown');
  expect(fresh.data).toEqual({ configurationId: report.configurationId, scope: 'fresh', since: held.timestamp });
  expect(await fresh.isWaiting()).toBe(true);

  worker.resume();
  await until('the sets of weeks 0 and 1', completed(week0, week1), 20_000, 100);
  // The full pass the fresh one asked for is due when the held one was, not a whole hold after the fresh pass.
  const full = await until('the full pass after the fresh one', async () => {
    const job = await regeneration();
    return job && job.id !== fresh.id && (await job.isDelayed()) ? job : null;
  }, 20_000, 100);
  expect(full.data).toEqual({ configurationId: report.configurationId, since: held.timestamp });
  expect(full.timestamp + (full.delay ?? 0)).toBeLessThanOrEqual(held.timestamp + hold + 1_000);
  expect(dueIn(full)).toBeLessThan(hold - 2_500);
  expect(await completed(...later1)()).toBe(false);

  // Nothing is released while an event of the workflow is in flight; once the replay's last one is
  // processed, or failed for good (report.update's recordFailure), the pass is due within the
  // normal delay, and every set matches recomputing everything.
  expect(await releaseHeldRegenerations(prisma, queue, report.workflowId, [report.configurationId], DELAY_MS)).toBe(0);
  await prisma.amcExecutionEvent.update({ where: { id: inFlight.id }, data: { processedAt: new Date() } });
  expect(await releaseHeldRegenerations(prisma, queue, report.workflowId, [report.configurationId], DELAY_MS)).toBe(0);
  await markEventFailed(prisma, failsForGood.id, 'result host unreachable', true);
  const done = settled(report);
  expect(await releaseHeldRegenerations(prisma, queue, report.workflowId, [report.configurationId], DELAY_MS)).toBe(1);
  expect(dueIn((await queue.getJob(full.id!))!)).toBeLessThanOrEqual(DELAY_MS);
  await done;
  for (const executionId of await usableExecutions(report)) expect(await stored(report, executionId)).toEqual(await recomputedFromScratch(report, executionId));
}, 120_000);

it('a set computed from a history another writer has replaced since is not stored', async () => {
  const report = await seedFunnelReport(prisma, { weeks: samples.slice(0, 3) });
  const executionId = report.executionIds[2];
  const first = await storeInsightSets(prisma, report.configurationId, PROMPT_VERSION, 'job-a', [{ executionId, insights: [], fingerprint: 'newer', expected: null }]);
  expect(first).toMatchObject({ written: [executionId], conflicts: [] });
  const { insights } = await composeInsights({ dashboardType: 'funnel', latest: samples[2], history: samples.slice(0, 3), views: [] }, null);
  const late = await storeInsightSets(prisma, report.configurationId, PROMPT_VERSION, 'job-b', [{ executionId, insights, fingerprint: 'older', expected: null }]);
  expect(late).toMatchObject({ written: [], conflicts: [executionId], insightCount: 0 });
  expect(await stored(report, executionId)).toEqual([]);
  expect((await prisma.insightGeneration.findFirstOrThrow({ where: { executionId } })).historyFingerprint).toBe('newer');
});
