import { Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { outageResponse, RetryLaterException, sendRetryLater } from './retry-later';

interface PrismaKnownError {
  code?: string;
  meta?: { target?: unknown; constraint?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } };
}

/** Errors Fastify raises itself (413 body too large, 415 no parser, 400 bad JSON) carry a statusCode. */
interface FastifyError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const STATUS_ERRORS: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 409: 'conflict',
  410: 'gone', 413: 'payload_too_large', 414: 'uri_too_long', 415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'service_unavailable',
};

/**
 * A client that hung up: nothing to answer, nothing anyone has to act on. (The request stream
 * itself is destroyed after every fully read body, so it is the socket that tells.)
 */
function isClientAbort(exception: unknown, request: FastifyRequest | undefined): boolean {
  const code = (exception as { code?: string } | null)?.code;
  return request?.raw.aborted === true || request?.raw.socket?.destroyed === true || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/**
 * Every error the API answers has one shape (api ErrorBody: statusCode, error, message, and the
 * route's extras such as issues or retryAfterSeconds), whoever raised it: a controller, a guard,
 * Fastify's body handling, or Postgres through Prisma (a unique key taken is a 409 naming the
 * field). Postgres or Redis unreachable is nobody's doing: 503 with Retry-After, and the process
 * stays up while its pools reconnect. Aborted requests are logged at debug; anything else
 * unexpected is a logged 500.
 */
@Catch()
export class ApiExceptionFilter extends BaseExceptionFilter {
  private readonly log = new Logger('HttpErrors');

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (isClientAbort(exception, request)) {
      this.log.debug({ msg: `client aborted ${request?.method} ${request?.url}: ${(exception as Error)?.message}` });
      return;
    }
    const retryLater = exception instanceof RetryLaterException ? exception : outageResponse(exception);
    if (retryLater) {
      sendRetryLater(retryLater, host);
      return;
    }
    const known = exception as PrismaKnownError;
    if (known?.code === 'P2002') {
      const fields = known.meta?.driverAdapterError?.cause?.constraint?.fields ?? known.meta?.target;
      const field = Array.isArray(fields) ? fields.join(', ') : String(fields ?? 'unique key');
      reply.status(409).send({ statusCode: 409, error: 'conflict', field, message: `another row already has this ${field}` });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const message = Array.isArray(fields.message) ? fields.message.join('; ') : String(fields.message ?? (typeof body === 'string' ? body : exception.message));
      reply.status(status).send({ ...fields, statusCode: status, error: typeof fields.error === 'string' && /^[a-z_]+$/.test(fields.error) ? fields.error : STATUS_ERRORS[status] ?? 'error', message });
      return;
    }
    const fastifyError = exception as FastifyError;
    if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      const status = fastifyError.statusCode;
      reply.status(status).send({ statusCode: status, error: STATUS_ERRORS[status] ?? 'bad_request', message: fastifyError.message ?? 'bad request' });
      return;
    }
    super.catch(exception, host);
  }
}
