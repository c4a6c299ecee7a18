import type { PrismaClient } from '@amc-reports/db';
import type { ComposedInsight } from './insight-composer';

export interface InsightSet {
  configurationId: string;
  executionId: string;
  promptVersion: string;
  insights: readonly ComposedInsight[];
}

/**
 * Replaces one execution's insights for one configuration in a single transaction: a rerun of
 * the same job (at-least-once delivery) leaves the same set, and earlier executions' insights
 * stay as history. Returns the number of rows written.
 *
 * Three statements in one batch transaction rather than an interactive one: the bench showed
 * Prisma's interactive transaction (lock, find views, delete, createMany) costing ~10 ms, the
 * largest share of a configuration's time; this is ~3 ms.
 */
export async function replaceExecutionInsights(prisma: PrismaClient, set: InsightSet): Promise<number> {
  const rows = set.insights.map((insight, ordinal) => ({
    ordinal,
    view_key: insight.viewKey ?? null,
    finding_id: insight.findingId,
    insight_type: insight.insightType,
    insight_text: insight.text,
    // numeric(3,2): a string keeps 0.59 from arriving as 0.58999999.
    confidence_score: insight.confidenceScore.toFixed(2),
    source_data: insight.sourceData,
    ai_model: insight.aiModel,
  }));
  const [, , inserted] = await prisma.$transaction([
    // Two deliveries of the same job at once (a stalled job picked up again) would each delete
    // nothing and both insert under READ COMMITTED; this lock makes them take turns, and the
    // statements after it see what the other committed.
    prisma.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`insights:${set.configurationId}:${set.executionId}`}, 0))`,
    prisma.$executeRaw`
      DELETE FROM dashboard_insights i USING dashboard_views v
      WHERE v.id = i.dashboard_view_id AND v.report_configuration_id = ${set.configurationId}::uuid
        AND i.execution_id = ${set.executionId}::uuid`,
    // Views are matched here, inside the transaction, not when the insights were composed: a
    // rebuild may have removed one since. An insight whose view is gone (or that had none) still
    // belongs on the dashboard: the first view. No views at all → nothing to hang insights from.
    prisma.$executeRaw`
      INSERT INTO dashboard_insights (dashboard_view_id, execution_id, finding_id, insight_type, insight_text, confidence_score,
                                      source_data, ai_model, prompt_version)
      SELECT COALESCE(v.id, first_view.id), ${set.executionId}::uuid, r.finding_id, r.insight_type, r.insight_text, r.confidence_score,
             r.source_data, r.ai_model, ${set.promptVersion}
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(ordinal int, view_key text, finding_id text, insight_type text,
                                                                    insight_text text, confidence_score numeric, source_data jsonb, ai_model text)
      CROSS JOIN (SELECT id FROM dashboard_views WHERE report_configuration_id = ${set.configurationId}::uuid
                  ORDER BY position, view_key LIMIT 1) first_view
      LEFT JOIN dashboard_views v ON v.report_configuration_id = ${set.configurationId}::uuid AND v.view_key = r.view_key
      ORDER BY r.ordinal`,
  ]);
  return inserted;
}
