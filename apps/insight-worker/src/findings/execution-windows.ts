import type { HistoryPointRef } from '@amc-reports/contracts/src/dashboard-view';
import { daysBetween, parseDay, windowDays as zonedWindowDays } from '@amc-reports/dashboards/src/time-window';

/**
 * Time windows as an insight names them: "Nov 9–15", "Oct 27 – Nov 2", "Dec 29, 2026 – Jan 4, 2027".
 * The days are the ones the dashboard shows for the same window: whole days of the event's time
 * zone, AMC's end exclusive (`2026-11-16T00:00:00Z` ends the window of Nov 9–15, and a New York week
 * ends at `…T05:00:00Z`), an inclusive last second (`…T23:59:59Z`) read as its own day. Every
 * comparison names both of its windows with these labels; verification treats a label as a name,
 * not as figures, so only labels the finding carries can appear in a text.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type WindowRef = Pick<HistoryPointRef, 'timeWindowStart' | 'timeWindowEnd' | 'timeZone'>;

interface Day {
  year: number;
  /** 0-based, as MONTHS is indexed. */
  month: number;
  day: number;
  /** YYYY-MM-DD. */
  iso: string;
}

function dayOf(iso: string): Day {
  const { year, month, date } = parseDay(iso);
  return { year, month: month - 1, day: date, iso };
}

/** First and last (inclusive) day of a window, in its zone. */
export function windowDays(window: WindowRef): { first: Day; last: Day } {
  const { first, last } = zonedWindowDays({ start: window.timeWindowStart, end: window.timeWindowEnd, timeZone: window.timeZone });
  return { first: dayOf(first), last: dayOf(last) };
}

function dayText(day: Day, withYear: boolean): string {
  return `${MONTHS[day.month]} ${day.day}${withYear ? `, ${day.year}` : ''}`;
}

function rangeText(first: Day, last: Day): string {
  if (first.iso === last.iso) return dayText(first, false);
  if (first.year !== last.year) return `${dayText(first, true)} – ${dayText(last, true)}`;
  if (first.month === last.month) return `${MONTHS[first.month]} ${first.day}–${last.day}`;
  return `${dayText(first, false)} – ${dayText(last, false)}`;
}

export function windowLabel(window: WindowRef): string {
  const { first, last } = windowDays(window);
  return rangeText(first, last);
}

/** From the first day of the first window to the last day of the last: "Sep 14 – Nov 8". */
export function spanLabel(windows: readonly WindowRef[]): string | undefined {
  if (windows.length === 0) return undefined;
  const first = windowDays(windows[0]).first;
  const last = windowDays(windows[windows.length - 1]).last;
  return rangeText(first, last);
}

export type PeriodName = 'day' | 'week' | 'month' | 'execution';

/** What one execution covers, from the latest window's length: a weekly report speaks of weeks. */
export function periodOf(window: WindowRef): PeriodName {
  const { first, last } = windowDays(window);
  const days = daysBetween(first.iso, last.iso) + 1;
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
