import { UnrecoverableError } from 'bullmq';
import { dependencyOutage, isSocketError, isTransientFailure } from './dependency-outage';

/** Error shapes as node-postgres, Prisma 7's pg adapter, ioredis and BullMQ produce them (recorded against real servers). */
const driverAdapter = (cause: object) => Object.assign(new Error('Invalid `prisma.$queryRaw()` invocation: Raw query failed.'), {
  name: 'PrismaClientKnownRequestError', code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
});

describe('dependencyOutage', () => {
  it.each([
    ['Prisma, server stopped (P1001)', Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: 'P1001' }), 'postgres'],
    ['Prisma raw query, server stopped', driverAdapter({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }), 'postgres'],
    ['Prisma raw query, server shutting down (57P01)', driverAdapter({ kind: 'postgres', code: '57P01', message: 'terminating connection due to administrator command' }), 'postgres'],
    ['pg, in-flight query at shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), 'postgres'],
    ['pg, starting up', Object.assign(new Error('the database system is starting up'), { code: '57P03' }), 'postgres'],
    ['pg, connection dropped', new Error('Connection terminated unexpectedly'), 'postgres'],
    ['pg client in a transaction after a drop', new Error('Client has encountered a connection error and is not queryable'), 'postgres'],
    ['Prisma pool timeout (P2024)', Object.assign(new Error('Timed out fetching a new connection from the connection pool'), { code: 'P2024' }), 'postgres'],
    ['ioredis, no offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'redis'],
    ['ioredis, closed', new Error('Connection is closed.'), 'redis'],
    ['ioredis, retries exhausted', Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' }), 'redis'],
    ['ioredis Cluster, no offline queue', new Error("Cluster isn't ready and enableOfflineQueue options is false"), 'redis'],
    ['ioredis Cluster, a master down', new Error('Too many Cluster redirections. Last error: ReplyError: CLUSTERDOWN The cluster is down'), 'redis'],
    ['ioredis Cluster, no node answers', new Error('None of startup nodes is available'), 'redis'],
    ['ioredis Cluster, slots unknown', Object.assign(new Error('Failed to refresh slots cache.'), { name: 'ClusterAllFailedError' }), 'redis'],
    ['wrapped in a cause', new Error('rebuild failed', { cause: new Error('Connection terminated unexpectedly') }), 'postgres'],
  ])('%s → %s', (_label, error, expected) => {
    expect(dependencyOutage(error)).toBe(expected);
  });

  it.each([
    ['a unique violation', driverAdapter({ kind: 'UniqueConstraintViolation', originalCode: '23505' })],
    ['a missing column', driverAdapter({ kind: 'ColumnNotFound', originalCode: '42703' })],
    ['a bad payload', new UnrecoverableError('invalid report.update payload: eventRowId: Invalid UUID')],
    ['the result host refusing (a job\'s own download)', Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:443'), { code: 'ECONNREFUSED' })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'rows')")],
    ['not an error at all', 'boom'],
  ])('%s is the work\'s own failure', (_label, error) => {
    expect(dependencyOutage(error)).toBeNull();
  });

  it('takes a bare socket error as an outage of the dependency the caller names (the gateway\'s pg pool)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isSocketError(refused)).toBe(true);
    expect(dependencyOutage(refused, { socketErrorsFrom: 'postgres' })).toBe('postgres');
  });
});

describe('isTransientFailure', () => {
  it.each([
    ['job stalled more than allowable limit', true],
    ['Missing lock for job 17. moveToFinished', true],
    ["Can't reach database server at 127.0.0.1:5432", true],
    ["Stream isn't writeable and enableOfflineQueue options is false", true],
    ['the result host answered 500', false],
    ['invalid report.update payload: eventRowId: Invalid UUID', false],
    ['connect ECONNREFUSED 10.0.0.9:443', false],
  ])('"%s" → %s', (reason, expected) => {
    expect(isTransientFailure(reason)).toBe(expected);
  });

  it('reads an error object the same way, stalls included', () => {
    expect(isTransientFailure(new UnrecoverableError('job stalled more than allowable limit'))).toBe(true);
    expect(isTransientFailure(new UnrecoverableError('export 1 does not exist'))).toBe(false);
  });
});
