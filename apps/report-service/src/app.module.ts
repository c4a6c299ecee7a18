import { Module, type DynamicModule } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { DELIVERY_QUEUE, EXPORT_RENDER_QUEUE, INSIGHT_GENERATE_QUEUE, REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import type { ReportServiceEnv } from '@amc-reports/config';
import { DatabaseModule } from '@amc-reports/db';
import { queueModules } from '@amc-reports/runtime';
import { REPORT_SERVICE_CONFIG } from './report-service.config';
import { ReportUpdateProcessor } from './report-update.processor';
import { ReportUpdateService } from './report-update.service';

@Module({})
export class ReportServiceModule {
  static register(config: ReportServiceEnv): DynamicModule {
    // Worker options come from the environment, so they are set here rather than in the decorator
    // (@nestjs/bullmq reads them when it creates the worker).
    Processor(REPORT_UPDATE_QUEUE, {
      concurrency: config.REPORT_CONCURRENCY, lockDuration: config.JOB_LOCK_DURATION_MS, stalledInterval: config.JOB_STALLED_INTERVAL_MS,
    })(ReportUpdateProcessor);
    return {
      module: ReportServiceModule,
      imports: [
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'report-service' }),
        ...queueModules({
          redisUrl: config.REDIS_URL,
          prefix: config.QUEUE_PREFIX,
          consume: [REPORT_UPDATE_QUEUE],
          produce: [INSIGHT_GENERATE_QUEUE, EXPORT_RENDER_QUEUE, DELIVERY_QUEUE],
        }),
      ],
      providers: [{ provide: REPORT_SERVICE_CONFIG, useValue: config }, ReportUpdateProcessor, ReportUpdateService],
    };
  }
}
