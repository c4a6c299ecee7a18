import 'reflect-metadata';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ConsumerApp } from '@amc-reports/contracts';
import type { BaseEnv } from '@amc-reports/config';
import type { z } from 'zod';
import { createLogger, lifecycleLogger, PinoNestLogger } from './logger';
import { assertQueueProcessors } from './processor-check';
import { checkDependenciesOrExit, exitWithProblem, loadAppConfigOrExit } from './startup';

export interface WorkerBootstrap<S extends z.ZodType> {
  app: ConsumerApp;
  schema: S;
  module: (config: z.infer<S>) => DynamicModule;
}

/**
 * Starts a queue-consuming app: validated config, reachable Postgres and Redis, exactly one
 * processor per queue the contracts give it, graceful shutdown on SIGTERM/SIGINT (BullMQ
 * workers finish or release their active jobs before the process exits).
 */
export async function bootstrapWorker<S extends z.ZodType>(options: WorkerBootstrap<S>): Promise<void> {
  const config = loadAppConfigOrExit(options.app, options.schema) as z.infer<S> & BaseEnv;
  const logger = createLogger(options.app, config.LOG_LEVEL);
  await checkDependenciesOrExit(options.app, config, logger);
  const app = await NestFactory.createApplicationContext(options.module(config), { logger: new PinoNestLogger(logger) });
  try {
    assertQueueProcessors(app, options.app);
  } catch (error) {
    await app.close();
    exitWithProblem(options.app, (error as Error).message);
  }
  app.enableShutdownHooks();
  await app.init();
  lifecycleLogger(logger).info({ pid: process.pid }, `${options.app} ready`);
}

export function runMain(app: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${app}: failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
