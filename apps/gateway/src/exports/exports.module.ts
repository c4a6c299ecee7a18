import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { EXPORT_RENDER_QUEUE } from '@amc-reports/contracts';
import { producerConnectionOptions } from '@amc-reports/queue';
import { createObjectStorage, exportStorageSettings } from '@amc-reports/storage';
import { GATEWAY_CONFIG, type GatewayConfig } from '../app-config';
import { ExportRequestService } from './export-requests.service';
import { ExportsController } from './exports.controller';
import { DOWNLOAD_STORAGE } from './exports.tokens';

/** Export requests, status and downloads (issue 5). */
@Module({
  imports: [
    // A queue provider is visible only inside the module that registers it, so this module has
    // its own producer of export.render: fail-fast connection, the gateway's prefix.
    BullModule.registerQueueAsync({
      name: EXPORT_RENDER_QUEUE,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => ({ connection: producerConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
    }),
  ],
  controllers: [ExportsController],
  providers: [
    ExportRequestService,
    { provide: DOWNLOAD_STORAGE, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => createObjectStorage(exportStorageSettings(config)) },
  ],
})
export class ExportsModule {}
