import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@amc-reports/launcher';
import { CLUSTER_QUEUE_PREFIX } from '@amc-reports/config';
import { clusterLocation, isClusterLocation } from '@amc-reports/queue';

/** The CLI talks to what `npm start` runs unless told otherwise (same ports, same throw-away secrets). */
export function devSecret(name: 'AMC_WEBHOOK_SECRET' | 'JWT_SECRET' | 'ADMIN_TOKEN'): string {
  if (process.env[name]) return process.env[name]!;
  const file = path.join(path.resolve(process.env.AMC_DATA_DIR ?? path.join(REPO_ROOT, 'var')), 'secrets', name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  throw new CliError(2, `${name} is not set and no development secret exists in ${path.dirname(file)} (run npm start once, or export ${name})`);
}

export const gatewayUrl = (): string => process.env.AMC_GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 3000}`;
export const databaseUrl = (): string =>
  process.env.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${process.env.AMC_POSTGRES_PORT ?? 54329}/amc_reports?sslmode=disable`;
export const redisUrl = (): string => process.env.REDIS_URL
  ?? (process.env.REDIS_CLUSTER_NODES ? clusterLocation(process.env.REDIS_CLUSTER_NODES) : `redis://127.0.0.1:${process.env.AMC_REDIS_PORT ?? 63799}`);
/** The apps' default: `amc`, or `{amc}` on a cluster (libs/config). */
export const queuePrefix = (): string => process.env.QUEUE_PREFIX ?? (isClusterLocation(redisUrl()) ? CLUSTER_QUEUE_PREFIX : 'amc');

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, usage: 2, rejected: 3, unreachable: 4, failed: 5 } as const;

export class CliError extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}
