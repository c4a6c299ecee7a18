import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** One JSON line per event; ids (executionId, reportId, exportId, jobId) go in as fields. */
export function createLogger(app: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: app, level, base: { app }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * Start/stop lines always print, whatever LOG_LEVEL says: launchers and operators wait on them.
 */
export function lifecycleLogger(logger: Logger): Logger {
  return logger.child({}, { level: 'info' });
}

/** Nest's own messages (module init, routes) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.write('info', message, { context });
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, { context, trace });
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, { context });
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, { context });
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, { context });
  }

  /** `logger.log({ msg, executionId, … })` becomes one line with those ids as fields. */
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, fields: Record<string, unknown>): void {
    if (message && typeof message === 'object' && !(message instanceof Error)) {
      const { msg, ...rest } = message as { msg?: unknown };
      this.logger[level]({ ...fields, ...rest }, String(msg ?? ''));
    } else {
      this.logger[level](fields, message instanceof Error ? message.message : String(message));
    }
  }
}
