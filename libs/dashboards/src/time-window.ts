/**
 * AMC time windows as AMC means them: whole days of the event's time zone, the end exclusive
 * (`2026-11-02T00:00-05:00` to `2026-11-09T00:00-05:00` is Nov 2 – Nov 8). Pure and locale-free:
 * the builders, the gateway and the page all show windows through these functions.
 */

export interface TimeWindowLike {
  /** ISO 8601 instants, as stored. */
  start: string;
  end: string;
  /** The event's `timeWindow.timeZone` (IANA); UTC when it named none. */
  timeZone?: string | null;
}

/** A calendar day, YYYY-MM-DD. */
export type Day = string;

const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  readonly day: Day;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/**
 * Wall clocks already read, per zone and instant. A rebuild reads the days of every window in the
 * history, the same few hundred midnights again and again, and Intl's formatToParts was 5 % of a
 * report service's CPU in the storm bench. Cleared whole when full: the entries are tiny and cheap
 * to recompute, so a bound matters more than which ones stay.
 */
const wallClocks = new Map<string, WallClock>();
const WALL_CLOCKS_KEPT = 20_000;

/** The wall clock of an instant in a zone. */
function wallClock(instant: number, timeZone: string): WallClock {
  const key = `${timeZone} ${instant}`;
  const known = wallClocks.get(key);
  if (known) return known;
  const parts = Object.fromEntries(partsFormatter(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const clock: WallClock = { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second) };
  if (wallClocks.size >= WALL_CLOCKS_KEPT) wallClocks.clear();
  wallClocks.set(key, clock);
  return clock;
}

export function dayInZone(instant: string | number | Date, timeZone: string): Day {
  return wallClock(new Date(instant).getTime(), timeZone).day;
}

const isMidnight = (instant: number, timeZone: string) => {
  const clock = wallClock(instant, timeZone);
  return clock.hour === 0 && clock.minute === 0 && clock.second === 0;
};

/**
 * The zone a window's days are read in: the event's. A pipeline that writes the local wall clock
 * with a `Z` (`2026-11-02T00:00:00Z` meaning New York's Nov 2) is read as it was meant: when the
 * start is midnight in UTC but not in the event's zone, the days are UTC's.
 */
export function windowZone(window: TimeWindowLike): string {
  const zone = window.timeZone || 'UTC';
  if (zone === 'UTC') return zone;
  const start = Date.parse(window.start);
  return !isMidnight(start, zone) && isMidnight(start, 'UTC') ? 'UTC' : zone;
}

/** First and last day a window covers; the end is exclusive (an end at 23:59:59 stays on its day). */
export function windowDays(window: TimeWindowLike): { first: Day; last: Day; timeZone: string } {
  const zone = windowZone(window);
  const start = Date.parse(window.start);
  const end = Math.max(start, Date.parse(window.end) - 1);
  return { first: dayInZone(start, zone), last: dayInZone(end, zone), timeZone: zone };
}

export function parseDay(day: Day): { year: number; month: number; date: number } {
  const [year, month, date] = day.split('-').map(Number);
  return { year, month, date };
}

/** Day arithmetic on the calendar (no zone involved). */
export function addDays(day: Day, days: number): Day {
  const { year, month, date } = parseDay(day);
  return new Date(Date.UTC(year, month - 1, date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day a year earlier (Feb 29 → Feb 28). */
export function yearEarlier(day: Day): Day {
  const { year, month, date } = parseDay(day);
  const last = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  return `${String(year - 1).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(date, last)).padStart(2, '0')}`;
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: Day, b: Day): number {
  const at = (day: Day) => {
    const { year, month, date } = parseDay(day);
    return Date.UTC(year, month - 1, date);
  };
  return Math.round((at(b) - at(a)) / DAY_MS);
}

/** The instant a day starts in a zone (DST-safe: the offset is asked of the zone, twice around a change). */
export function dayStart(day: Day, timeZone: string): Date {
  const { year, month, date } = parseDay(day);
  const target = Date.UTC(year, month - 1, date);
  let instant = target;
  for (let attempt = 0; attempt < 3; attempt++) {
    const clock = wallClock(instant, timeZone);
    const shown = parseDay(clock.day);
    const drift = Date.UTC(shown.year, shown.month - 1, shown.date, clock.hour, clock.minute, clock.second) - target;
    if (drift === 0) break;
    instant -= drift;
  }
  return new Date(instant);
}

/** "Nov 2" or "Nov 2, 2026". */
export function formatDay(day: Day, withYear = false): string {
  const { year, month, date } = parseDay(day);
  return `${MONTHS[month - 1]} ${date}${withYear ? `, ${year}` : ''}`;
}

/** "Nov 2 – Nov 8, 2026", "Dec 28, 2026 – Jan 3, 2027", "Nov 2, 2026" for one day. */
export function formatDays(first: Day, last: Day): string {
  if (first === last) return formatDay(first, true);
  const sameYear = first.slice(0, 4) === last.slice(0, 4);
  return `${formatDay(first, !sameYear)} – ${formatDay(last, true)}`;
}

export function formatWindow(window: TimeWindowLike): string {
  const { first, last } = windowDays(window);
  return formatDays(first, last);
}

/** "2026-11-02 – 2026-11-08": the days an execution's numbers cover, as views and exports state them. */
export function windowRangeText(window: TimeWindowLike): string {
  const { first, last } = windowDays(window);
  return `${first} – ${last}`;
}
