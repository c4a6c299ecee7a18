import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { DependencyGate } from './dependency-gate';
import { lifecycleLogger } from './logger';

export interface ShutdownOptions {
  app: string;
  logger: Logger;
  /** The process exits within this, whatever its work is doing (the launcher and Docker wait a little longer). */
  graceMs: number;
  /** The ordered stop; the process exits 0 when it resolves. */
  stop: (signal: NodeJS.Signals) => Promise<void>;
}

/**
 * SIGTERM / SIGINT run `stop` once, under a deadline: an app that has not finished by `graceMs`
 * says so and exits 1 rather than linger (a worker still running two minutes after SIGTERM keeps
 * its jobs from everyone else). Nest's enableShutdownHooks is not used: its close has no deadline
 * and leaves the process to exit only once every handle is gone.
 */
export function exitOnShutdownSignal(options: ShutdownOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    const deadline = setTimeout(() => {
      options.logger.error({ graceMs: options.graceMs }, `${options.app} did not stop within its grace period: exiting now`);
      process.exit(1);
    }, options.graceMs);
    options.stop(signal).then(() => {
      clearTimeout(deadline);
      lifecycleLogger(options.logger).info({ signal, ms: Date.now() - started }, `${options.app} stopped`);
      process.exit(0);
    }, (error: Error) => {
      options.logger.error({ error: error.message }, `${options.app} stopped with an error`);
      process.exit(1);
    });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

/** The BullMQ workers @nestjs/bullmq created for this app's processors. */
export function discoverWorkers(app: INestApplicationContext): Worker[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  return discovery.getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
    .map((host) => host.worker);
}

/**
 * A worker's ordered stop: take no new jobs, let the active ones finish for most of the grace
 * period, then give back the ones still running (their claims undone, then moveToWait: no attempt
 * spent, another process picks them up at once instead of after the lock expires), and close.
 */
export async function stopWorkers(workers: Worker[], gate: DependencyGate, logger: Logger, finishWithinMs: number): Promise<void> {
  gate.close();
  await Promise.all(workers.map((worker) => worker.pause(true).catch(() => undefined)));
  const deadline = Date.now() + finishWithinMs;
  while (gate.activeJobs().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const { job, token, release } of gate.activeJobs()) {
    try {
      await release?.();
      await job.moveToWait(token);
      logger.warn({ jobId: job.id, queue: job.queueName }, 'job still running at shutdown: released to the queue');
    } catch (error) {
      logger.warn({ jobId: job.id, queue: job.queueName, error: (error as Error).message }, 'could not release the job: its lock expires and the stalled check re-runs it');
    }
  }
  // force: the released jobs' runs are abandoned, not awaited (their work is idempotent).
  await Promise.all(workers.map((worker) => worker.close(true).catch(() => undefined)));
}
