import type { PrismaClient } from '@amc-reports/db';
import type { FeedbackWeight } from './findings/feedback-weights';

/**
 * What users said about this report's earlier insights (insight_feedback, read as the owner role):
 * verdicts counted per finding kind, metric and dimension, over executions whose window starts
 * before this one's. A late rerun of an old execution is not weighed by what users said about
 * the weeks after it. Ordered, since the weights are part of an insight set's history fingerprint.
 */
export async function loadFeedbackWeights(prisma: PrismaClient, configurationId: string, windowStart: Date): Promise<FeedbackWeight[]> {
  return (await loadFeedbackWeightsByWindowStart(prisma, configurationId, [windowStart])).get(windowStart.getTime()) ?? [];
}

/** The same weights for several window starts (a regeneration pass), in one query; keyed by the start's epoch milliseconds. */
export async function loadFeedbackWeightsByWindowStart(
  prisma: PrismaClient, configurationId: string, windowStarts: readonly Date[],
): Promise<Map<number, FeedbackWeight[]>> {
  const byStart = new Map<number, FeedbackWeight[]>(windowStarts.map((start) => [start.getTime(), []]));
  if (byStart.size === 0) return byStart;
  // Each start once: a start given twice would count its feedback twice.
  const starts = [...byStart.keys()].map((time) => new Date(time));
  const rows = await prisma.$queryRaw<Array<FeedbackWeight & { window_start: Date }>>`
    SELECT s.window_start, f.finding_kind AS kind, f.metric, f.dimension,
           count(*) FILTER (WHERE f.verdict = 'dismissed')::int AS dismissed,
           count(*) FILTER (WHERE f.verdict = 'useful')::int AS useful
    FROM unnest(${starts}::timestamptz[]) AS s(window_start)
    JOIN insight_feedback f ON f.report_configuration_id = ${configurationId}::uuid
    JOIN workflow_executions e ON e.id = f.execution_id AND e.time_window_start < s.window_start
    GROUP BY s.window_start, f.finding_kind, f.metric, f.dimension
    ORDER BY s.window_start, f.finding_kind, f.metric NULLS FIRST, f.dimension NULLS FIRST`;
  for (const { window_start: start, ...weight } of rows) byStart.get(start.getTime())?.push(weight);
  return byStart;
}
