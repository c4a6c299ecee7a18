import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { outageResponse, RetryLaterException, sendRetryLater } from './retry-later';

interface PrismaKnownError {
  code?: string;
  meta?: { target?: unknown; constraint?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } };
}

/**
 * Database answers that are the user's doing, not ours: a unique key already taken (P2002) is a
 * 409 naming the field. Postgres or Redis unreachable is nobody's doing: 503 with Retry-After (and
 * the process stays up; its pools reconnect). Everything else goes to Nest's default handling.
 */
@Catch()
export class PrismaExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const retryLater = exception instanceof RetryLaterException ? exception : outageResponse(exception);
    if (retryLater) {
      sendRetryLater(retryLater, host);
      return;
    }
    const known = exception as PrismaKnownError;
    if (known?.code === 'P2002') {
      const fields = known.meta?.driverAdapterError?.cause?.constraint?.fields ?? known.meta?.target;
      const field = Array.isArray(fields) ? fields.join(', ') : String(fields ?? 'unique key');
      host.switchToHttp().getResponse<FastifyReply>().status(409)
        .send({ statusCode: 409, error: 'conflict', field, message: `another row already has this ${field}` });
      return;
    }
    super.catch(exception, host);
  }
}
