import type { RawSql } from './raw-sql';

/** One execution of a report's workflow as the report sees it (libs/dashboards ExecutionRecord). */
export interface ReportExecutionRow {
  id: string;
  status: string;
  timeWindowStart: Date;
  timeWindowEnd: Date;
  timeZone: string | null;
  completedAt: Date | null;
  createdAt: Date;
  errorCode: string | null;
  error: string | null;
  supersededBy: string | null;
  hasProfile: boolean;
  rowCount: number | null;
  filteredRowCount: number | null;
  reportProblem: { code: string; message: string } | null;
}

/**
 * A workflow's executions, newest first, never more than this (years of weekly runs). Newest is
 * the one AMC completed last (the event's time, else when the gateway accepted it), not the row's
 * creation: two events handled at once (REPORT_CONCURRENCY) can create their rows in either order.
 */
export const REPORT_TIMELINE_MAX = 400;

/**
 * The executions of a report's workflow without their profiles (a profile can weigh hundreds of
 * KB), each with this report's own verdict from report_unusable_executions. The report service
 * and the gateway (under the caller's row-level security) read the history the same way.
 */
export async function readReportTimeline(client: RawSql, workflowId: string, reportId: string): Promise<ReportExecutionRow[]> {
  const rows = await client.$queryRaw<Array<{
    id: string; status: string; time_window_start: Date; time_window_end: Date; time_zone: string | null; completed_at: Date | null;
    created_at: Date; error_code: string | null; error: string | null; superseded_by: string | null; has_profile: boolean;
    row_count: number | null; filtered_row_count: number | null; problem_code: string | null; problem: string | null;
  }>>`
    SELECT e.id, e.status, e.time_window_start, e.time_window_end, e.time_zone, e.completed_at, e.created_at, e.error_code, e.error,
           e.superseded_by, e.result_profile IS NOT NULL AS has_profile, e.row_count, e.filtered_row_count,
           u.error_code AS problem_code, u.error AS problem
    FROM workflow_executions e
    LEFT JOIN report_unusable_executions u ON u.execution_id = e.id AND u.report_configuration_id = ${reportId}::uuid
    WHERE e.workflow_id = ${workflowId}::uuid
    ORDER BY e.completed_at DESC NULLS LAST, e.created_at DESC, e.id LIMIT ${REPORT_TIMELINE_MAX}`;
  return rows.map((row) => ({
    id: row.id, status: row.status, timeWindowStart: row.time_window_start, timeWindowEnd: row.time_window_end, timeZone: row.time_zone,
    completedAt: row.completed_at, createdAt: row.created_at, errorCode: row.error_code, error: row.error, supersededBy: row.superseded_by,
    hasProfile: row.has_profile, rowCount: row.row_count, filteredRowCount: row.filtered_row_count,
    reportProblem: row.problem_code && row.problem ? { code: row.problem_code, message: row.problem } : null,
  }));
}
