import { ExportSettings, MIN_INSIGHT_CONFIDENCE_DEFAULT, WEAK_FINDING_STRENGTH } from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';
import type { ExportInsight } from './renderers/export-document';

/** Insights an export carries: the strongest of the execution, like the dashboard shows them. */
const INSIGHTS_EXPORTED = 20;

/** export_settings.minInsightConfidence, or the default 0.3. */
export function minInsightConfidenceOf(exportSettings: unknown): number {
  const parsed = ExportSettings.safeParse(exportSettings ?? {});
  return parsed.success && parsed.data.minInsightConfidence !== undefined ? parsed.data.minInsightConfidence : MIN_INSIGHT_CONFIDENCE_DEFAULT;
}

/** The statistical strength of the finding behind an insight (source_data.finding.strength), when it says. */
export function findingStrength(sourceData: unknown): number | undefined {
  const strength = (sourceData as { finding?: { strength?: unknown } } | null)?.finding?.strength;
  return typeof strength === 'number' && Number.isFinite(strength) ? strength : undefined;
}

/**
 * What a client reads: the execution's insights at or above the report's minimum confidence,
 * strongest first, never one whose finding is weak (its statistical strength under
 * WEAK_FINDING_STRENGTH), whatever the report's setting says.
 */
export async function loadExportInsights(
  prisma: PrismaClient, reportId: string, executionId: string, minConfidence: number, viewId?: string,
): Promise<ExportInsight[]> {
  const rows = await prisma.dashboardInsight.findMany({
    where: { executionId, confidenceScore: { gte: minConfidence }, dashboardView: { reportConfigurationId: reportId }, ...(viewId ? { dashboardViewId: viewId } : {}) },
    orderBy: [{ confidenceScore: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
    take: INSIGHTS_EXPORTED * 2,
    select: { insightType: true, insightText: true, confidenceScore: true, sourceData: true },
  });
  return rows
    .filter((row) => (findingStrength(row.sourceData) ?? 1) >= WEAK_FINDING_STRENGTH)
    .slice(0, INSIGHTS_EXPORTED)
    .map((row) => ({ insightType: row.insightType, text: row.insightText, confidenceScore: Number(row.confidenceScore) }));
}
