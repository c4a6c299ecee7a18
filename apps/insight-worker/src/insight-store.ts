import type { PrismaClient } from '@amc-reports/db';
import type { ComposedInsight } from './insight-composer';

export interface InsightSet {
  configurationId: string;
  executionId: string;
  promptVersion: string;
  insights: readonly ComposedInsight[];
}

/** One execution's new set, with the fingerprint it was computed from and the one it replaces. */
export interface FingerprintedSet {
  executionId: string;
  insights: readonly ComposedInsight[];
  fingerprint: string;
  /** The stored fingerprint the computation started from (null: none); the write is conditional on it. */
  expected: string | null;
}

export interface StoreResult {
  /** Executions whose sets were replaced. */
  written: string[];
  /** Executions another writer stored a set for since this one read: left as they are. */
  conflicts: string[];
  insightCount: number;
}

/**
 * Replaces the insight sets of several executions of one configuration in one transaction of five
 * statements, however many executions: lock, delete, insert, fingerprints. Each set is stored only
 * if the execution's stored fingerprint is still the one its computation started from, so a slow
 * computation over an older history never overwrites a newer one (the caller asks for another
 * regeneration for the conflicts). Earlier executions' insights stay as history; a rerun of the same
 * job (at-least-once delivery) leaves the same set.
 *
 * Batch transaction rather than an interactive one: the bench showed Prisma's interactive
 * transaction costing ~10 ms, the largest share of a configuration's time.
 */
export async function storeInsightSets(
  prisma: PrismaClient, configurationId: string, promptVersion: string, ledgerJobId: string, sets: readonly FingerprintedSet[],
): Promise<StoreResult> {
  if (sets.length === 0) return { written: [], conflicts: [], insightCount: 0 };
  const guards = JSON.stringify(sets.map((set) => ({ execution_id: set.executionId, expected: set.expected, fingerprint: set.fingerprint })));
  const rows = JSON.stringify(sets.flatMap((set) => set.insights.map((insight, ordinal) => ({
    execution_id: set.executionId,
    ordinal,
    view_key: insight.viewKey ?? null,
    finding_id: insight.findingId,
    insight_type: insight.insightType,
    insight_text: insight.text,
    // numeric(3,2): a string keeps 0.59 from arriving as 0.58999999.
    confidence_score: insight.confidenceScore.toFixed(2),
    source_data: insight.sourceData,
    ai_model: insight.aiModel,
  }))));
  const lockKeys = sets.map((set) => `insights:${configurationId}:${set.executionId}`);
  // The sets whose stored fingerprint is unchanged; every statement below reads it the same way
  // (under the locks nobody else can change it), the last one changes it.
  const wanted = `SELECT s.execution_id, s.fingerprint FROM jsonb_to_recordset($1::jsonb) AS s(execution_id uuid, expected text, fingerprint text)
      LEFT JOIN insight_generations g ON g.report_configuration_id = $2::uuid AND g.execution_id = s.execution_id
      WHERE g.history_fingerprint IS NOT DISTINCT FROM s.expected`;
  const [, , inserted, stored] = await prisma.$transaction([
    // Two writers of the same execution at once (a stalled job picked up again, a regeneration
    // beside an execution's own job) take turns; taken in one order, so two batches never deadlock.
    prisma.$queryRaw`SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT hashtextextended(k, 0) AS h FROM unnest(${lockKeys}::text[]) AS k ORDER BY 1) AS keys`,
    prisma.$executeRawUnsafe(`
      DELETE FROM dashboard_insights i USING dashboard_views v, (${wanted}) w
      WHERE v.id = i.dashboard_view_id AND v.report_configuration_id = $2::uuid AND i.execution_id = w.execution_id`, guards, configurationId),
    // Views are matched here, inside the transaction, not when the insights were composed: a
    // rebuild may have removed one since. An insight whose view is gone (or that had none) still
    // belongs on the dashboard: the first view. No views at all → nothing to hang insights from.
    prisma.$executeRawUnsafe(`
      INSERT INTO dashboard_insights (dashboard_view_id, execution_id, finding_id, insight_type, insight_text, confidence_score,
                                      source_data, ai_model, prompt_version)
      SELECT COALESCE(v.id, first_view.id), r.execution_id, r.finding_id, r.insight_type, r.insight_text, r.confidence_score,
             r.source_data, r.ai_model, $4
      FROM jsonb_to_recordset($3::jsonb) AS r(execution_id uuid, ordinal int, view_key text, finding_id text, insight_type text,
                                               insight_text text, confidence_score numeric, source_data jsonb, ai_model text)
      JOIN (${wanted}) w ON w.execution_id = r.execution_id
      CROSS JOIN (SELECT id FROM dashboard_views WHERE report_configuration_id = $2::uuid ORDER BY position, view_key LIMIT 1) first_view
      LEFT JOIN dashboard_views v ON v.report_configuration_id = $2::uuid AND v.view_key = r.view_key
      ORDER BY r.execution_id, r.ordinal`, guards, configurationId, rows, promptVersion),
    // The ledger row keeps its request (job id, status: settled by the caller); a set computed for an
    // execution nobody asked about yet gets a completed row of its own.
    prisma.$queryRawUnsafe<Array<{ execution_id: string }>>(`
      INSERT INTO insight_generations (report_configuration_id, execution_id, job_id, status, history_fingerprint, finished_at)
      SELECT $2::uuid, w.execution_id, $3, 'completed', w.fingerprint, now() FROM (${wanted}) w
      ON CONFLICT (report_configuration_id, execution_id) DO UPDATE SET history_fingerprint = excluded.history_fingerprint
      RETURNING execution_id::text`, guards, configurationId, ledgerJobId),
  ]);
  const written = new Set(stored.map((row) => row.execution_id));
  return {
    written: sets.map((set) => set.executionId).filter((id) => written.has(id)),
    conflicts: sets.map((set) => set.executionId).filter((id) => !written.has(id)),
    insightCount: inserted,
  };
}

/**
 * One execution's set, whatever was stored before (tests and tools; the workers go through
 * storeInsightSets with fingerprints). Returns the number of rows written.
 */
export async function replaceExecutionInsights(prisma: PrismaClient, set: InsightSet): Promise<number> {
  const [current] = await prisma.$queryRaw<Array<{ history_fingerprint: string | null }>>`
    SELECT history_fingerprint FROM insight_generations
    WHERE report_configuration_id = ${set.configurationId}::uuid AND execution_id = ${set.executionId}::uuid`;
  const result = await storeInsightSets(prisma, set.configurationId, set.promptVersion, 'manual', [
    { executionId: set.executionId, insights: set.insights, fingerprint: 'manual', expected: current?.history_fingerprint ?? null },
  ]);
  return result.insightCount;
}
