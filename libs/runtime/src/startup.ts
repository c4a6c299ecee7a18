import { ConfigError, loadConfig, type BaseEnv } from '@amc-reports/config';
import { pingRedis, checkRedisPolicy } from '@amc-reports/queue';
import { Client } from 'pg';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** Prints one line naming the problem and exits non-zero: what an operator needs, no stack. */
export function exitWithProblem(app: string, message: string): never {
  process.stderr.write(`${app}: ${message}\n`);
  process.exit(1);
}

export function loadAppConfigOrExit<S extends z.ZodType>(app: string, schema: S): z.infer<S> {
  try {
    return loadConfig(app, schema);
  } catch (error) {
    if (error instanceof ConfigError) exitWithProblem(app, error.message.replace(`${app}: `, ''));
    throw error;
  }
}

export async function pingPostgres(databaseUrl: string, timeoutMs = 5_000): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const url = new URL(databaseUrl);
    throw new Error(`PostgreSQL at ${url.hostname}:${url.port || 5432} is unreachable: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Fails fast (seconds, one line) when Postgres or Redis cannot be reached; warns on a risky Redis. */
export async function checkDependenciesOrExit(app: string, config: BaseEnv, logger: Logger): Promise<void> {
  try {
    await Promise.all([pingPostgres(config.DATABASE_URL), pingRedis(config.REDIS_URL)]);
  } catch (error) {
    exitWithProblem(app, (error as Error).message);
  }
  for (const warning of await checkRedisPolicy(config.REDIS_URL)) logger.warn({ redis: true }, warning);
}
