import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { EXPORT_RENDER_QUEUE, INSIGHT_GENERATE_QUEUE, MAINTENANCE_QUEUE, REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { DatabaseModule } from '@amc-reports/db';
import { EventsPublisher, queueModules } from '@amc-reports/runtime';
import { createObjectStorage, exportStorageSettings, LocalDirectoryStorage, type ProcessScratch } from '@amc-reports/storage';
import { EXPORT_EVENTS, EXPORT_STORAGE, EXPORT_WORKER_CONFIG, RAW_RESULT_STORAGE } from './export-worker.config';
import { DeliveryModule } from './delivery/delivery.module';
import { ExportRenderProcessor } from './export-render.processor';
import { ExportRenderService } from './export-render.service';
import { openRenderScratch, RENDER_SCRATCH, RenderTemporaries } from './render-temporaries';
import { ExportsCleanupService } from './schedulers/exports-cleanup.service';
import { ExportsSweepService } from './schedulers/exports-sweep.service';
import { MaintenanceProcessor } from './schedulers/maintenance.processor';
import { MaintenanceSchedules } from './schedulers/maintenance-schedules';
import { PipelineRedriveService } from './schedulers/pipeline-redrive.service';

/** Closes the events client with the app (the Redis transport keeps a connection open). */
class EventsLifecycle implements OnApplicationShutdown {
  constructor(private readonly events: EventsPublisher) {}
  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
  }
}

@Module({})
export class ExportWorkerModule {
  static register(config: ExportWorkerEnv): DynamicModule {
    // Worker options live in the @Processor metadata, read when @nestjs/bullmq creates the worker;
    // they come from the environment, so they are set here rather than in the decorator.
    Processor(EXPORT_RENDER_QUEUE, {
      concurrency: config.EXPORT_CONCURRENCY,
      lockDuration: config.EXPORT_LOCK_DURATION_MS,
      stalledInterval: config.EXPORT_STALLED_INTERVAL_MS,
    })(ExportRenderProcessor);
    const events = new EventsPublisher(config.REDIS_URL);
    return {
      module: ExportWorkerModule,
      imports: [
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'export-worker' }),
        // The re-drive sweeper (pipeline.redrive) re-queues report.update and insight.generate jobs.
        ...queueModules({
          redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, consume: [EXPORT_RENDER_QUEUE, MAINTENANCE_QUEUE], produce: [REPORT_UPDATE_QUEUE, INSIGHT_GENERATE_QUEUE],
        }),
        DeliveryModule.register(config),
      ],
      providers: [
        { provide: EXPORT_WORKER_CONFIG, useValue: config },
        { provide: RENDER_SCRATCH, useFactory: () => openRenderScratch(config) },
        {
          provide: EXPORT_STORAGE, inject: [RENDER_SCRATCH],
          // S3 uploads spool in the render scratch too, so a killed upload leaves nothing locally.
          useFactory: (scratch: ProcessScratch) => {
            const settings = exportStorageSettings(config);
            return createObjectStorage(settings.kind === 's3' ? { ...settings, spoolDir: scratch.directory } : settings);
          },
        },
        { provide: RAW_RESULT_STORAGE, useFactory: () => new LocalDirectoryStorage(config.STORAGE_DIR) },
        { provide: EXPORT_EVENTS, useValue: events },
        { provide: EventsLifecycle, useValue: new EventsLifecycle(events) },
        ExportRenderProcessor, ExportRenderService, RenderTemporaries,
        MaintenanceProcessor, MaintenanceSchedules, ExportsCleanupService, ExportsSweepService, PipelineRedriveService,
      ],
    };
  }
}
