import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import type { DatabaseOptions } from './prisma-client';

const logger = new Logger('PgPool');

/**
 * A plain node-postgres pool for the few hot paths where the ORM's per-query cost shows in the
 * benchmarks (event ingestion). Same owner connection as Prisma; RLS-scoped user work stays on
 * Prisma through withUser().
 *
 * An idle client whose server goes away (a restart, a failover) makes the pool emit 'error';
 * without a listener Node turns that into an uncaught exception and the process dies. The pool
 * has already dropped the client, and the next query connects afresh, so a line is all it needs.
 */
export function createPgPool(options: DatabaseOptions): Pool {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    application_name: `${options.applicationName ?? 'amc-reports'}-fast`,
    connectionTimeoutMillis: 5_000,
  });
  pool.on('error', (error) => logger.warn({ msg: `idle PostgreSQL connection lost: ${error.message}`, pool: options.applicationName }));
  return pool;
}
