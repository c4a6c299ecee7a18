import type { ReportExecutionRow } from '@amc-reports/db';
import { executionState, formatDays, windowDays } from '@amc-reports/dashboards';

/** An AMC window for the API: its instants, and the days it covers as AMC means them ("Nov 2 – Nov 8, 2026"). */
export function timeWindowView(start: Date | string, end: Date | string, timeZone: string | null | undefined) {
  const window = { start: new Date(start).toISOString(), end: new Date(end).toISOString(), timeZone };
  const { first, last, timeZone: zone } = windowDays(window);
  return { start: window.start, end: window.end, timeZone: zone, firstDay: first, lastDay: last, label: formatDays(first, last) };
}

export type RunStateRow = Omit<ReportExecutionRow, 'hasProfile' | 'reportProblem'> & Partial<Pick<ReportExecutionRow, 'hasProfile' | 'reportProblem'>>;

/**
 * One execution as the dashboard's history and header show it. `outcome` is this report's view of
 * it: a SUCCEEDED run whose result the report cannot use is `unusable`, never a green tick.
 */
export function runState(execution: RunStateRow) {
  const { state, reason } = executionState({ ...execution, hasProfile: execution.hasProfile ?? execution.rowCount !== null, reportProblem: execution.reportProblem ?? null });
  const problem = execution.reportProblem;
  return {
    executionId: execution.id,
    status: execution.status,
    timeWindow: timeWindowView(execution.timeWindowStart, execution.timeWindowEnd, execution.timeZone),
    completedAt: execution.completedAt ?? execution.createdAt,
    rowCount: execution.rowCount,
    filteredRowCount: execution.filteredRowCount,
    error: problem ? { code: problem.code, message: problem.message } : execution.error ? { code: execution.errorCode, message: execution.error } : null,
    superseded: execution.supersededBy !== null,
    replacedBy: execution.supersededBy,
    outcome: state === 'usable' ? ('usable' as const) : (state as 'failed' | 'unusable' | 'pending'),
    reason,
  };
}
export type RunStateView = ReturnType<typeof runState>;
