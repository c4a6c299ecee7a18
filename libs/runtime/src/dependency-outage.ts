/**
 * Tells a dependency outage (Postgres or Redis unreachable, restarting, or dropping connections)
 * from a job's or request's own failure. An outage says nothing about the work itself, so it must
 * not spend a retry, fail a job or answer 500: workers hold the job until the dependency is back,
 * the gateway answers 503 with Retry-After. The shapes are the ones node-postgres, Prisma's pg
 * driver adapter, ioredis and BullMQ produce (libs/runtime/src/dependency-outage.int-spec.ts
 * provokes each against real servers).
 */

export type Dependency = 'postgres' | 'redis';

/** Socket-level failures: the server is not there (any client library). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * SQLSTATEs of a server that is going away or not accepting yet: class 08 (connection exception),
 * 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up / shutting
 * down), 53300 too many connections.
 */
const POSTGRES_OUTAGE_STATES = /^(08\d{3}|08P01|57P0[123]|53300)$/;

/** Prisma: P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 connection closed, P2024 pool timeout. */
const PRISMA_OUTAGE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** @prisma/adapter-pg's DriverAdapterError kinds for an unreachable server. */
const ADAPTER_OUTAGE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

const POSTGRES_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Can't reach database server/i,
  /server closed the connection unexpectedly/i,
  /terminating connection due to administrator command/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /Code: `(08\d{3}|57P0[123]|53300)`/,
];

const REDIS_MESSAGES = [
  /Stream isn't writeable and enableOfflineQueue options is false/,
  /Connection is closed/,
  /Reached the max retries per request limit/,
  /^LOADING /,
  /Redis is loading the dataset in memory/,
  // ioredis Cluster, with a master down or all of them (recorded against the launcher's cluster).
  /Cluster isn't ready and enableOfflineQueue options is false/,
  /Too many Cluster redirections/,
  /CLUSTERDOWN/,
  /None of startup nodes is available/,
  /Failed to refresh slots cache/,
  /^TRYAGAIN /,
];

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  kind?: unknown;
  cause?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

/** The error and everything it wraps (cause chains, Prisma's driver adapter error, AggregateError). */
function* errorChain(error: unknown, depth = 0): Generator<ErrorShape> {
  if (!error || typeof error !== 'object' || depth > 6) return;
  const shape = error as ErrorShape;
  yield shape;
  if (shape.meta?.driverAdapterError?.cause) yield* errorChain(shape.meta.driverAdapterError.cause, depth + 1);
  if (shape.cause) yield* errorChain(shape.cause, depth + 1);
  if (Array.isArray(shape.errors)) for (const inner of shape.errors) yield* errorChain(inner, depth + 1);
}

export interface OutageOptions {
  /**
   * A bare socket error ("connect ECONNREFUSED 127.0.0.1:5432") names no library: the caller says
   * which dependency the client that threw it talks to (the gateway's pg pool: postgres). Without
   * it such errors are not called an outage, since a job's own downloads fail the same way;
   * workers ask the dependencies themselves (DependencyGate) before deciding.
   */
  socketErrorsFrom?: Dependency;
}

/** Which dependency the error says is unavailable, or null when the error is the work's own. */
export function dependencyOutage(error: unknown, options: OutageOptions = {}): Dependency | null {
  for (const shape of errorChain(error)) {
    const code = typeof shape.code === 'string' ? shape.code : '';
    const message = typeof shape.message === 'string' ? shape.message : '';
    const name = typeof shape.name === 'string' ? shape.name : '';
    if (PRISMA_OUTAGE_CODES.has(code) || POSTGRES_OUTAGE_STATES.test(code)) return 'postgres';
    if (typeof shape.kind === 'string' && ADAPTER_OUTAGE_KINDS.has(shape.kind)) return 'postgres';
    if (POSTGRES_MESSAGES.some((pattern) => pattern.test(message))) return 'postgres';
    if (name === 'MaxRetriesPerRequestError' || name === 'ConnectionClosedError') return 'redis';
    if (REDIS_MESSAGES.some((pattern) => pattern.test(message))) return 'redis';
    if (options.socketErrorsFrom && SOCKET_CODES.has(code)) return options.socketErrorsFrom;
  }
  return null;
}

export function isDependencyOutage(error: unknown, options: OutageOptions = {}): boolean {
  return dependencyOutage(error, options) !== null;
}

/** A socket-level failure anywhere in the chain: an outage or a remote host of the job's own. */
export function isSocketError(error: unknown): boolean {
  for (const shape of errorChain(error)) if (typeof shape.code === 'string' && SOCKET_CODES.has(shape.code)) return true;
  return false;
}

/**
 * BullMQ's own words for a job whose process died or lost its lock: the work never ran to an
 * end, so the failure is not the job's. The sweeper re-drives these; attempts stay for real errors.
 */
const INTERRUPTED_MESSAGES = [/stalled more than allowable limit/, /started more than allowable limit/, /Missing lock for job/, /Lock mismatch for job/];

/** A final failure whose cause was transient (an outage or a dead process), so re-driving it can succeed. */
export function isTransientFailure(reason: unknown): boolean {
  if (typeof reason === 'string') {
    return INTERRUPTED_MESSAGES.some((pattern) => pattern.test(reason))
      || POSTGRES_MESSAGES.some((pattern) => pattern.test(reason))
      || REDIS_MESSAGES.some((pattern) => pattern.test(reason));
  }
  if (isDependencyOutage(reason)) return true;
  const message = (reason as { message?: unknown } | null)?.message;
  return typeof message === 'string' && INTERRUPTED_MESSAGES.some((pattern) => pattern.test(message));
}
