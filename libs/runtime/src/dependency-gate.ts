import { DelayedError, type Job, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import { pingRedis } from '@amc-reports/queue';
import { dependencyOutage, isSocketError, type Dependency } from './dependency-outage';
import { pingPostgres } from './startup';

export interface DependencyGateOptions {
  databaseUrl: string;
  redisUrl: string;
  logger: Logger;
  /** How often the dependencies are asked while they are away. */
  probeIntervalMs?: number;
  /** A released job runs again this long after the dependencies answered (spreads the restart). */
  releaseDelayMs?: number;
}

export interface RunOptions {
  /** Undoes what the interrupted run claimed (an export's attempt), once the database is back. */
  release?: () => Promise<void>;
}

export interface GateStatus {
  paused: boolean;
  dependency: Dependency | null;
  since: string | null;
}

export interface ActiveJob {
  job: Job;
  token: string | undefined;
  /** What the run claimed that must be given back if it is abandoned (an outage, a shutdown). */
  release?: () => Promise<void>;
}

/**
 * Keeps dependency outages from spending retries. A job whose work fails because Postgres or Redis
 * is unreachable is not failed: every worker of the process stops taking jobs, the job is held
 * until both dependencies answer again, then put back as delayed (BullMQ's moveToDelayed, which
 * skips the attempt count) for an immediate re-run, and the workers resume. Attempts stay for the
 * job's own failures. One gate per process: an outage is a fact about the process's connections,
 * not about one queue.
 */
export class DependencyGate {
  private readonly workers = new Set<Worker>();
  private readonly active = new Map<string, ActiveJob>();
  private outage: { dependency: Dependency; since: number; recovered: Promise<void> } | null = null;
  private closing = false;
  private wakeUp: (() => void) | null = null;
  private readonly probeIntervalMs: number;
  private readonly releaseDelayMs: number;

  constructor(private readonly options: DependencyGateOptions) {
    this.probeIntervalMs = options.probeIntervalMs ?? 1_000;
    this.releaseDelayMs = options.releaseDelayMs ?? 250;
  }

  attach(worker: Worker): void {
    this.workers.add(worker);
  }

  status(): GateStatus {
    return { paused: this.outage !== null, dependency: this.outage?.dependency ?? null, since: this.outage ? new Date(this.outage.since).toISOString() : null };
  }

  /** Jobs running right now (what a shutdown waits for or releases). */
  activeJobs(): ActiveJob[] {
    return [...this.active.values()];
  }

  async run<T>(job: Job, token: string | undefined, work: () => Promise<T>, options: RunOptions = {}): Promise<T> {
    const key = `${job.queueName}:${job.id}`;
    this.active.set(key, { job, token, release: options.release });
    try {
      return await work();
    } catch (error) {
      const dependency = dependencyOutage(error) ?? (isSocketError(error) ? await this.unreachable() : null);
      if (!dependency) throw error;
      // Shutting down: no waiting, the job goes back for another process at once.
      if (!this.closing) await this.holdUntilHealthy(dependency, error as Error, job);
      await this.releaseJob(job, token, options);
      throw new DelayedError();
    } finally {
      this.active.delete(key);
    }
  }

  /** Stops holding jobs (shutdown): held runs release their jobs now. */
  close(): void {
    this.closing = true;
    this.wakeUp?.();
  }

  /** A bare socket error is an outage only if a dependency really does not answer right now. */
  private async unreachable(): Promise<Dependency | null> {
    const [postgres, redis] = await Promise.allSettled([pingPostgres(this.options.databaseUrl, 2_000), pingRedis(this.options.redisUrl, 2_000)]);
    if (postgres.status === 'rejected') return 'postgres';
    if (redis.status === 'rejected') return 'redis';
    return null;
  }

  private holdUntilHealthy(dependency: Dependency, error: Error, job: Job): Promise<void> {
    this.options.logger.warn({ jobId: job.id, queue: job.queueName, dependency, error: error.message.split('\n').filter(Boolean).at(-1) },
      `${dependency} unreachable: job held without spending an attempt`);
    if (this.outage) return this.outage.recovered;
    const since = Date.now();
    this.options.logger.warn({ dependency, workers: this.workers.size }, `${dependency} unreachable: workers paused until it answers`);
    for (const worker of this.workers) void worker.pause(true).catch(() => undefined);
    const recovered = this.probeUntilHealthy().then(async () => {
      this.outage = null;
      if (!this.closing) {
        for (const worker of this.workers) await worker.resume().catch(() => undefined);
        this.options.logger.info({ dependency, downMs: Date.now() - since }, 'dependencies answer again: workers resumed');
      }
    });
    this.outage = { dependency, since, recovered };
    return recovered;
  }

  private async probeUntilHealthy(): Promise<void> {
    while (!this.closing) {
      if ((await this.unreachable()) === null) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.probeIntervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * Undo the run's claims, then back to delayed without an attempt. When the lock was lost
   * meanwhile (Redis was away longer than the lock lasts), BullMQ's stalled check already owns
   * the job and will run it again: nothing more to do here.
   */
  private async releaseJob(job: Job, token: string | undefined, options: RunOptions): Promise<void> {
    if (options.release) {
      await options.release().catch((error: Error) =>
        this.options.logger.warn({ jobId: job.id, queue: job.queueName, error: error.message }, 'could not undo the interrupted run (the sweeper will)'));
    }
    try {
      await job.moveToDelayed(Date.now() + this.releaseDelayMs, token);
    } catch (error) {
      this.options.logger.warn({ jobId: job.id, queue: job.queueName, error: (error as Error).message }, 'held job lost its lock: the stalled check runs it again');
    }
  }
}
