import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { EXPORT_RENDER_QUEUE, REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { createRedisClient } from '@amc-reports/queue';
import type { Redis } from 'ioredis';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { readdirSync } from 'node:fs';
import path from 'node:path';

type Probe = { status: 'ok' | 'error'; error?: string; latencyMs?: number };

async function probe(work: () => Promise<unknown>, timeoutMs = 2_000): Promise<Probe> {
  const started = Date.now();
  try {
    await Promise.race([work(), new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs))]);
    return { status: 'ok', latencyMs: Date.now() - started };
  } catch (error) {
    return { status: 'error', error: (error as Error).message };
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

@Injectable()
export class HealthService implements OnApplicationShutdown {
  private readonly expectedMigration = latestMigrationVersion();
  private readonly redis: Redis;

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectQueue(REPORT_UPDATE_QUEUE) private readonly reportQueue: Queue,
    @InjectQueue(EXPORT_RENDER_QUEUE) private readonly exportQueue: Queue,
    @InjectGatewayConfig() config: GatewayConfig,
  ) {
    this.redis = createRedisClient(config.REDIS_URL, { enableOfflineQueue: false, lazyConnect: true });
    this.redis.on('error', () => undefined);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  async check() {
    const postgres = await probe(() => this.prisma.$queryRaw`SELECT 1`);
    const redis = await probe(async () => {
      if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
      await this.redis.ping();
    });
    const migrations = await probe(async () => {
      const rows = await this.prisma.$queryRaw<{ version: string }[]>`SELECT max(version) AS version FROM schema_migrations`;
      const applied = rows[0]?.version ?? null;
      if (this.expectedMigration && applied !== this.expectedMigration) {
        throw new Error(`database at migration ${applied ?? 'none'}, this build expects ${this.expectedMigration}`);
      }
    });
    const queues: Record<string, unknown> = {};
    if (redis.status === 'ok') {
      for (const queue of [this.reportQueue, this.exportQueue]) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
        const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
        queues[queue.name] = { ...counts, oldestWaitingAgeMs: oldest ? Date.now() - oldest.timestamp : 0 };
      }
    }
    const status = [postgres, redis, migrations].every((p) => p.status === 'ok') ? 'ok' : 'error';
    return { status, postgres, redis, migrations, queues };
  }
}
