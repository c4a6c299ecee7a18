export { createPrismaClient, PrismaClient, Prisma, type TransactionClient, type DatabaseOptions } from './prisma-client';
export { withUser } from './with-user';
export { DatabaseModule, PRISMA, InjectPrisma } from './database.module';
export { createPgPool } from './pg-pool';
export { ensureAutoExport, type AutoExportRow } from './auto-export';
export { withShareLink } from './with-share-link';
