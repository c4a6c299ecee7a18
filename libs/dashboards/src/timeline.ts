import type { WindowGap, WindowGapState } from '@amc-reports/contracts/src/dashboard-view';
import { addDays, type Day, daysBetween, windowDays } from './time-window';

/** How one execution stands for one report. */
export type ExecutionState = 'usable' | WindowGapState;

/** An execution of the report's workflow, without its profile (the timeline is read first, profiles only as needed). */
export interface TimelineExecution {
  executionId: string;
  timeWindowStart: string;
  timeWindowEnd: string;
  timeZone: string | null;
  /** AMC's status. */
  status: string;
  /**
   * usable: SUCCEEDED with a profile this report can use; failed: AMC failed or cancelled it (or
   * processing did); unusable: the result, or this report's settings, could not make this dashboard;
   * pending: not finished.
   */
  state: ExecutionState;
  completedAt: string;
  /** A newer execution of the same window replaced this one (a re-run). */
  supersededBy: string | null;
  reason: string | null;
}

/** One window of the history: the execution that stands for it, and its days. */
export interface WindowSlot {
  first: Day;
  last: Day;
  timeZone: string;
  /** The newest execution this report can use, else the newest of the window. */
  execution: TimelineExecution;
  /** Every execution of the window, newest first. */
  executions: TimelineExecution[];
}

export function daysOf(execution: Pick<TimelineExecution, 'timeWindowStart' | 'timeWindowEnd' | 'timeZone'>) {
  return windowDays({ start: execution.timeWindowStart, end: execution.timeWindowEnd, timeZone: execution.timeZone });
}

const newestFirst = (a: TimelineExecution, b: TimelineExecution) =>
  Date.parse(b.completedAt) - Date.parse(a.completedAt) || (a.executionId < b.executionId ? -1 : 1);

/**
 * The timeline as windows, oldest first: one slot per distinct window (its days), standing for the
 * newest execution this report can use, so a re-run replaces the older run instead of adding a point,
 * and a window that only failed is a gap with its reason.
 */
export function windowSlots(timeline: readonly TimelineExecution[]): WindowSlot[] {
  const byWindow = new Map<string, TimelineExecution[]>();
  for (const execution of timeline) {
    const { first, last } = daysOf(execution);
    const key = `${first}|${last}`;
    byWindow.set(key, [...(byWindow.get(key) ?? []), execution]);
  }
  return [...byWindow.values()]
    .map((executions) => {
      const sorted = [...executions].sort(newestFirst);
      const execution = sorted.find((entry) => entry.state === 'usable') ?? sorted[0];
      const { first, last, timeZone } = daysOf(execution);
      return { first, last, timeZone, execution, executions: sorted };
    })
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.last < b.last ? -1 : 1));
}

export function gapOf(slot: WindowSlot): WindowGap {
  const execution = slot.execution;
  return {
    timeWindowStart: execution.timeWindowStart, timeWindowEnd: execution.timeWindowEnd, timeZone: execution.timeZone,
    state: execution.state === 'usable' ? 'missing' : execution.state, executionId: execution.executionId, reason: execution.reason,
  };
}

/** Days no execution covers between `from` and `to` (inclusive) as a gap, with the window they would have had. */
export function missingGap(from: Day, to: Day, start: Date, end: Date, timeZone: string, reason: string): WindowGap {
  return { timeWindowStart: start.toISOString(), timeWindowEnd: end.toISOString(), timeZone, state: 'missing', executionId: null, reason: `${reason} (${from} – ${to})` };
}

export function dayCount(first: Day, last: Day): number {
  return daysBetween(first, last) + 1;
}

export function overlaps(a: { first: Day; last: Day }, b: { first: Day; last: Day }): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** Maximal runs of days in [from, to] that none of `covered` covers. */
export function uncoveredRuns(from: Day, to: Day, covered: ReadonlyArray<{ first: Day; last: Day }>): Array<{ first: Day; last: Day }> {
  const sorted = [...covered].sort((a, b) => (a.first < b.first ? -1 : 1));
  const runs: Array<{ first: Day; last: Day }> = [];
  let cursor = from;
  for (const span of sorted) {
    if (span.last < cursor) continue;
    if (span.first > to) break;
    if (span.first > cursor) runs.push({ first: cursor, last: addDays(span.first, -1) < to ? addDays(span.first, -1) : to });
    cursor = addDays(span.last, 1);
    if (cursor > to) return runs;
  }
  if (cursor <= to) runs.push({ first: cursor, last: to });
  return runs;
}

/** A workflow_executions row as both the gateway and the report service read it, with this report's own verdict. */
export interface ExecutionRecord {
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
  /** Set when this report could not use the result (report_unusable_executions). */
  reportProblem: { code: string; message: string } | null;
}

/** Legacy: one report's verdict used to be written on the execution; it stays usable for the others. */
const REPORT_LEVEL_CODE = 'REPORT_UNUSABLE';
/** The result itself cannot make any dashboard (no rows, no numeric column, malformed CSV). */
const RESULT_UNUSABLE_CODE = 'UNUSABLE_RESULT';

/** How an execution stands for one report, and why, in the words the dashboard shows. */
export function executionState(record: ExecutionRecord): { state: ExecutionState; reason: string | null } {
  const reason = (code: string | null, message: string | null) => (message ? `${code ? `${code}: ` : ''}${message}` : code);
  if (record.status === 'PENDING' || record.status === 'RUNNING') return { state: 'pending', reason: `AMC reports it ${record.status.toLowerCase()}` };
  if (record.status !== 'SUCCEEDED') return { state: 'failed', reason: reason(record.errorCode ?? record.status, record.error) ?? 'AMC gave no reason' };
  if (record.reportProblem) return { state: 'unusable', reason: record.reportProblem.message };
  if (record.errorCode === RESULT_UNUSABLE_CODE) return { state: 'unusable', reason: record.error };
  if (record.errorCode !== null && record.errorCode !== REPORT_LEVEL_CODE) return { state: 'failed', reason: reason(record.errorCode, record.error) };
  if (!record.hasProfile) return { state: 'pending', reason: 'the result is being processed' };
  return { state: 'usable', reason: null };
}

export function toTimelineExecution(record: ExecutionRecord): TimelineExecution {
  const { state, reason } = executionState(record);
  return {
    executionId: record.id, timeWindowStart: record.timeWindowStart.toISOString(), timeWindowEnd: record.timeWindowEnd.toISOString(),
    timeZone: record.timeZone, status: record.status, state, completedAt: (record.completedAt ?? record.createdAt).toISOString(),
    supersededBy: record.supersededBy, reason,
  };
}
