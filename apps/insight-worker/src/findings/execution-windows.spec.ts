import { periodOf, spanLabel, windowLabel } from './execution-windows';

const window = (start: string, end: string) => ({ timeWindowStart: start, timeWindowEnd: end });

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

  it('spans several windows from the first day to the last', () => {
    expect(spanLabel([window('2026-09-07T00:00:00Z', '2026-09-14T00:00:00Z'), window('2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z')])).toBe('Sep 7 – Nov 8');
    expect(spanLabel([])).toBeUndefined();
  });

  it.each([
    ['2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z', 'week'],
    ['2026-11-09T00:00:00Z', '2026-11-09T23:59:59Z', 'day'],
    ['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'month'],
    ['2026-10-01T00:00:00Z', '2026-10-15T00:00:00Z', 'execution'],
  ])('calls %s – %s a %s', (start, end, period) => {
    expect(periodOf(window(start, end))).toBe(period);
  });
});
