import { AmcExecutionCompletedEvent, describeIssues, isKnownTimeZone } from './amc-execution-event.schema';

const valid = {
  eventId: '0c8f5a3e-1b2d-4c6e-8f90-a1b2c3d4e5f6',
  instanceId: 'amc1a2b3c4d5',
  amcWorkflowId: 'weekly_funnel_by_campaign',
  executionId: 'c2a7d1b3-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
  status: 'SUCCEEDED',
  timeWindow: { start: '2026-10-26T00:00:00Z', end: '2026-11-01T23:59:59Z', timeZone: 'America/New_York' },
  result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['A', 1], ['B', null]] },
};

const rows = (columns: string[], data: unknown[][]) => ({ ...valid, result: { format: 'rows', columns, rows: data } });
const byUrl = (url: string) => ({ ...valid, result: { format: 'csv', url } });
const window = (start: string, end: string, timeZone?: string) => ({ ...valid, timeWindow: { start, end, ...(timeZone === undefined ? {} : { timeZone }) } });

function issuesOf(body: unknown): { field: string; message: string }[] {
  const parsed = AmcExecutionCompletedEvent.safeParse(body);
  return parsed.success ? [] : describeIssues(parsed.error);
}

describe('AmcExecutionCompletedEvent refuses what the report service could never process', () => {
  it.each([
    // Dates Postgres cannot store, or stores and gives back as an invalid date.
    ['a year-0 window start', window('0000-01-01T00:00:00Z', '2026-11-01T00:00:00Z'), 'timeWindow.start', /0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z/],
    ['a start that is year 0 in UTC', window('0001-01-01T00:00:00+14:00', '2026-11-01T00:00:00Z'), 'timeWindow.start', /once converted to UTC/],
    ['an end that is year 10000 in UTC', window('2026-11-01T00:00:00Z', '9999-12-31T23:59:59-14:00'), 'timeWindow.end', /9999-12-31T23:59:59Z/],
    ['a year-0 occurredAt', { ...valid, occurredAt: '0000-06-01T00:00:00Z' }, 'occurredAt', /0001-01-01/],
    // Time zones that are not IANA names.
    ['an unknown time zone', window(valid.timeWindow.start, valid.timeWindow.end, 'Not/AZone'), 'timeWindow.timeZone', /IANA time zone name/],
    ['an offset instead of a zone', window(valid.timeWindow.start, valid.timeWindow.end, '+05:00'), 'timeWindow.timeZone', /IANA/],
    ['an empty time zone', window(valid.timeWindow.start, valid.timeWindow.end, ''), 'timeWindow.timeZone', /IANA/],
    ['SQL in the time zone', window(valid.timeWindow.start, valid.timeWindow.end, "UTC'; DROP TABLE x; --"), 'timeWindow.timeZone', /IANA/],
    // file:// URLs the service cannot turn into a path.
    ['a file:// URL with a host', byUrl('file://evil/etc/passwd'), 'result.url', /must not name a host \("evil"\)/],
    ['a file:// URL with an IP host', byUrl('file://10.0.0.1/results/r.csv'), 'result.url', /must not name a host/],
    ['a file:// URL with an encoded slash', byUrl('file:///results/a%2F..%2Fetc/passwd'), 'result.url', /%2F/],
    ['a file:// URL with an encoded NUL', byUrl('file:///results/r.csv%00.txt'), 'result.url', /NUL/],
    // Inline columns the profiler cannot tell apart or name.
    ['duplicate column names', rows(['campaign', 'campaign', 'impressions'], [['A', 'B', 1]]), 'result.columns.1', /repeats column 0 \("campaign"\)/],
    ['column names equal once trimmed', rows(['campaign', ' campaign ', 'impressions'], [['A', 'B', 1]]), 'result.columns.1', /repeats column 0/],
    ['a blank column name', rows([' ', 'impressions'], [['A', 1]]), 'result.columns.0', /must not be blank/],
    // Text Postgres cannot hold.
    ['a NUL in a cell', rows(['campaign', 'impressions'], [['ok', 1], ['A\u0000B', 2]]), 'result.rows.1.0', /NUL character/],
    ['a lone surrogate in a cell', rows(['campaign', 'impressions'], [['A\ud800', 1]]), 'result.rows.0.0', /lone UTF-16 surrogate/],
    ['a NUL in a column name', rows(['camp\u0000aign', 'impressions'], [['A', 1]]), 'result.columns.0', /NUL/],
    ['a lone low surrogate in the error message', { ...valid, status: 'FAILED', result: null, error: { message: 'x\udc00' } }, 'error.message', /surrogate/],
    ['a NUL in the error code', { ...valid, status: 'FAILED', result: null, error: { code: 'E\u0000', message: 'm' } }, 'error.code', /NUL/],
  ])('answers 400 for %s, naming %s', (_label, body, field, message) => {
    const issues = issuesOf(body);
    expect(issues).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('names at most 20 bad cells, so a huge bad result gives a small answer', () => {
    const issues = issuesOf(rows(['campaign', 'impressions'], Array.from({ length: 5_000 }, () => ['\u0000', 1])));
    expect(issues).toHaveLength(20);
    expect(issues[0]).toEqual({ field: 'result.rows.0.0', message: 'must not contain a NUL character (U+0000)' });
  });
});

describe('AmcExecutionCompletedEvent keeps valid events valid', () => {
  it.each([
    ['the first instant of year 1', window('0001-01-01T00:00:00Z', '2026-11-01T00:00:00Z')],
    ['the last instant of year 9999', window('2026-11-01T00:00:00Z', '9999-12-31T23:59:59.999Z')],
    ['a late offset still inside 9999', window('2026-11-01T00:00:00Z', '9999-12-31T09:59:59-14:00')],
    ['no time zone', window('2026-10-26T00:00:00Z', '2026-11-01T23:59:59Z')],
    ['UTC', window('2026-10-26T00:00:00Z', '2026-11-01T23:59:59Z', 'UTC')],
    ['Etc/GMT+5', window('2026-10-26T00:00:00Z', '2026-11-01T23:59:59Z', 'Etc/GMT+5')],
    ['an alias zone', window('2026-10-26T00:00:00Z', '2026-11-01T23:59:59Z', 'Asia/Calcutta')],
    ['a three-part zone', window('2026-10-26T00:00:00Z', '2026-11-01T23:59:59Z', 'America/Argentina/Buenos_Aires')],
    ['file:///path', byUrl('file:///var/amc/results/r.csv')],
    ['file://localhost/path', byUrl('file://localhost/var/amc/results/r.csv')],
    ['an encoded space in a file path', byUrl('file:///var/amc/results/my%20result.csv')],
    ['an https URL with a query', byUrl('https://amc-results.example.com/r.csv?X-Amz-Signature=abc%2Fdef')],
    ['emoji, bidi controls and surrogate pairs in cells', rows(['campaign', 'impressions'], [['Sale 😀 \u202e', 1], ['𠮷野家', 2]])],
    ['the same name in different case', rows(['Campaign', 'campaign', 'impressions'], [['A', 'a', 1]])],
  ])('accepts %s', (_label, body) => {
    expect(issuesOf(body)).toEqual([]);
  });

  it('knows IANA zone names and nothing else', () => {
    expect(['America/New_York', 'Europe/Berlin', 'UTC', 'Asia/Tokyo'].every(isKnownTimeZone)).toBe(true);
    expect(['Mars/Olympus', 'GMT+5:30', 'America/New York', '../etc', 'a/b/c/d'].some(isKnownTimeZone)).toBe(false);
  });
});
