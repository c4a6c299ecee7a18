import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { createPgPool } from './pg-pool';
import { createPrismaClient, type DatabaseOptions, type PrismaClient } from './prisma-client';
import { createPgSql, type PgSql } from './raw-sql';

export const PRISMA = Symbol('PRISMA');
/** Injects the shared PrismaClient: `@InjectPrisma() private readonly prisma: PrismaClient`. */
export const InjectPrisma = (): ParameterDecorator => Inject(PRISMA);
export const PG_SQL = Symbol('PG_SQL');
const PG_POOL = Symbol('PG_POOL');
/**
 * Injects the plain node-postgres client for hot paths (raw-sql.ts): `@InjectPgSql() sql: PgSql`.
 * Its pool opens connections on first use, so an app that never asks costs nothing.
 */
export const InjectPgSql = (): ParameterDecorator => Inject(PG_SQL);

class PrismaLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient, @Inject(PG_POOL) private readonly pool: Pool) {}
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.prisma.$disconnect(), this.pool.end()]);
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: PRISMA, useFactory: () => createPrismaClient(options) },
        { provide: PG_POOL, useFactory: () => createPgPool(options) },
        { provide: PG_SQL, useFactory: (pool: Pool): PgSql => createPgSql(pool), inject: [PG_POOL] },
        PrismaLifecycle,
      ],
      exports: [PRISMA, PG_SQL],
    };
  }
}
