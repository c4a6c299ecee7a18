import { Module } from '@nestjs/common';
import { createObjectStorage, exportStorageSettings } from '@amc-reports/storage';
import { GATEWAY_CONFIG, type GatewayConfig } from '../app-config';
import { ReportScope } from '../delivery/report-scope';
import { DashboardReader } from '../reports/dashboard-reader';
import { DownloadLinksController } from './download-links.controller';
import { SharedDashboardController } from './shared-dashboard.controller';
import { ShareLinksController } from './share-links.controller';
import { SHARED_STORAGE } from './sharing.tokens';

/** Client share links and download links (issue 16). */
@Module({
  controllers: [ShareLinksController, SharedDashboardController, DownloadLinksController],
  providers: [
    ReportScope, DashboardReader,
    { provide: SHARED_STORAGE, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => createObjectStorage(exportStorageSettings(config)) },
  ],
})
export class SharingModule {}
