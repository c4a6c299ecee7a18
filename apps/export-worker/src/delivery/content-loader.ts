import type { ChartSpec } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView, BuiltViewData, ViewType } from '@amc-reports/contracts/src/dashboard-view';
import type { PrismaClient } from '@amc-reports/db';
import { findingStrength, minInsightConfidenceOf } from '../export-insights';
import { WEAK_FINDING_STRENGTH } from '@amc-reports/contracts';
import { collectDeliveryMetrics, type DeliveryContent, type InsightLine } from './delivery-content';

const INSIGHTS_LOADED = 20;
/** One execution's content is the same for all its subscriptions: kept this long for the fan-out's sends. */
const CACHE_TTL_MS = 30_000;
const CACHE_SIZE = 64;

/**
 * Loads what a delivery reports on: the report, the execution, the dashboard's headline numbers
 * and the execution's insights. A fan-out of 1,000 subscriptions reads it once (a short-lived
 * cache of content only: whether a delivery was sent is decided by the deliveries table).
 */
export class DeliveryContentLoader {
  private readonly cache = new Map<string, { at: number; content: Promise<DeliveryContent | null> }>();

  constructor(private readonly prisma: PrismaClient, private readonly publicUrl: string) {}

  load(configurationId: string, executionId: string | null): Promise<DeliveryContent | null> {
    const key = `${configurationId}:${executionId ?? ''}`;
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < CACHE_TTL_MS) return cached.content;
    const content = this.read(configurationId, executionId);
    content.catch(() => this.cache.delete(key));
    this.cache.set(key, { at: now, content });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return content;
  }

  private async read(configurationId: string, executionId: string | null): Promise<DeliveryContent | null> {
    const report = await this.prisma.reportConfiguration.findUnique({ where: { id: configurationId }, select: { id: true, name: true, dashboardType: true, exportSettings: true } });
    if (!report) return null;
    const minConfidence = minInsightConfidenceOf(report.exportSettings);
    const execution = executionId
      ? await this.prisma.workflowExecution.findUnique({
        where: { id: executionId }, select: { id: true, timeWindowStart: true, timeWindowEnd: true, timeZone: true, completedAt: true, rowCount: true },
      })
      : null;
    const views = await this.prisma.dashboardView.findMany({
      where: { reportConfigurationId: configurationId }, orderBy: [{ position: 'asc' }, { viewKey: 'asc' }],
      select: { viewKey: true, name: true, viewType: true, position: true, chartConfigurations: true, processedData: true },
    });
    const built: BuiltView[] = views.map((view) => ({
      key: view.viewKey, name: view.name, viewType: view.viewType as ViewType, position: view.position,
      chart: view.chartConfigurations as unknown as ChartSpec, data: (view.processedData ?? { rows: [] }) as unknown as BuiltViewData,
    }));
    const insights = executionId
      ? await this.prisma.dashboardInsight.findMany({
        where: { executionId, dashboardView: { reportConfigurationId: configurationId } },
        orderBy: [{ confidenceScore: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }], take: INSIGHTS_LOADED,
        select: { insightType: true, insightText: true, confidenceScore: true, sourceData: true },
      })
      : [];
    return {
      report: { id: report.id, name: report.name, dashboardType: report.dashboardType },
      execution,
      metrics: collectDeliveryMetrics(built),
      insights: insights.map((insight): InsightLine => {
        const finding = (insight.sourceData as { finding?: { metric?: unknown; metricLabel?: unknown } } | null)?.finding;
        return {
          type: insight.insightType, text: insight.insightText, confidence: Number(insight.confidenceScore),
          metric: typeof finding?.metric === 'string' ? finding.metric : null,
          metricLabel: typeof finding?.metricLabel === 'string' ? finding.metricLabel : null,
          clientGrade: Number(insight.confidenceScore) >= minConfidence && (findingStrength(insight.sourceData) ?? 1) >= WEAK_FINDING_STRENGTH,
        };
      }),
      dashboardUrl: `${this.publicUrl}/app/#/reports/${report.id}`,
    };
  }
}
