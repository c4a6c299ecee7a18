import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import {
  DELIVERY_QUEUE, DELIVERY_SEND_JOB, DELIVERY_SEND_JOB_OPTIONS, deliverySendJobId, subscriptionSchedule, type DeliverySendJob,
} from '@amc-reports/contracts';

/**
 * The gateway's side of the delivery queue: a scheduled subscription's job scheduler is upserted
 * or removed right after its row is committed, and "send now" queues its delivery. Redis being
 * away loses nothing: the delivery worker re-aligns schedulers with Postgres and re-queues
 * pending deliveries every few minutes.
 */
@Injectable()
export class DeliveryQueueClient {
  private readonly logger = new Logger(DeliveryQueueClient.name);

  constructor(@InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue) {}

  async syncSchedule(subscription: { id: string; triggerKind: string; cron: string | null; timeZone: string | null; isEnabled: boolean }): Promise<void> {
    const schedule = subscriptionSchedule({ id: subscription.id, cron: subscription.cron ?? '', timeZone: subscription.timeZone ?? 'UTC' });
    try {
      if (subscription.triggerKind === 'schedule' && subscription.isEnabled && subscription.cron) {
        await this.queue.upsertJobScheduler(schedule.id, schedule.repeat, schedule.template);
      } else {
        await this.queue.removeJobScheduler(schedule.id);
      }
    } catch (error) {
      this.logger.warn({ msg: `schedule not synced now (the delivery worker reconciles it): ${(error as Error).message}`, subscriptionId: subscription.id });
    }
  }

  async removeSchedule(subscriptionId: string): Promise<void> {
    await this.syncSchedule({ id: subscriptionId, triggerKind: 'after_execution', cron: null, timeZone: null, isEnabled: false });
  }

  async queueSend(deliveryId: string): Promise<void> {
    const data: DeliverySendJob = { deliveryId };
    try {
      await this.queue.add(DELIVERY_SEND_JOB, data, { ...DELIVERY_SEND_JOB_OPTIONS, jobId: deliverySendJobId(deliveryId) });
    } catch (error) {
      this.logger.warn({ msg: `send not queued now (the delivery worker re-queues pending deliveries): ${(error as Error).message}`, deliveryId });
    }
  }
}
