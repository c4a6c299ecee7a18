import { Module } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../app-config';
import { ReportScope } from './report-scope';
import { SubscriptionPolicy } from './subscription-policy';
import { DeliveryQueueClient } from './subscription-schedules';
import { SubscriptionsController } from './subscriptions.controller';

/** Subscriptions and their deliveries (issue 16); the sending happens in the export worker's delivery module. */
@Module({
  controllers: [SubscriptionsController],
  providers: [
    ReportScope, DeliveryQueueClient,
    { provide: SubscriptionPolicy, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => new SubscriptionPolicy(config) },
  ],
})
export class DeliveryModule {}
