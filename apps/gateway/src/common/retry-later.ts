import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { dependencyOutage, type OutageOptions } from '@amc-reports/runtime';

/** A refusal the caller should repeat later: 429 (over a limit) or 503 (a dependency is away), with Retry-After. */
export class RetryLaterException extends HttpException {
  constructor(status: 429 | 503, readonly retryAfterSeconds: number, error: string, message: string) {
    super({ statusCode: status, error, message, retryAfterSeconds }, status);
  }
}

@Catch(RetryLaterException)
export class RetryLaterFilter implements ExceptionFilter {
  catch(exception: RetryLaterException, host: ArgumentsHost): void {
    sendRetryLater(exception, host);
  }
}

export function sendRetryLater(exception: RetryLaterException, host: ArgumentsHost): void {
  host.switchToHttp().getResponse<FastifyReply>()
    .header('Retry-After', String(exception.retryAfterSeconds))
    .status(exception.getStatus())
    .send(exception.getResponse());
}

/** While Postgres or Redis is away the gateway stays up and says so; the pools reconnect by themselves. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Prisma P2028: a transaction could not start in time (no pool connection while the database is
 * away or reconnecting) or was closed under it. Never the request's fault, so a 503 like an outage;
 * only here, not in dependencyOutage, since a worker must not hold a job whose own transaction is
 * too slow without counting an attempt.
 */
const TRANSACTION_UNAVAILABLE = 'P2028';

/** The 503 for an error that is a dependency outage, or null when the error is something else. */
export function outageResponse(error: unknown, options: OutageOptions = {}): RetryLaterException | null {
  const dependency = dependencyOutage(error, options) ?? ((error as { code?: unknown } | null)?.code === TRANSACTION_UNAVAILABLE ? 'postgres' : null);
  if (!dependency) return null;
  return new RetryLaterException(503, OUTAGE_RETRY_AFTER_SECONDS, dependency === 'postgres' ? 'database_unavailable' : 'queue_unavailable',
    `${dependency === 'postgres' ? 'the database' : 'the queue'} is unreachable right now; nothing was changed, try again shortly`);
}
