import { Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { createTestDatabase, requireTestEnv, waitForBusEvent, type TestDatabase } from '@amc-reports/testing';
import { errorBody, startFakeOpenAiServer, type FakeOpenAiServer } from '@amc-reports/testing/src/fake-openai-server';
import type { InsightsGeneratedEvent } from '@amc-reports/contracts';
import { addDays, dayStart } from '@amc-reports/dashboards/src/time-window';
import { answeringLlm } from '../test/fake-llm-answers';
import { loadWeeklyHistory } from '../test/profile-from-csv';
import { seedFunnelReport, type SeededReport } from '../test/seed-report';
import { composeInsights } from './insight-composer';
import { InsightGenerationService, type InsightGenerationConfig } from './insight-generation.service';
import { replaceExecutionInsights } from './insight-store';
import { PROMPT_VERSION } from './wording/insight-prompt';

let database: TestDatabase;
let prisma: PrismaClient;
let server: FakeOpenAiServer;
const services: InsightGenerationService[] = [];
const redisUrl = requireTestEnv('redisUrl');
const context = { jobId: 'ins-test', attempt: 1 };

beforeAll(async () => {
  Logger.overrideLogger(false); // the service logs a structured line per step; the assertions say what matters
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  server = await startFakeOpenAiServer();
});
afterEach(() => server.reset());
afterAll(async () => {
  await Promise.all(services.map((service) => service.onApplicationShutdown()));
  await prisma?.$disconnect();
  await database?.drop();
  await server?.close();
});

function serviceWith(config: Partial<InsightGenerationConfig> = {}): InsightGenerationService {
  const service = new InsightGenerationService(prisma, {
    REDIS_URL: redisUrl, OPENAI_MODEL: 'fake-model', OPENAI_TIMEOUT_MS: 2_000, OPENAI_MAX_RETRIES: 0, ...config,
  });
  services.push(service);
  return service;
}
const statisticalService = () => serviceWith();
const llmService = () => serviceWith({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseURL });

interface StoredInsight {
  id: string;
  view_key: string;
  finding_id: string;
  insight_type: string;
  insight_text: string;
  confidence_score: number;
  ai_model: string;
  prompt_version: string;
  source_data: { finding: { statistics: Record<string, number> }; numbers: Record<string, number>; executionIds: string[] };
}

async function storedInsights(report: SeededReport, executionId: string): Promise<StoredInsight[]> {
  return prisma.$queryRaw<StoredInsight[]>`
    SELECT i.id, v.view_key, i.finding_id, i.insight_type, i.insight_text, i.confidence_score::float8 AS confidence_score,
           i.ai_model, i.prompt_version, i.source_data
    FROM dashboard_insights i JOIN dashboard_views v ON v.id = i.dashboard_view_id
    WHERE v.report_configuration_id = ${report.configurationId}::uuid AND i.execution_id = ${executionId}::uuid
    ORDER BY i.confidence_score DESC, i.finding_id`;
}

const byFinding = (rows: StoredInsight[], findingId: string) => {
  const row = rows.find((candidate) => candidate.finding_id === findingId);
  if (!row) throw new Error(`no ${findingId} among ${rows.map((candidate) => candidate.finding_id).join(', ')}`);
  return row;
};
const withoutIds = (rows: StoredInsight[]) => rows.map(({ id: _id, ...rest }) => rest);
const week = (report: SeededReport, n: number) => ({ configurationId: report.configurationId, executionId: report.executionIds[n - 1] });

describe('InsightGenerationService without an OpenAI key', () => {
  it('stores week 7’s findings worded by templates, ai_model statistical, the collapse ranked by confidence', async () => {
    const report = await seedFunnelReport(prisma);
    const outcome = await statisticalService().generate(week(report, 7), context);
    const rows = await storedInsights(report, report.executionIds[6]);

    // The same findings as the in-memory sample: the loader read weeks 1–7 and nothing after.
    const weeks = loadWeeklyHistory();
    const expected = await composeInsights({ dashboardType: 'funnel', latest: weeks[6], history: weeks.slice(0, 7), views: [] }, null);
    expect(rows.map((row) => row.finding_id).sort()).toEqual(expected.insights.map((insight) => insight.findingId).sort());
    expect(outcome).toEqual({
      status: 'generated', insightCount: rows.length, aiModel: 'statistical', llmInsightCount: 0, droppedCount: 0, fallbackReason: 'no_llm_configured',
    });
    for (const row of rows) {
      expect(row).toMatchObject({ ai_model: 'statistical', prompt_version: PROMPT_VERSION });
      expect(row.confidence_score).toBeGreaterThanOrEqual(0);
      expect(row.confidence_score).toBeLessThanOrEqual(1);
    }

    // Week 7 purchases / add_to_cart = 588 / 4,799 = 12.25 % against 42.14 % expected from weeks 1–6
    // (find-insights.spec: established by sales per purchase, $169.59 against $16.76 .. $125.89).
    const anomaly = byFinding(rows, 'anomaly.purchases_of_add_to_cart');
    expect(anomaly.confidence_score).toBe(0.59);
    expect(anomaly.source_data.numbers).toMatchObject({ latest: 12.25, expected: 42.14, changePct: -70.92, purchasesChangePct: -84.93, evidenceLatest: 169.59 });
    expect(anomaly.source_data.executionIds).toEqual(report.executionIds.slice(0, 7));
    expect(anomaly.insight_text).toContain('12.25%');
    for (const comparison of rows.filter((row) => row.insight_type === 'comparison')) expect(anomaly.confidence_score).toBeGreaterThan(comparison.confidence_score);
    for (const row of rows) expect(row.source_data.executionIds).not.toContain(report.executionIds[7]);

    // Each insight sits on the view that charts its metric; the summary on the insight view.
    expect(byFinding(rows, 'summary.totals').view_key).toBe('insights');
    expect(byFinding(rows, 'comparison.clicks').view_key).toBe('funnel.campaigns');
  });

  it('announces insights.generated with the report, the execution, the count and the model', async () => {
    const report = await seedFunnelReport(prisma);
    const waiter = await waitForBusEvent<InsightsGeneratedEvent>(redisUrl, 'insights.generated', (event) => event.executionId === report.executionIds[6]);
    await waiter.subscribed;
    const outcome = await statisticalService().generate(week(report, 7), context);
    const event = await waiter.event;
    expect(event).toMatchObject({ reportId: report.configurationId, executionId: report.executionIds[6], aiModel: 'statistical' });
    expect(event.insightCount).toBe(outcome.status === 'generated' ? outcome.insightCount : -1);
    expect(Number.isNaN(Date.parse(event.occurredAt))).toBe(false);
  });

  it('a rerun over the same history leaves the stored set as it is, and earlier executions’ insights alone', async () => {
    const report = await seedFunnelReport(prisma);
    const service = statisticalService();
    await service.generate(week(report, 6), context);
    const week6 = await storedInsights(report, report.executionIds[5]);
    await service.generate(week(report, 7), context);
    const first = await storedInsights(report, report.executionIds[6]);
    expect(await service.generate(week(report, 7), { ...context, attempt: 2 })).toEqual({ status: 'skipped', reason: 'history_unchanged' });
    expect(await storedInsights(report, report.executionIds[6])).toEqual(first);

    // The history changed (the fingerprint is forgotten, as when week 6 is re-run): the set is replaced by an equal one.
    await prisma.insightGeneration.updateMany({ where: { executionId: report.executionIds[6] }, data: { historyFingerprint: null } });
    expect(await service.generate(week(report, 7), { ...context, attempt: 3 })).toMatchObject({ status: 'generated' });
    const again = await storedInsights(report, report.executionIds[6]);
    expect(withoutIds(again)).toEqual(withoutIds(first));
    expect(again.map((row) => row.id)).not.toEqual(first.map((row) => row.id));
    expect(await storedInsights(report, report.executionIds[5])).toEqual(week6);
    expect(week6.length).toBeGreaterThan(0);
  });

  it('stores one set when two deliveries of the same job run at once', async () => {
    const report = await seedFunnelReport(prisma);
    const [first, second] = [statisticalService(), statisticalService()];
    const outcomes = await Promise.all([first, second, first, second].map((service, attempt) => service.generate(week(report, 7), { ...context, attempt })));
    const rows = await storedInsights(report, report.executionIds[6]);
    expect(rows).toHaveLength(outcomes[0].status === 'generated' ? outcomes[0].insightCount : -1);
    expect(new Set(rows.map((row) => row.finding_id)).size).toBe(rows.length);
  });

  it('states week 8 as the return to normal after week 7, with both windows, and no anomaly', async () => {
    const report = await seedFunnelReport(prisma);
    await statisticalService().generate(week(report, 8), context);
    const rows = await storedInsights(report, report.executionIds[7]);
    // Purchases ÷ add to cart: 38.51 % in week 8 against the 43.32 % median of weeks 1–6, after 12.25 % in week 7.
    const recovery = byFinding(rows, 'comparison.recovery.purchases_of_add_to_cart');
    expect(recovery.source_data.numbers).toMatchObject({ latest: 38.51, baselineMedian: 43.32, previous: 12.25, changePct: 214.31 });
    expect(recovery.insight_text).toMatch(/^Purchases \(of add to cart\) back to the 6-week median in Oct 26 – Nov 1 after the drop of Oct 19–25:/);
    expect(recovery.source_data.executionIds).toEqual(report.executionIds);
    expect(recovery.confidence_score).toBeLessThan(0.45);
    expect(rows.filter((row) => row.insight_type === 'anomaly')).toEqual([]);
    // The sample's impressions fall, but not steadily enough to be a trend at 0.1 %.
    expect(rows.filter((row) => row.insight_type === 'trend')).toEqual([]);
  });

  it('names a New York week by the days the dashboard shows, not by its UTC instants', async () => {
    // The same 8 weeks as AMC sends local weeks of New York: from a local midnight (04:00Z or 05:00Z)
    // to the next week's, exclusive. Read in UTC, week 8 would be Oct 26 – Nov 2, 8 days, and its
    // findings would count "executions", not weeks.
    const inNewYork = (day: string) => dayStart(day, 'America/New_York').toISOString();
    const weeks = loadWeeklyHistory().map((sample) => {
      const firstDay = sample.timeWindowStart.slice(0, 10);
      return { ...sample, timeWindowStart: inNewYork(firstDay), timeWindowEnd: inNewYork(addDays(firstDay, 7)), timeZone: 'America/New_York' };
    });
    const report = await seedFunnelReport(prisma, { weeks });
    await statisticalService().generate(week(report, 8), context);
    const recovery = byFinding(await storedInsights(report, report.executionIds[7]), 'comparison.recovery.purchases_of_add_to_cart');
    expect(recovery.insight_text).toMatch(/^Purchases \(of add to cart\) back to the 6-week median in Oct 26 – Nov 1 after the drop of Oct 19–25:/);
  });

  it('reads no more history than the report’s historyLength', async () => {
    // Six executions: weeks 3–8. The recovery reads every one of them (week 7's baseline is weeks 3–6).
    const report = await seedFunnelReport(prisma, { dataAggregationSettings: { historyLength: 6 } });
    await statisticalService().generate(week(report, 8), context);
    const rows = await storedInsights(report, report.executionIds[7]);
    const used = new Set(rows.flatMap((row) => row.source_data.executionIds));
    expect([...used].sort()).toEqual(report.executionIds.slice(2).sort());
  });
});

describe('InsightGenerationService skips stale jobs with a reason', () => {
  const setExecution = (data: object) => (report: SeededReport) => prisma.workflowExecution.update({ where: { id: report.executionIds[6] }, data });
  it.each([
    ['a disabled report', 'configuration_disabled', (report: SeededReport) =>
      prisma.reportConfiguration.update({ where: { id: report.configurationId }, data: { isEnabled: false } })],
    ['a deleted report', 'configuration_missing', (report: SeededReport) => prisma.reportConfiguration.delete({ where: { id: report.configurationId } })],
    ['a FAILED execution', 'execution_not_succeeded', setExecution({ status: 'FAILED' })],
    ['an execution whose result was refused', 'execution_unusable', setExecution({ errorCode: 'RESULT_REFUSED', error: 'refused' })],
    ['a superseded execution', 'execution_superseded', (report: SeededReport) => setExecution({ supersededBy: report.executionIds[7] })(report)],
    ['a report without views', 'no_views', (report: SeededReport) => prisma.dashboardView.deleteMany({ where: { reportConfigurationId: report.configurationId } })],
  ])('%s → %s, nothing stored', async (_label, reason, change) => {
    const report = await seedFunnelReport(prisma);
    await change(report);
    expect(await statisticalService().generate(week(report, 7), context)).toMatchObject({ status: 'skipped', reason });
    expect(await prisma.dashboardInsight.count({ where: { executionId: report.executionIds[6] } })).toBe(0);
  });

  it('still generates for an execution another report of the workflow could not use (REPORT_UNUSABLE)', async () => {
    const report = await seedFunnelReport(prisma);
    await prisma.workflowExecution.update({ where: { id: report.executionIds[6] }, data: { errorCode: 'REPORT_UNUSABLE', error: 'another report' } });
    expect(await statisticalService().generate(week(report, 7), context)).toMatchObject({ status: 'generated' });
  });

  it('fails for good, without retries, on an execution of another workflow', async () => {
    const [mine, theirs] = [await seedFunnelReport(prisma), await seedFunnelReport(prisma)];
    const job = { configurationId: mine.configurationId, executionId: theirs.executionIds[6] };
    await expect(statisticalService().generate(job, context)).rejects.toBeInstanceOf(UnrecoverableError);
  });
});

describe('InsightGenerationService with an OpenAI-compatible server', () => {
  it('stores the model’s name on the rows it worded, every number verified', async () => {
    const report = await seedFunnelReport(prisma);
    server.enqueue(answeringLlm());
    const waiter = await waitForBusEvent<InsightsGeneratedEvent>(redisUrl, 'insights.generated', (event) => event.executionId === report.executionIds[6]);
    await waiter.subscribed;
    const outcome = await llmService().generate(week(report, 7), context);
    const rows = await storedInsights(report, report.executionIds[6]);

    expect(server.requests).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'generated', aiModel: 'fake-model', droppedCount: 0, llmInsightCount: rows.length });
    expect(rows.every((row) => row.ai_model === 'fake-model' && row.insight_text.startsWith('In short: '))).toBe(true);
    expect(byFinding(rows, 'anomaly.purchases_of_add_to_cart').confidence_score).toBe(0.59);
    expect(await waiter.event).toMatchObject({ aiModel: 'fake-model', insightCount: rows.length });
  });

  it('drops an LLM insight that cites a number not in the data and stores the rest', async () => {
    const report = await seedFunnelReport(prisma);
    const madeUp = 'The add-to-cart → purchase rate collapsed to 9.7%.';
    server.enqueue(answeringLlm((finding) => (finding.id === 'anomaly.purchases_of_add_to_cart' ? madeUp : undefined)));
    const outcome = await llmService().generate(week(report, 7), context);
    const rows = await storedInsights(report, report.executionIds[6]);

    expect(outcome).toMatchObject({ status: 'generated', aiModel: 'fake-model', droppedCount: 1, llmInsightCount: rows.length - 1 });
    const anomaly = byFinding(rows, 'anomaly.purchases_of_add_to_cart');
    expect(anomaly.ai_model).toBe('statistical');
    expect(anomaly.insight_text).not.toContain('9.7');
    expect(rows.filter((row) => row.ai_model === 'fake-model')).toHaveLength(rows.length - 1);
    expect(JSON.stringify(rows)).not.toContain('9.7%');
  });

  it('falls back to templates when the LLM keeps failing, and the job still succeeds', async () => {
    const report = await seedFunnelReport(prisma);
    server.setFallback({ status: 503, body: errorBody('overloaded') });
    const outcome = await llmService().generate(week(report, 7), context);
    expect(outcome).toMatchObject({ status: 'generated', aiModel: 'statistical', fallbackReason: 'llm_server_error' });
    const rows = await storedInsights(report, report.executionIds[6]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.ai_model === 'statistical')).toBe(true);
  });
});

describe('replaceExecutionInsights', () => {
  it('puts an insight whose view is gone on the first view', async () => {
    const report = await seedFunnelReport(prisma);
    const weeks = loadWeeklyHistory();
    const { insights } = await composeInsights({ dashboardType: 'funnel', latest: weeks[6], history: weeks.slice(0, 7), views: [] }, null);
    const [first] = insights;
    await replaceExecutionInsights(prisma, {
      configurationId: report.configurationId, executionId: report.executionIds[6], promptVersion: PROMPT_VERSION,
      insights: [{ ...first, viewKey: 'funnel.removed-view' }, { ...first, viewKey: undefined }],
    });
    const rows = await storedInsights(report, report.executionIds[6]);
    expect(rows.map((row) => row.view_key)).toEqual(['funnel.stages', 'funnel.stages']);
  });
});
