import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createPrismaClient, type DatabaseOptions, type PrismaClient } from './prisma-client';

export const PRISMA = Symbol('PRISMA');
/** Injects the shared PrismaClient: `@InjectPrisma() private readonly prisma: PrismaClient`. */
export const InjectPrisma = (): ParameterDecorator => Inject(PRISMA);

class PrismaLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: PRISMA, useFactory: () => createPrismaClient(options) }, PrismaLifecycle],
      exports: [PRISMA],
    };
  }
}
