import path from 'node:path';
import { Client } from 'pg';
import { stopAllChildren } from './child-processes';
import { findFreePort } from './free-port';
import { runDbmate } from './migrate';
import { startPostgres, type RunningPostgres } from './postgres-server';
import { startRedisCluster, type RunningRedisCluster } from './redis-cluster';
import { startRedis, type RunningRedis } from './redis-server';

export interface InfrastructureOptions {
  /** Where embedded data lives: ./var for dev, a throw-away directory for tests. */
  dataRoot: string;
  /** Dev keeps data across restarts with fsync; tests use throw-away, unsynced clusters. */
  durable: boolean;
  /** Fixed ports for dev; omitted (tests) means free ports are found. */
  postgresPort?: number;
  redisPort?: number;
  /** Embedded Redis as a 3-master Redis Cluster (throw-away, free ports) instead of one server. */
  redisCluster?: boolean;
  /** Database created on an embedded cluster. */
  databaseName?: string;
  /** Embedded Postgres loads pg_stat_statements (benchmarks say which statements the time goes to). */
  statStatements?: boolean;
  /** Respect DATABASE_URL / REDIS_URL from this environment (dev); tests pass {} to always embed. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface Infrastructure {
  databaseUrl: string;
  redisUrl: string;
  /** Superuser URL of the maintenance database when Postgres is embedded (tests create databases). */
  adminDatabaseUrl: string | null;
  embedded: { postgres: boolean; redis: boolean; redisCluster: boolean };
  /** Process ids of the servers this launcher started (for tests that prove they are gone). */
  pids: number[];
  stop(): Promise<void>;
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Starts what is not given by URL: embedded Postgres and/or redis-server. */
export async function startInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const databaseName = options.databaseName ?? 'amc_reports';
  let postgres: RunningPostgres | null = null;
  let redis: RunningRedis | RunningRedisCluster | null = null;
  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      postgres = await startPostgres({
        dataDir: path.join(options.dataRoot, 'pg'),
        port: options.postgresPort ?? (await findFreePort()),
        durable: options.durable,
        statStatements: options.statStatements,
        log: (line) => log(`[postgres] ${line}`),
      });
      await ensureDatabase(postgres.adminUrl, databaseName);
      databaseUrl = postgres.urlFor(databaseName);
    }
    let redisUrl = env.REDIS_URL;
    if (!redisUrl && options.redisCluster) {
      redis = await startRedisCluster({ dir: path.join(options.dataRoot, 'redis-cluster'), log: (line) => log(`[redis-cluster] ${line}`) });
      redisUrl = redis.url;
    } else if (!redisUrl) {
      redis = await startRedis({
        dir: path.join(options.dataRoot, 'redis'),
        port: options.redisPort ?? (await findFreePort()),
        log: (line) => log(`[redis] ${line}`),
      });
      redisUrl = redis.url;
    }
    const started = { postgres, redis };
    return {
      databaseUrl,
      redisUrl,
      adminDatabaseUrl: postgres?.adminUrl ?? null,
      embedded: { postgres: postgres !== null, redis: redis !== null, redisCluster: redis !== null && 'nodes' in redis },
      pids: [postgres?.pid, ...(redis && 'nodes' in redis ? redis.pids : [redis?.pid])].filter((pid): pid is number => typeof pid === 'number'),
      async stop() {
        await Promise.all([started.redis?.stop(), started.postgres?.stop()]);
      },
    };
  } catch (error) {
    await stopAllChildren();
    throw error;
  }
}

/** Applies pending migrations; returns dbmate's report of what it did. */
export function migrateDatabase(databaseUrl: string): Promise<string> {
  return runDbmate(databaseUrl, 'up');
}
