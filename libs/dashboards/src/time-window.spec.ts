import { addDays, dayStart, formatDays, formatWindow, windowDays, windowRangeText, yearEarlier } from './time-window';

describe('AMC time windows as AMC means them', () => {
  it.each([
    ['an exclusive end at local midnight (EST, with offsets)', '2026-11-02T00:00:00-05:00', '2026-11-09T00:00:00-05:00', 'America/New_York', 'Nov 2 – Nov 8, 2026'],
    ['the same week written in UTC instants', '2026-11-02T05:00:00.000Z', '2026-11-09T05:00:00.000Z', 'America/New_York', 'Nov 2 – Nov 8, 2026'],
    ['a week across the end of daylight saving (EDT → EST)', '2026-10-26T00:00:00-04:00', '2026-11-02T00:00:00-05:00', 'America/New_York', 'Oct 26 – Nov 1, 2026'],
    ['an end at 23:59:59 stays on its day', '2026-10-26T00:00:00Z', '2026-11-01T23:59:59Z', 'UTC', 'Oct 26 – Nov 1, 2026'],
    ['the local wall clock written with a Z is read in UTC', '2026-10-26T00:00:00Z', '2026-11-01T23:59:59Z', 'America/New_York', 'Oct 26 – Nov 1, 2026'],
    ['a window east of Greenwich', '2026-11-01T15:00:00Z', '2026-11-08T15:00:00Z', 'Asia/Tokyo', 'Nov 2 – Nov 8, 2026'],
    ['no time zone: UTC', '2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z', null, 'Nov 2 – Nov 8, 2026'],
    ['across the year', '2026-12-28T00:00:00Z', '2027-01-04T00:00:00Z', 'UTC', 'Dec 28, 2026 – Jan 3, 2027'],
    ['one day', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z', 'UTC', 'Nov 2, 2026'],
  ])('%s', (_, start, end, timeZone, shown) => {
    expect(formatWindow({ start, end, timeZone })).toBe(shown);
  });

  it('states the days of a window as the views and exports print them', () => {
    expect(windowRangeText({ start: '2026-11-02T05:00:00Z', end: '2026-11-09T05:00:00Z', timeZone: 'America/New_York' })).toBe('2026-11-02 – 2026-11-08');
    expect(windowDays({ start: '2026-11-02T05:00:00Z', end: '2026-11-09T05:00:00Z', timeZone: 'America/New_York' }).timeZone).toBe('America/New_York');
  });

  it('finds the instant a day starts in a zone, daylight saving included', () => {
    expect(dayStart('2026-11-02', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(dayStart('2026-10-26', 'America/New_York').toISOString()).toBe('2026-10-26T04:00:00.000Z');
    expect(dayStart('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(dayStart('2026-11-02', 'Asia/Tokyo').toISOString()).toBe('2026-11-01T15:00:00.000Z');
    expect(dayStart('2026-11-02', 'UTC').toISOString()).toBe('2026-11-02T00:00:00.000Z');
  });

  it('counts days on the calendar and goes back a year (Feb 29 → Feb 28)', () => {
    expect(addDays('2026-11-02', -7)).toBe('2026-10-26');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(yearEarlier('2028-02-29')).toBe('2027-02-28');
    expect(yearEarlier('2026-11-02')).toBe('2025-11-02');
    expect(formatDays('2025-12-29', '2026-01-04')).toBe('Dec 29, 2025 – Jan 4, 2026');
  });
});
