import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** One JSON line per event; ids (executionId, reportId, exportId, jobId) go in as fields. */
export function createLogger(app: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: app, level, base: { app }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** Nest's own messages (module init, routes) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
