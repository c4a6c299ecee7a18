import { z } from 'zod';
import { classifyFailure, readableMessage, sqlStateOf } from './classify-failure';
import { UnusableResultError } from '@amc-reports/result-profile';
import { ResultUnavailableError } from './result-source/result-errors';

/** The shape Prisma 7 gives a Postgres error through @prisma/adapter-pg (P2039 / P2010 and friends). */
function prismaDatabaseError(sqlState: string, prismaCode = 'P2039'): Error {
  const error = new Error(`\nInvalid \`prisma.workflowExecution.update()\` invocation in\n/srv/app/apps/report-service/src/execution-recorder.ts:35:34\n\n→ 35 await prisma…\nDatabase error. Code: \`${sqlState}\`. Message: \`boom\``);
  error.name = 'PrismaClientKnownRequestError';
  Object.assign(error, { code: prismaCode, meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'postgres', originalCode: sqlState, originalMessage: 'boom' } } } });
  return error;
}

function nodeError(message: string, code: string): Error {
  return Object.assign(new TypeError(message), { code });
}

describe('classifyFailure', () => {
  it.each([
    ['a NUL in jsonb (22P05)', prismaDatabaseError('22P05'), 'INVALID_DATA', /NUL or a lone surrogate.*SQLSTATE 22P05/],
    ['a date out of range (22008)', prismaDatabaseError('22008'), 'INVALID_DATA', /years 0001-9999/],
    ['a number out of range (22003, mapped by the adapter)', prismaDatabaseError('22003', 'P2020'), 'INVALID_DATA', /out of the range/],
    ['another data exception (22023)', prismaDatabaseError('22023'), 'INVALID_DATA', /cannot be stored by the database \(SQLSTATE 22023\)/],
    ['a check violation (23514)', prismaDatabaseError('23514'), 'INVALID_DATA', /check constraint/],
    ['a not-null violation (23502)', prismaDatabaseError('23502', 'P2011'), 'INVALID_DATA', /required value/],
    ['a node-postgres DatabaseError', Object.assign(new Error('invalid input syntax'), { code: '22P02' }), 'INVALID_DATA', /wrong form/],
    ['a Prisma validation error', Object.assign(new Error('Provided Date object is invalid'), { name: 'PrismaClientValidationError' }), 'INVALID_DATA', /wrong type or is invalid/],
    ['an invalid Date written out', new RangeError('Invalid time value'), 'INVALID_DATA', /date .* is invalid/],
    ['a file URL with a host', nodeError('File URL host must be "localhost" or empty on linux', 'ERR_INVALID_FILE_URL_HOST'), 'RESULT_REFUSED', /result URL/],
    ['an unusable result', new UnusableResultError('no_rows', 'the result has no rows'), 'UNUSABLE_RESULT', /^the result has no rows$/],
    ['a refused result', new ResultUnavailableError('RESULT_REFUSED', 'host x is not allowed'), 'RESULT_REFUSED', /^host x is not allowed$/],
  ])('%s is permanent', (_label, error, code, reason) => {
    expect(classifyFailure(error)).toEqual({ kind: 'permanent', code, reason: expect.stringMatching(reason) });
  });

  it('names the fields of a stored event that no longer passes the contract', () => {
    const parsed = z.object({ timeWindow: z.object({ start: z.string().datetime() }) }).safeParse({ timeWindow: { start: 'x' } });
    expect(classifyFailure(parsed.error)).toEqual({ kind: 'permanent', code: 'INVALID_EVENT', reason: expect.stringMatching(/^the event cannot be processed: timeWindow\.start: /) });
  });

  it.each([
    ['a unique violation from two jobs racing (23505)', prismaDatabaseError('23505', 'P2002')],
    ['an exclusion violation (23P01)', prismaDatabaseError('23P01')],
    ['a foreign key violation: a row deleted meanwhile (23503)', prismaDatabaseError('23503', 'P2003')],
    ['a serialization failure (40001)', prismaDatabaseError('40001', 'P2034')],
    ['a lock timeout (55P03)', prismaDatabaseError('55P03')],
    ['Postgres unreachable', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a permission error on storage', Object.assign(new Error("EPERM: operation not permitted, open '/srv/storage/raw/x.csv'"), { code: 'EPERM' })],
    ['a download that failed with 503', new Error('result download failed with 503; will retry')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'weird'],
  ])('%s stays transient (the default)', (_label, error) => {
    expect(classifyFailure(error)).toEqual({ kind: 'transient' });
  });

  it('finds the SQLSTATE however the error carries it', () => {
    expect(sqlStateOf(prismaDatabaseError('22P05'))).toBe('22P05');
    expect(sqlStateOf(new Error('wrapped', { cause: Object.assign(new Error('pg'), { code: '22008' }) }))).toBe('22008');
    expect(sqlStateOf(Object.assign(new Error('x'), { code: 'P2039' }))).toBeUndefined();
    expect(sqlStateOf(Object.assign(new Error('x'), { code: 'EPERM' }))).toBeUndefined();
  });
});

describe('readableMessage', () => {
  it('keeps the last line of a Prisma error: no code frame, no source path', () => {
    expect(readableMessage(prismaDatabaseError('40001'))).toBe('Database error. Code: `40001`. Message: `boom`');
  });

  it.each([
    ["EACCES: permission denied, open '/srv/amc/storage/raw/abc.csv'", "EACCES: permission denied, open '[path]'"],
    ['ENOENT: no such file or directory, stat /var/lib/amc/results/x.csv', 'ENOENT: no such file or directory, stat [path]'],
    ['cannot read file:///srv/amc/results/x.csv', 'cannot read [path]'],
    ['result download failed with 503; will retry', 'result download failed with 503; will retry'],
    ['ratio 3/4 and https://host.example/a/b stay', 'ratio 3/4 and https://host.example/a/b stay'],
  ])('replaces server paths in %j', (message, expected) => {
    expect(readableMessage(new Error(message))).toBe(expected);
  });

  it('is one line, bounded', () => {
    const text = readableMessage(new Error(`${'x'.repeat(500)}\n    at somewhere (/srv/app/file.ts:1:1)`));
    expect(text).toHaveLength(300);
    expect(text).not.toContain('\n');
  });
});
