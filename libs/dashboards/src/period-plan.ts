import type { ComparisonKind, WindowGap, WindowGapState } from '@amc-reports/contracts/src/dashboard-view';
import { addDays, type Day, daysBetween, dayStart, formatDays, yearEarlier } from './time-window';
import {
  dayCount, daysOf, gapOf, missingGap, overlaps, type TimelineExecution, uncoveredRuns, type WindowSlot, windowSlots,
} from './timeline';

export type PeriodRequest =
  | { kind: 'latest' }
  | { kind: 'execution'; executionId: string }
  /** Whole days of the workflow's time zone, both included. */
  | { kind: 'range'; from: Day; to: Day }
  /** The last N weeks up to the end of the newest usable window. */
  | { kind: 'weeks'; weeks: number };

export type ComparisonRequest = { kind: 'none' } | { kind: 'previous' } | { kind: 'year' } | { kind: 'execution'; executionId: string };

/** A range adds at most this many executions, and spans at most this many days. */
export const PERIOD_EXECUTIONS_MAX = 60;
export const PERIOD_DAYS_MAX = 400;

export interface PlannedPeriod {
  /** One execution's window, or a range of days. */
  kind: 'execution' | 'range';
  first: Day;
  last: Day;
  timeZone: string;
  timeWindowStart: string;
  timeWindowEnd: string;
  /** ok: there are numbers; otherwise why not (the window failed, is unusable, missing, pending). */
  state: 'ok' | WindowGapState;
  reason: string | null;
  /** The usable executions whose numbers the period holds, oldest first (one for an execution). */
  members: TimelineExecution[];
  /** Windows of the range without numbers: shown as gaps, never skipped. */
  gaps: WindowGap[];
  /** Executions of the range left out, and why (overlapping windows are never added twice). */
  excluded: Array<{ executionId: string; window: string; reason: string }>;
  /** The execution of a one-execution period, whatever its state (a failed one has no members). */
  execution: TimelineExecution | null;
}

export interface PeriodPlan {
  request: PeriodRequest['kind'];
  period: PlannedPeriod;
  comparison: (PlannedPeriod & { comparisonKind: ComparisonKind }) | null;
  /** Usable executions of the history charts, oldest first. */
  history: TimelineExecution[];
  historyGaps: WindowGap[];
}

/** A request the timeline cannot answer, naming the query parameter (a 400). */
export class PeriodRequestError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const label = (first: Day, last: Day) => formatDays(first, last);

function executionPeriod(execution: TimelineExecution | null, fallback: { first: Day; last: Day; timeZone: string }, missingReason: string): PlannedPeriod {
  if (!execution) {
    return {
      kind: 'execution', ...fallback, ...instants(fallback.first, fallback.last, fallback.timeZone), state: 'missing',
      reason: missingReason, members: [], gaps: [], excluded: [], execution: null,
    };
  }
  const { first, last, timeZone } = daysOf(execution);
  const usable = execution.state === 'usable';
  const state: PlannedPeriod['state'] = execution.state === 'usable' ? 'ok' : execution.state;
  return {
    kind: 'execution', first, last, timeZone, timeWindowStart: execution.timeWindowStart, timeWindowEnd: execution.timeWindowEnd,
    state, reason: usable ? null : execution.reason, members: usable ? [execution] : [], gaps: [],
    excluded: [], execution,
  };
}

function instants(first: Day, last: Day, timeZone: string) {
  return { timeWindowStart: dayStart(first, timeZone).toISOString(), timeWindowEnd: dayStart(addDays(last, 1), timeZone).toISOString() };
}

/**
 * The executions a range adds up: those whose window lies inside it, newest window first, skipping
 * any that overlaps one already taken (never summed twice). Failed windows and days no execution
 * covers are gaps; windows reaching outside the range are left out and said so.
 */
export function planRange(slots: readonly WindowSlot[], from: Day, to: Day, timeZone: string): PlannedPeriod {
  const range = { first: from, last: to };
  const inside = slots.filter((slot) => slot.first >= from && slot.last <= to);
  const outside = slots.filter((slot) => overlaps(slot, range) && !inside.includes(slot));
  const candidates = inside.filter((slot) => slot.execution.state === 'usable')
    .sort((a, b) => (a.last > b.last ? -1 : a.last < b.last ? 1 : Date.parse(b.execution.completedAt) - Date.parse(a.execution.completedAt)));
  const taken: WindowSlot[] = [];
  const excluded: PlannedPeriod['excluded'] = [];
  for (const slot of candidates) {
    const clash = taken.find((other) => overlaps(other, slot));
    if (clash) excluded.push({ executionId: slot.execution.executionId, window: label(slot.first, slot.last), reason: `overlaps ${label(clash.first, clash.last)}, which is counted: never added twice` });
    else taken.push(slot);
  }
  for (const slot of outside) {
    excluded.push({ executionId: slot.execution.executionId, window: label(slot.first, slot.last), reason: 'reaches outside the range: its days cannot be split' });
  }
  const gapSlots = inside.filter((slot) => slot.execution.state !== 'usable' && !taken.some((other) => overlaps(other, slot)));
  const missing = uncoveredRuns(from, to, [...taken, ...gapSlots]).map((run) => {
    const partly = outside.some((slot) => overlaps(slot, run));
    const reason = partly ? 'only an execution reaching outside the range covers these days' : 'no execution covers these days';
    return missingGap(run.first, run.last, dayStart(run.first, timeZone), dayStart(addDays(run.last, 1), timeZone), timeZone, reason);
  });
  if (taken.length > PERIOD_EXECUTIONS_MAX) {
    throw new PeriodRequestError('from', `the range holds ${taken.length} executions; at most ${PERIOD_EXECUTIONS_MAX} are added up: choose a shorter range`);
  }
  const members = taken.map((slot) => slot.execution).reverse();
  const gaps = [...gapSlots.map(gapOf), ...missing].sort((a, b) => Date.parse(a.timeWindowStart) - Date.parse(b.timeWindowStart));
  const firstGap = gapSlots[0]?.execution;
  return {
    kind: 'range', first: from, last: to, timeZone, ...instants(from, to, timeZone),
    state: members.length > 0 ? 'ok' : firstGap && firstGap.state !== 'usable' ? firstGap.state : 'missing',
    reason: members.length > 0 ? null : (firstGap?.reason ?? 'no execution lies inside this range'),
    members, gaps, excluded, execution: null,
  };
}

function findExecution(timeline: readonly TimelineExecution[], executionId: string, field: string): TimelineExecution {
  const found = timeline.find((execution) => execution.executionId === executionId.toLowerCase());
  if (!found) throw new PeriodRequestError(field, "no execution of this report's workflow has this id");
  return found;
}

function validateRange(from: Day, to: Day): void {
  if (from > to) throw new PeriodRequestError('to', 'must not be before from');
  if (dayCount(from, to) > PERIOD_DAYS_MAX) throw new PeriodRequestError('to', `a range spans at most ${PERIOD_DAYS_MAX} days`);
}

/** The window right before a one-execution period: the one ending the day before it starts (gap when it failed or is missing). */
function previousWindow(slots: readonly WindowSlot[], shown: PlannedPeriod): PlannedPeriod {
  const length = dayCount(shown.first, shown.last);
  const before = addDays(shown.first, -1);
  const candidates = slots.filter((slot) => slot.last === before);
  const slot = candidates.find((entry) => dayCount(entry.first, entry.last) === length) ?? candidates[0];
  const fallback = { first: addDays(shown.first, -length), last: before, timeZone: shown.timeZone };
  return executionPeriod(slot?.execution ?? null, fallback, 'no execution covers the window before');
}

/** The same window a year earlier: the same length, starting within three days of the date a year before (weeks fall on other dates). */
function yearEarlierWindow(slots: readonly WindowSlot[], shown: PlannedPeriod): PlannedPeriod {
  const length = dayCount(shown.first, shown.last);
  const target = yearEarlier(shown.first);
  const distance = (slot: WindowSlot) => Math.abs(daysBetween(target, slot.first));
  const slot = slots
    .filter((entry) => dayCount(entry.first, entry.last) === length && distance(entry) <= 3)
    .sort((a, b) => distance(a) - distance(b) || Number(b.execution.state === 'usable') - Number(a.execution.state === 'usable'))[0];
  const fallback = { first: target, last: addDays(target, length - 1), timeZone: shown.timeZone };
  return executionPeriod(slot?.execution ?? null, fallback, 'no execution covers the same window a year earlier');
}

/**
 * History charts of a one-execution period: the last `length` windows up to it, failed and missing
 * ones as gaps; for the latest window also the newer windows without numbers (a failed or unusable
 * latest run is the history's last point, a gap).
 */
function historyUpTo(slots: readonly WindowSlot[], shown: TimelineExecution, length: number, withNewerGaps: boolean): { history: TimelineExecution[]; gaps: WindowGap[] } {
  const { first, last } = daysOf(shown);
  const index = slots.findIndex((slot) => slot.first === first && slot.last === last);
  const upTo = slots.slice(0, index + 1).filter((slot) => slot.last <= last);
  const newer = withNewerGaps ? slots.slice(index + 1).filter((slot) => slot.first > last && slot.execution.state !== 'usable') : [];
  const chosen = [...upTo.slice(-length).map((slot, position, all) => (position === all.length - 1 ? { ...slot, execution: shown } : slot)), ...newer];
  const gaps: WindowGap[] = [];
  chosen.forEach((slot, position) => {
    if (slot.execution.state !== 'usable') gaps.push(gapOf(slot));
    const next = chosen[position + 1];
    if (next && addDays(slot.last, 1) < next.first) {
      const run = { first: addDays(slot.last, 1), last: addDays(next.first, -1) };
      gaps.push(missingGap(run.first, run.last, dayStart(run.first, slot.timeZone), dayStart(next.first, slot.timeZone), slot.timeZone, 'no execution covers these days'));
    }
  });
  return { history: chosen.filter((slot) => slot.execution.state === 'usable').map((slot) => slot.execution), gaps };
}

/**
 * What a dashboard shows for a period request: the executions it adds up, the window compared
 * with, the history charts' points and gaps. Pure: the gateway and the report service read the
 * timeline from the database, then load only the profiles the plan names.
 */
export function planPeriod(
  timeline: readonly TimelineExecution[], request: PeriodRequest, comparison: ComparisonRequest, historyLength: number,
): PeriodPlan {
  const slots = windowSlots(timeline);
  const newest = [...slots].reverse();
  const latestUsable = newest.find((slot) => slot.execution.state === 'usable');
  const zone = (latestUsable ?? newest[0])?.timeZone ?? 'UTC';
  let period: PlannedPeriod;
  if (request.kind === 'latest') {
    const chosen = latestUsable ?? newest[0];
    period = chosen
      ? executionPeriod(chosen.execution, chosen, '')
      : executionPeriod(null, { first: '1970-01-01', last: '1970-01-01', timeZone: zone }, 'no execution yet: the dashboard fills in after the first one');
  } else if (request.kind === 'execution') {
    period = executionPeriod(findExecution(timeline, request.executionId, 'executionId'), { first: '', last: '', timeZone: zone }, '');
  } else if (request.kind === 'range') {
    validateRange(request.from, request.to);
    period = planRange(slots, request.from, request.to, zone);
  } else {
    if (!latestUsable) throw new PeriodRequestError('weeks', 'the report has no usable execution yet to count weeks back from');
    const to = latestUsable.last;
    const from = addDays(to, -7 * request.weeks + 1);
    validateRange(from, to);
    period = planRange(slots, from, to, latestUsable.timeZone);
  }

  let compared: PeriodPlan['comparison'] = null;
  if (comparison.kind !== 'none' && period.first !== '1970-01-01') {
    let planned: PlannedPeriod;
    if (comparison.kind === 'execution') {
      const execution = findExecution(timeline, comparison.executionId, 'compareExecutionId');
      if (period.execution?.executionId === execution.executionId) {
        throw new PeriodRequestError('compareExecutionId', 'is the execution shown: choose another one to compare with');
      }
      planned = executionPeriod(execution, period, '');
    } else if (period.kind === 'range') {
      const length = dayCount(period.first, period.last);
      const [from, to] = comparison.kind === 'previous'
        ? [addDays(period.first, -length), addDays(period.first, -1)]
        : [yearEarlier(period.first), yearEarlier(period.last)];
      planned = planRange(slots, from, to, period.timeZone);
    } else {
      planned = comparison.kind === 'previous' ? previousWindow(slots, period) : yearEarlierWindow(slots, period);
    }
    compared = { ...planned, comparisonKind: comparison.kind };
  }

  let history: TimelineExecution[] = period.members;
  let historyGaps = period.gaps;
  if (period.kind === 'execution' && period.execution?.state === 'usable') {
    ({ history, gaps: historyGaps } = historyUpTo(slots, period.execution, historyLength, request.kind === 'latest'));
  }
  return { request: request.kind, period, comparison: compared, history, historyGaps };
}
