import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DELIVERY_QUEUE, EXPORT_RENDER_QUEUE, INSIGHT_GENERATE_QUEUE, REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import { queueModules } from '@amc-reports/runtime';
import type { GatewayConfig } from '../app-config';

/**
 * The gateway's queue producers, registered once and visible to every feature module (a queue
 * provider is otherwise private to the module that registers it): one fail-fast connection each.
 * insight.generate is only added to when a re-sent event re-drives failed insight generations.
 */
@Global()
@Module({})
export class GatewayQueuesModule {
  static register(config: GatewayConfig): DynamicModule {
    const modules = queueModules({
      redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, consume: [], produce: [REPORT_UPDATE_QUEUE, EXPORT_RENDER_QUEUE, INSIGHT_GENERATE_QUEUE, DELIVERY_QUEUE],
    });
    return { module: GatewayQueuesModule, imports: modules, exports: modules };
  }
}
