import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { createRedisClient, type RedisClient } from '@amc-reports/queue';
import { readLiveWorkers, type LiveWorker } from '@amc-reports/runtime';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { MetricsService } from '../observability/metrics.service';

type Probe = { status: 'ok' | 'error'; error?: string; latencyMs?: number };

async function probe(work: () => Promise<unknown>, timeoutMs = 2_000): Promise<Probe> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)))]);
    return { status: 'ok', latencyMs: Date.now() - started };
  } catch (error) {
    return { status: 'error', error: (error as Error).message.split('\n').filter(Boolean).at(-1) };
  } finally {
    clearTimeout(timer);
  }
}

/** The newest migration version shipped with this build (file names start with it). */
function latestMigrationVersion(): string | null {
  const dir = path.resolve(__dirname, '..', '..', '..', '..', 'prisma', 'migrations');
  try {
    const versions = readdirSync(dir).map((file) => file.split('_')[0]).sort();
    return versions.at(-1) ?? null;
  } catch {
    return null;
  }
}

export interface WorkerHealth {
  status: 'ok' | 'missing';
  processes: Array<Pick<LiveWorker, 'pid' | 'host' | 'lastBeatAgeMs' | 'pausedFor'>>;
}

export interface QueueHealth {
  status: 'ok' | 'lagging';
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  oldestWaitingAgeMs: number;
}

/**
 * GET /health: the system as an operator needs it. `error` when Postgres, Redis or the schema is
 * not right (nothing can work), `degraded` when a worker app has no live process (its heartbeat in
 * Redis went stale: dead, or stuck) or a queue's oldest waiting job is older than
 * HEALTH_QUEUE_LAG_MS (work is piling up); `problems` says which, in words.
 */
@Injectable()
export class HealthService implements OnApplicationShutdown {
  private readonly expectedMigration = latestMigrationVersion();
  private readonly redis: RedisClient;

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    private readonly metrics: MetricsService,
    @InjectGatewayConfig() private readonly config: GatewayConfig,
  ) {
    this.redis = createRedisClient(config.REDIS_URL, { enableOfflineQueue: false, lazyConnect: true });
    this.redis.on('error', () => undefined);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  async check() {
    const [postgres, redis] = await Promise.all([
      probe(() => this.prisma.$queryRaw`SELECT 1`),
      probe(async () => {
        if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
        await this.redis.ping();
      }),
    ]);
    const migrations = postgres.status === 'ok' ? await probe(() => this.checkMigrations()) : { status: 'error' as const, error: 'PostgreSQL is unreachable' };
    const problems: string[] = [];
    for (const [name, result] of Object.entries({ postgres, redis, migrations })) if (result.status !== 'ok') problems.push(`${name}: ${result.error}`);
    const workers: Record<string, WorkerHealth> = {};
    const queues: Record<string, QueueHealth> = {};
    if (redis.status === 'ok') {
      await Promise.all([this.checkWorkers(workers, problems), this.checkQueues(queues, problems)]).catch((error: Error) => problems.push(`redis: ${error.message}`));
    }
    const status = [postgres, redis, migrations].some((p) => p.status !== 'ok') ? 'error' : problems.length > 0 ? 'degraded' : 'ok';
    return { status, postgres, redis, migrations, workers, queues, problems };
  }

  private async checkMigrations(): Promise<void> {
    const rows = await this.prisma.$queryRaw<{ version: string }[]>`SELECT max(version) AS version FROM schema_migrations`;
    const applied = rows[0]?.version ?? null;
    if (this.expectedMigration && applied !== this.expectedMigration) {
      throw new Error(`database at migration ${applied ?? 'none'}, this build expects ${this.expectedMigration}`);
    }
  }

  private async checkWorkers(workers: Record<string, WorkerHealth>, problems: string[]): Promise<void> {
    const live = await readLiveWorkers(this.redis, this.config.QUEUE_PREFIX, this.config.HEALTH_WORKER_STALE_MS);
    const apps = new Set([...this.config.HEALTH_REQUIRED_WORKERS, ...live.map((worker) => worker.app)]);
    for (const app of [...apps].sort()) {
      const processes = live.filter((worker) => worker.app === app)
        .map(({ pid, host, lastBeatAgeMs, pausedFor }) => ({ pid, host, lastBeatAgeMs, pausedFor }));
      workers[app] = { status: processes.length > 0 ? 'ok' : 'missing', processes };
      if (processes.length === 0) problems.push(`${app}: no live process (no heartbeat within ${this.config.HEALTH_WORKER_STALE_MS} ms)`);
    }
  }

  private async checkQueues(queues: Record<string, QueueHealth>, problems: string[]): Promise<void> {
    await Promise.all(this.metrics.queues.map(async (queue) => {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
      const oldestWaitingAgeMs = oldest ? Math.max(0, Date.now() - oldest.timestamp) : 0;
      const lagging = oldestWaitingAgeMs > this.config.HEALTH_QUEUE_LAG_MS;
      queues[queue.name] = {
        status: lagging ? 'lagging' : 'ok', waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0, oldestWaitingAgeMs,
      };
      if (lagging) problems.push(`${queue.name}: oldest waiting job is ${Math.round(oldestWaitingAgeMs / 1000)} s old (limit ${this.config.HEALTH_QUEUE_LAG_MS / 1000} s)`);
    }));
  }
}
