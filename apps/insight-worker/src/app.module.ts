import { Module, type DynamicModule } from '@nestjs/common';
import { INSIGHT_GENERATE_QUEUE } from '@amc-reports/contracts';
import type { InsightWorkerEnv } from '@amc-reports/config';
import { DatabaseModule } from '@amc-reports/db';
import { queueModules } from '@amc-reports/runtime';
import { InsightGenerateProcessor } from './insight-generate.processor';
import { InsightGenerationService } from './insight-generation.service';
import { INSIGHT_WORKER_CONFIG } from './insight-worker.config';

@Module({})
export class InsightWorkerModule {
  static register(config: InsightWorkerEnv): DynamicModule {
    return {
      module: InsightWorkerModule,
      imports: [
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'insight-worker' }),
        ...queueModules({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, consume: [INSIGHT_GENERATE_QUEUE], produce: [] }),
      ],
      providers: [{ provide: INSIGHT_WORKER_CONFIG, useValue: config }, InsightGenerateProcessor, InsightGenerationService],
    };
  }
}
