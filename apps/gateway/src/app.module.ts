import { Module, type DynamicModule } from '@nestjs/common';
import { EXPORT_RENDER_QUEUE, REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import { DatabaseModule } from '@amc-reports/db';
import { queueModules } from '@amc-reports/runtime';
import { GATEWAY_CONFIG, type GatewayConfig } from './app-config';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';

@Module({})
export class GatewayModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        DatabaseModule.forRoot({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'gateway' }),
        ...queueModules({
          redisUrl: config.REDIS_URL,
          prefix: config.QUEUE_PREFIX,
          consume: [],
          produce: [REPORT_UPDATE_QUEUE, EXPORT_RENDER_QUEUE],
        }),
      ],
      controllers: [HealthController],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, HealthService],
    };
  }
}
