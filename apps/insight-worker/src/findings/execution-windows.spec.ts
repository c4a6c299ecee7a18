import { periodOf, spanLabel, windowLabel } from './execution-windows';

const window = (start: string, end: string, timeZone?: string) => ({ timeWindowStart: start, timeWindowEnd: end, timeZone });

describe('window labels', () => {
  it.each([
    ['AMC end-exclusive midnight: the day before is the last day', '2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z', 'Nov 9–15'],
    ['an inclusive last second', '2026-11-09T00:00:00Z', '2026-11-15T23:59:59Z', 'Nov 9–15'],
    ['across months', '2026-10-26T00:00:00Z', '2026-11-02T00:00:00Z', 'Oct 26 – Nov 1'],
    ['across years, with both years', '2026-12-28T00:00:00Z', '2027-01-04T00:00:00Z', 'Dec 28, 2026 – Jan 3, 2027'],
    ['one day', '2026-11-09T00:00:00Z', '2026-11-10T00:00:00Z', 'Nov 9'],
  ])('%s: %s – %s reads "%s"', (_, start, end, label) => {
    expect(windowLabel(window(start, end))).toBe(label);
  });

  // The dashboard reads these weeks as Nov 16 – Nov 22: an insight beside it must name the same days.
  it.each([
    ['a New York week (standard time)', '2026-11-16T05:00:00Z', '2026-11-23T05:00:00Z', 'America/New_York', 'Nov 16–22'],
    ['a New York week across the DST change', '2026-10-26T04:00:00Z', '2026-11-02T05:00:00Z', 'America/New_York', 'Oct 26 – Nov 1'],
    ['a Tokyo week', '2026-11-15T15:00:00Z', '2026-11-22T15:00:00Z', 'Asia/Tokyo', 'Nov 16–22'],
    ['a local wall clock sent with a Z', '2026-11-16T00:00:00Z', '2026-11-23T00:00:00Z', 'America/New_York', 'Nov 16–22'],
  ])('%s: %s – %s in %s reads "%s"', (_, start, end, timeZone, label) => {
    expect(windowLabel(window(start, end, timeZone))).toBe(label);
    expect(periodOf(window(start, end, timeZone))).toBe('week');
  });

  it('spans zoned windows by their own days', () => {
    const weeks = [window('2026-09-28T04:00:00Z', '2026-10-05T04:00:00Z', 'America/New_York'), window('2026-11-16T05:00:00Z', '2026-11-23T05:00:00Z', 'America/New_York')];
    expect(spanLabel(weeks)).toBe('Sep 28 – Nov 22');
  });

  it('spans several windows from the first day to the last', () => {
    expect(spanLabel([window('2026-09-07T00:00:00Z', '2026-09-14T00:00:00Z'), window('2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z')])).toBe('Sep 7 – Nov 8');
    expect(spanLabel([])).toBeUndefined();
  });

  it.each([
    ['2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z', 'week', 'UTC'],
    ['2026-11-09T00:00:00Z', '2026-11-09T23:59:59Z', 'day', 'UTC'],
    ['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'month', 'UTC'],
    ['2026-10-01T00:00:00Z', '2026-10-15T00:00:00Z', 'execution', 'UTC'],
    ['2026-10-01T04:00:00Z', '2026-11-01T04:00:00Z', 'month', 'America/New_York'],
  ])('calls %s – %s a %s (%s)', (start, end, period, timeZone) => {
    expect(periodOf(window(start, end, timeZone))).toBe(period);
  });
});
