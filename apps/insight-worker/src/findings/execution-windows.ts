import type { HistoryPointRef } from '@amc-reports/contracts/src/dashboard-view';

/**
 * Time windows as an insight names them: "Nov 9–15", "Oct 27 – Nov 2", "Dec 29, 2026 – Jan 4, 2027".
 * AMC windows are calendar days in UTC and AMC's end is exclusive (`2026-11-16T00:00:00Z` ends the
 * window of Nov 9–15), while many pipelines send the last second instead (`…T23:59:59Z`): an end at
 * midnight is read as the day before, so both show the same inclusive last day. Every comparison
 * names both of its windows with these labels; verification treats a label as a name, not as
 * figures, so only labels the finding carries can appear in a text.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

interface Day {
  year: number;
  month: number;
  day: number;
  time: number;
}

function dayOf(time: number): Day {
  const date = new Date(time);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), day: date.getUTCDate(), time: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) };
}

/** First and last (inclusive) day of a window. */
export function windowDays(start: string, end: string): { first: Day; last: Day } {
  const startTime = Date.parse(start);
  let endTime = Date.parse(end);
  const endsAtMidnight = endTime % DAY_MS === 0;
  if (endsAtMidnight && endTime > startTime) endTime -= 1;
  const first = dayOf(startTime);
  const last = dayOf(Math.max(endTime, startTime));
  return { first, last };
}

function dayText(day: Day, withYear: boolean): string {
  return `${MONTHS[day.month]} ${day.day}${withYear ? `, ${day.year}` : ''}`;
}

function rangeText(first: Day, last: Day): string {
  if (first.time === last.time) return dayText(first, false);
  if (first.year !== last.year) return `${dayText(first, true)} – ${dayText(last, true)}`;
  if (first.month === last.month) return `${MONTHS[first.month]} ${first.day}–${last.day}`;
  return `${dayText(first, false)} – ${dayText(last, false)}`;
}

export function windowLabel(window: Pick<HistoryPointRef, 'timeWindowStart' | 'timeWindowEnd'>): string {
  const { first, last } = windowDays(window.timeWindowStart, window.timeWindowEnd);
  return rangeText(first, last);
}

/** From the first day of the first window to the last day of the last: "Sep 14 – Nov 8". */
export function spanLabel(windows: readonly Pick<HistoryPointRef, 'timeWindowStart' | 'timeWindowEnd'>[]): string | undefined {
  if (windows.length === 0) return undefined;
  const first = windowDays(windows[0].timeWindowStart, windows[0].timeWindowEnd).first;
  const last = windowDays(windows[windows.length - 1].timeWindowStart, windows[windows.length - 1].timeWindowEnd).last;
  return rangeText(first, last);
}

export type PeriodName = 'day' | 'week' | 'month' | 'execution';

/** What one execution covers, from the latest window's length: a weekly report speaks of weeks. */
export function periodOf(window: Pick<HistoryPointRef, 'timeWindowStart' | 'timeWindowEnd'>): PeriodName {
  const { first, last } = windowDays(window.timeWindowStart, window.timeWindowEnd);
  const days = Math.round((last.time - first.time) / DAY_MS) + 1;
  if (days === 1) return 'day';
  if (days === 7) return 'week';
  if (days >= 28 && days <= 31 && first.day === 1) return 'month';
  return 'execution';
}

/** The labels a finding names its windows by (every one of them is a name to verification). */
export interface FindingWindows {
  /** The execution the finding is about. */
  latest: string;
  /** The execution it is compared with (comparisons, recoveries). */
  previous?: string;
  /** The earlier executions a baseline or a trend rests on, as one span. */
  baseline?: string;
  /** An earlier anomalous window that explains a comparison (a recovery's drop). */
  anomalous?: string;
  /** One execution's length: how counts of executions are worded ("8 weeks"). */
  period: PeriodName;
}
