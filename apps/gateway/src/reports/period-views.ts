import type { DashboardType, WindowGap } from '@amc-reports/contracts';
import type { ReportExecutionRow } from '@amc-reports/db';
import { expectedColumnsText, planPeriod, type PeriodPlan, type PlannedPeriod, type TimelineExecution } from '@amc-reports/dashboards';
import { runState, timeWindowView } from './run-state';

const gapView = (gap: WindowGap) => ({
  state: gap.state, timeWindow: timeWindowView(gap.timeWindowStart, gap.timeWindowEnd, gap.timeZone), executionId: gap.executionId ?? null,
  reason: gap.reason ?? null,
});

function periodView(period: PlannedPeriod, kind: 'latest' | 'execution' | 'range') {
  return {
    kind,
    timeWindow: timeWindowView(period.timeWindowStart, period.timeWindowEnd, period.timeZone),
    state: period.state,
    reason: period.reason,
    executionIds: period.members.map((member) => member.executionId),
    gaps: period.gaps.map(gapView),
    excluded: period.excluded,
    replacedBy: period.execution?.supersededBy ?? null,
  };
}

/** The window the cards show: the newest usable one, a chosen execution, or a range. */
export function describePeriod(plan: PeriodPlan, requested: 'latest' | 'execution' | 'range' | 'weeks', problem: string | null) {
  const view = periodView(plan.period, requested === 'weeks' ? 'range' : requested);
  // The shown result itself cannot make this dashboard (built now with the current settings).
  return problem ? { ...view, state: 'unusable' as const, reason: problem, executionIds: [] } : view;
}

export function describeComparison(plan: PeriodPlan) {
  const comparison = plan.comparison;
  if (!comparison) return null;
  return { ...periodView(comparison, comparison.kind === 'range' ? 'range' : 'execution'), comparison: comparison.comparisonKind };
}

/** The stored views' window: the execution they were built from (the report service's newest usable window). */
export function describeStoredPeriod(stored: Array<{ sourceExecutionId: string | null }>, timeline: readonly TimelineExecution[]) {
  const sourceId = stored.find((view) => view.sourceExecutionId)?.sourceExecutionId;
  const source = sourceId ? timeline.find((execution) => execution.executionId === sourceId) : undefined;
  if (!source) return null;
  const plan = planPeriod(timeline, { kind: 'execution', executionId: source.executionId }, { kind: 'none' }, 1);
  return periodView({ ...plan.period, state: 'ok', reason: null, members: [source] }, 'latest');
}

/**
 * The latest run when this report has no numbers from it — AMC failed it, or its result cannot
 * make this dashboard — while the page shows another window: what was wrong, what the report
 * expected, and which window it shows instead ("the previous good execution").
 */
export function resultProblem(
  rows: readonly ReportExecutionRow[], timeline: readonly TimelineExecution[], period: { executionIds: string[]; timeWindow: ReturnType<typeof timeWindowView>; state: string } | null,
  type: DashboardType, settings: { visualization: unknown; aggregation: unknown },
) {
  const latest = rows[0];
  if (!latest) return null;
  const run = runState(latest);
  if (run.outcome === 'usable' || period?.executionIds.includes(latest.id)) return null;
  const entry = timeline.find((execution) => execution.executionId === latest.id);
  const code = latest.reportProblem?.code ?? latest.errorCode ?? (run.outcome === 'failed' ? latest.status : null);
  const message = (latest.reportProblem?.message ?? latest.error ?? entry?.reason ?? (run.outcome === 'pending' ? 'AMC has not finished it' : 'AMC gave no reason'));
  return {
    executionId: latest.id,
    outcome: run.outcome,
    timeWindow: run.timeWindow,
    code,
    message,
    expected: run.outcome === 'unusable' ? expectedColumnsText(type, settings) : null,
    showing: period && period.state === 'ok' && period.executionIds.length > 0 ? period.timeWindow : null,
  };
}
