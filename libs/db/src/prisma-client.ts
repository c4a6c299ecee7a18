import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type { Prisma } from './generated/prisma/client';
export { PrismaClient };

/** A transaction client: what withUser() and $transaction() callbacks receive. */
export type TransactionClient = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface DatabaseOptions {
  databaseUrl: string;
  /** Pool size per process; workers need few connections, the gateway more. */
  poolSize?: number;
  applicationName?: string;
}

/** Prisma over node-postgres (driver adapter): no native query engine to download. */
export function createPrismaClient(options: DatabaseOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'amc-reports',
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}
