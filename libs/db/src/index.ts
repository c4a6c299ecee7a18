export { createPrismaClient, PrismaClient, Prisma, type TransactionClient, type DatabaseOptions } from './prisma-client';
export { withUser } from './with-user';
export { DatabaseModule, PRISMA, InjectPrisma, PG_SQL, InjectPgSql } from './database.module';
export { createPgPool } from './pg-pool';
export { createPgSql, type PgSql, type RawSql } from './raw-sql';
export { readReportTimeline, REPORT_TIMELINE_MAX, type ReportExecutionRow } from './report-timeline';
export { ProfileCache, readExecutionProfiles } from './profile-cache';
export { ensureAutoExport, type AutoExportRow } from './auto-export';
export { withShareLink } from './with-share-link';
