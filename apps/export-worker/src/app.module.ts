import { Module, type DynamicModule } from '@nestjs/common';
import { EXPORT_RENDER_QUEUE, MAINTENANCE_QUEUE } from '@amc-reports/contracts';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { DatabaseModule } from '@amc-reports/db';
import { queueModules } from '@amc-reports/runtime';
import { EXPORT_WORKER_CONFIG } from './export-worker.config';
import { ExportRenderProcessor } from './export-render.processor';
import { ExportRenderService } from './export-render.service';
import { MaintenanceProcessor } from './schedulers/maintenance.processor';

@Module({})
export class ExportWorkerModule {
  static register(config: ExportWorkerEnv): DynamicModule {
    return {
      module: ExportWorkerModule,
      imports: [
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'export-worker' }),
        ...queueModules({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, consume: [EXPORT_RENDER_QUEUE, MAINTENANCE_QUEUE], produce: [] }),
      ],
      providers: [{ provide: EXPORT_WORKER_CONFIG, useValue: config }, ExportRenderProcessor, ExportRenderService, MaintenanceProcessor],
    };
  }
}
