import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ConsumerApp } from '@amc-reports/contracts';
import type { BaseEnv } from '@amc-reports/config';
import type { z } from 'zod';
import { DependencyGate } from './dependency-gate';
import { discoverWorkers, exitOnShutdownSignal, stopWorkers } from './graceful-shutdown';
import { createLogger, lifecycleLogger, PinoNestLogger } from './logger';
import { assertQueueProcessors } from './processor-check';
import { checkDependenciesOrExit, exitWithProblem, loadAppConfigOrExit } from './startup';
import { WorkerHeartbeat } from './worker-heartbeat';

export interface WorkerBootstrap<S extends z.ZodType> {
  app: ConsumerApp;
  schema: S;
  module: (config: z.infer<S>) => DynamicModule;
}

@Module({})
class WorkerRuntimeModule {}

@Module({})
class WorkerRootModule {}

/**
 * The app's module beside the process-wide runtime pieces its processors inject (the gate); also
 * what a test uses to run a worker module in-process.
 */
export function withWorkerRuntime(appModule: DynamicModule, gate: DependencyGate): DynamicModule {
  const runtime: DynamicModule = { module: WorkerRuntimeModule, global: true, providers: [{ provide: DependencyGate, useValue: gate }], exports: [DependencyGate] };
  return { module: WorkerRootModule, imports: [runtime, appModule] };
}

/**
 * Share of the grace period active jobs get to finish before they are released to the queue; the
 * rest is for releasing and closing, which a busy process (a render hogging its event loop) needs.
 */
const FINISH_SHARE = 0.5;

/**
 * Starts a queue-consuming app: validated config, reachable Postgres and Redis, exactly one
 * processor per queue the contracts give it, a dependency gate (outages hold jobs instead of
 * failing them), a heartbeat in Redis for /health, and an ordered stop on SIGTERM/SIGINT within
 * SHUTDOWN_GRACE_MS (active jobs finish or are released, then the app closes and exits).
 */
export async function bootstrapWorker<S extends z.ZodType>(options: WorkerBootstrap<S>): Promise<void> {
  const config = loadAppConfigOrExit(options.app, options.schema) as z.infer<S> & BaseEnv;
  const logger = createLogger(options.app, config.LOG_LEVEL);
  await checkDependenciesOrExit(options.app, config, logger);
  const gate = new DependencyGate({ databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL, logger });
  const app = await NestFactory.createApplicationContext(withWorkerRuntime(options.module(config), gate), { logger: new PinoNestLogger(logger) });
  try {
    assertQueueProcessors(app, options.app);
  } catch (error) {
    await app.close();
    exitWithProblem(options.app, (error as Error).message);
  }
  await app.init();
  const workers = discoverWorkers(app);
  for (const worker of workers) gate.attach(worker);
  const heartbeat = new WorkerHeartbeat(config.REDIS_URL, config.QUEUE_PREFIX, options.app, () => gate.status(), config.HEARTBEAT_INTERVAL_MS);
  await heartbeat.start();
  exitOnShutdownSignal({
    app: options.app, logger, graceMs: config.SHUTDOWN_GRACE_MS,
    stop: async (signal) => {
      lifecycleLogger(logger).info({ signal, activeJobs: gate.activeJobs().length }, `${options.app} stopping`);
      await heartbeat.stop();
      await stopWorkers(workers, gate, logger, config.SHUTDOWN_GRACE_MS * FINISH_SHARE);
      await app.close();
    },
  });
  lifecycleLogger(logger).info({ pid: process.pid }, `${options.app} ready`);
}

export function runMain(app: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${app}: failed to start: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
