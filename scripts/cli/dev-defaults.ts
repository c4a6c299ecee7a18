import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './exit-codes';

export { CliError, EXIT } from './exit-codes';

// The queue and config libs load ioredis and zod (about half a second): only the commands that
// talk to Redis pay for them, so usage errors and the org commands answer at once. REPO_ROOT is
// the launcher's, computed here for the same reason (importing the launcher loads its servers' code).
const queueLib = (): typeof import('@amc-reports/queue') => require('@amc-reports/queue');
const configLib = (): typeof import('@amc-reports/config') => require('@amc-reports/config');
const REPO_ROOT = path.resolve(__dirname, '..', '..');

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
  ?? (process.env.REDIS_CLUSTER_NODES ? queueLib().clusterLocation(process.env.REDIS_CLUSTER_NODES) : `redis://127.0.0.1:${process.env.AMC_REDIS_PORT ?? 63799}`);
/** The apps' default: `amc`, or `{amc}` on a cluster (libs/config). */
export const queuePrefix = (): string => process.env.QUEUE_PREFIX ?? (queueLib().isClusterLocation(redisUrl()) ? configLib().CLUSTER_QUEUE_PREFIX : 'amc');
