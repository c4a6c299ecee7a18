import { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export { Prisma } from './generated/prisma/client';
export { PrismaClient };

/** A transaction client: what withUser() and $transaction() callbacks receive. */
export type TransactionClient = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface DatabaseOptions {
  databaseUrl: string;
  /** Pool size per process; workers need few connections, the gateway more. */
  poolSize?: number;
  applicationName?: string;
}

const logger = new Logger('PrismaPool');

/**
 * Prisma over node-postgres (driver adapter): no native query engine to download. A connection
 * lost while idle is dropped by the pool and replaced on the next query (a Postgres restart heals
 * by itself); it is only worth a line.
 */
export function createPrismaClient(options: DatabaseOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'amc-reports',
    connectionTimeoutMillis: 5_000,
  }, {
    onPoolError: (error) => logger.warn({ msg: `idle PostgreSQL connection lost: ${error.message}`, pool: options.applicationName }),
  });
  return new PrismaClient({ adapter });
}
