import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DatabaseModule } from '@amc-reports/db';
import type { GatewayConfig } from './app-config';
import { GatewayCommonModule } from './common/gateway-common.module';
import { GatewayQueuesModule } from './common/gateway-queues.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { AdminModule } from './admin/admin.module';
import { DeliveryModule } from './delivery/delivery.module';
import { AmcEventIngestionService } from './events/amc-event-ingestion.service';
import { AmcEventsController } from './events/amc-events.controller';
import { OutboxRelay } from './events/outbox-relay.service';
import { ExportsModule } from './exports/exports.module';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { InsightsModule } from './insights/insights.module';
import { LiveModule } from './live/live.module';
import { ObservabilityModule } from './observability/observability.module';
import { QueryTemplatesController } from './library/query-templates.controller';
import { WorkflowsController } from './library/workflows.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { DashboardReader } from './reports/dashboard-reader';
import { ReportsController } from './reports/reports.controller';
import { SharingModule } from './sharing/sharing.module';

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        GatewayCommonModule.register(config),
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'gateway' }),
        GatewayQueuesModule.register(config),
        InsightsModule,
        ExportsModule,
        LiveModule,
        ObservabilityModule,
        AdminModule,
        DeliveryModule,
        SharingModule,
      ],
      controllers: [HealthController, AmcEventsController, OrganizationsController, QueryTemplatesController, WorkflowsController, ReportsController],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        HealthService, AmcEventIngestionService, OutboxRelay, DashboardReader,
      ],
    };
  }
}
