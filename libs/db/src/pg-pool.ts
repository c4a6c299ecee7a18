import { Pool } from 'pg';
import type { DatabaseOptions } from './prisma-client';

/**
 * A plain node-postgres pool for the few hot paths where the ORM's per-query cost shows in the
 * benchmarks (event ingestion). Same owner connection as Prisma; RLS-scoped user work stays on
 * Prisma through withUser().
 */
export function createPgPool(options: DatabaseOptions): Pool {
  return new Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    application_name: `${options.applicationName ?? 'amc-reports'}-fast`,
    connectionTimeoutMillis: 5_000,
  });
}
