import { Module } from '@nestjs/common';
import { createObjectStorage, exportStorageSettings } from '@amc-reports/storage';
import { GATEWAY_CONFIG, type GatewayConfig } from '../app-config';
import { BrandingController } from './branding.controller';
import { BrandingService } from './branding.service';
import { ExportRateLimits } from './export-rate-limits';
import { ExportRequestService } from './export-requests.service';
import { ExportsController } from './exports.controller';
import { DOWNLOAD_STORAGE } from './exports.tokens';

/** Export requests, status and downloads (issue 5); export branding, stored in the same storage (issue 14). */
@Module({
  controllers: [ExportsController, BrandingController],
  providers: [
    ExportRequestService,
    BrandingService,
    ExportRateLimits,
    { provide: DOWNLOAD_STORAGE, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => createObjectStorage(exportStorageSettings(config)) },
  ],
})
export class ExportsModule {}
