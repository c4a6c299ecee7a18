import type { PrismaClient } from '@amc-reports/db';
import type { FeedbackWeight } from './findings/feedback-weights';

/**
 * What users said about this report's earlier insights (insight_feedback, read as the owner role):
 * verdicts counted per finding kind, metric and dimension, over executions whose window starts
 * before this one's. A late rerun of an old execution is not weighed by what users said about
 * the weeks after it.
 */
export async function loadFeedbackWeights(prisma: PrismaClient, configurationId: string, windowStart: Date): Promise<FeedbackWeight[]> {
  return prisma.$queryRaw<FeedbackWeight[]>`
    SELECT f.finding_kind AS kind, f.metric, f.dimension,
           count(*) FILTER (WHERE f.verdict = 'dismissed')::int AS dismissed,
           count(*) FILTER (WHERE f.verdict = 'useful')::int AS useful
    FROM insight_feedback f JOIN workflow_executions e ON e.id = f.execution_id
    WHERE f.report_configuration_id = ${configurationId}::uuid AND e.time_window_start < ${windowStart}
    GROUP BY f.finding_kind, f.metric, f.dimension`;
}
