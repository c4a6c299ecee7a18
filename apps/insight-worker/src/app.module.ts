import { Module, type DynamicModule } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { INSIGHT_GENERATE_QUEUE } from '@amc-reports/contracts';
import type { InsightWorkerEnv } from '@amc-reports/config';
import { DatabaseModule, ProfileCache } from '@amc-reports/db';
import { queueModules } from '@amc-reports/runtime';
import { InsightGenerateProcessor } from './insight-generate.processor';
import { InsightGenerationService } from './insight-generation.service';
import { INSIGHT_WORKER_CONFIG } from './insight-worker.config';
import { InsightRegenerationService } from './regeneration/insight-regeneration.service';

@Module({})
export class InsightWorkerModule {
  static register(config: InsightWorkerEnv): DynamicModule {
    // Worker options come from the environment, so they are set here rather than in the decorator.
    Processor(INSIGHT_GENERATE_QUEUE, {
      concurrency: config.INSIGHT_CONCURRENCY, lockDuration: config.JOB_LOCK_DURATION_MS, stalledInterval: config.JOB_STALLED_INTERVAL_MS,
    })(InsightGenerateProcessor);
    return {
      module: InsightWorkerModule,
      imports: [
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'insight-worker' }),
        ...queueModules({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, consume: [INSIGHT_GENERATE_QUEUE], produce: [] }),
      ],
      providers: [
        { provide: INSIGHT_WORKER_CONFIG, useValue: config }, InsightGenerateProcessor, InsightGenerationService, InsightRegenerationService,
        // One per process, shared by both job kinds: they read the same histories.
        { provide: ProfileCache, useValue: new ProfileCache(config.PROFILE_CACHE_ENTRIES) },
      ],
    };
  }
}
