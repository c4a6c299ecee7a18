import type { api } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';

/**
 * The caller's verdicts on a list of insights, by insight id, inside their RLS transaction (the
 * policies show a user only their own rows). Matched by execution and finding, not by insight id:
 * a verdict outlives the insight set being regenerated.
 */
export async function readVerdicts(
  tx: TransactionClient,
  reportId: string,
  insights: ReadonlyArray<{ id: string; executionId: string; findingId: string }>,
): Promise<Map<string, api.InsightVerdict>> {
  const verdicts = new Map<string, api.InsightVerdict>();
  if (insights.length === 0) return verdicts;
  const rows = await tx.insightFeedback.findMany({
    where: { reportConfigurationId: reportId, executionId: { in: [...new Set(insights.map((insight) => insight.executionId))] } },
    select: { executionId: true, findingId: true, verdict: true },
  });
  const byFinding = new Map(rows.map((row) => [`${row.executionId}|${row.findingId}`, row.verdict as api.InsightVerdict]));
  for (const insight of insights) {
    const verdict = byFinding.get(`${insight.executionId}|${insight.findingId}`);
    if (verdict) verdicts.set(insight.id, verdict);
  }
  return verdicts;
}
