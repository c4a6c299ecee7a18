import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import {
  DELIVERY_SEND_JOB, DELIVERY_SEND_JOB_OPTIONS, deliverySendJobId, subscriptionSchedule, type DeliverySendJob,
} from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';
import { currentDashboardExecution, insertTickDelivery, loadSubscription, markSkipped } from './delivery-store';

const SCHEDULER_PREFIX = 'sub-';

/**
 * Scheduled subscriptions: one BullMQ job scheduler each (`sub-<id>`), upserted by the gateway
 * when a subscription is saved and re-aligned here with Postgres at start-up and every few
 * minutes (a gateway that could not reach Redis, a subscription deleted by a cascade).
 */
export class SubscriptionSchedules {
  private readonly logger = new Logger(SubscriptionSchedules.name);

  constructor(private readonly prisma: PrismaClient, private readonly deliveryQueue: Queue) {}

  async reconcile(): Promise<{ upserted: number; removed: number; requeued: number }> {
    const wanted = await this.prisma.reportSubscription.findMany({
      where: { triggerKind: 'schedule', isEnabled: true, cron: { not: null } }, select: { id: true, cron: true, timeZone: true },
    });
    const wantedIds = new Set(wanted.map((subscription) => `${SCHEDULER_PREFIX}${subscription.id}`));
    let upserted = 0;
    for (const subscription of wanted) {
      const schedule = subscriptionSchedule({ id: subscription.id, cron: subscription.cron!, timeZone: subscription.timeZone ?? 'UTC' });
      const existing = await this.deliveryQueue.getJobScheduler(schedule.id);
      if (existing?.pattern === schedule.repeat.pattern && existing?.tz === schedule.repeat.tz) continue;
      await this.deliveryQueue.upsertJobScheduler(schedule.id, schedule.repeat, schedule.template);
      upserted++;
    }
    let removed = 0;
    for (let start = 0; ; start += 500) {
      const page = await this.deliveryQueue.getJobSchedulers(start, start + 499, true);
      for (const scheduler of page) {
        if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wantedIds.has(scheduler.key)) {
          await this.deliveryQueue.removeJobScheduler(scheduler.key);
          removed++;
        }
      }
      if (page.length < 500) break;
    }
    const requeued = await this.requeueUnfinished();
    if (upserted + removed + requeued > 0) this.logger.log({ msg: 'subscription schedules reconciled', upserted, removed, requeued, scheduled: wanted.length });
    return { upserted, removed, requeued };
  }

  /**
   * Deliveries accepted but unfinished for a while (a "send now" whose job Redis never got, a
   * fan-out that died between its rows and its jobs): their send job again. The job id is the
   * delivery's, so a job that exists (waiting, delayed for Retry-After, running) is left alone.
   */
  private async requeueUnfinished(): Promise<number> {
    const stale = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM deliveries WHERE status IN ('pending', 'sending') AND updated_at < now() - interval '5 minutes' LIMIT 1000`;
    await this.deliveryQueue.addBulk(stale.map(({ id }) => {
      const data: DeliverySendJob = { deliveryId: id };
      return { name: DELIVERY_SEND_JOB, data, opts: { ...DELIVERY_SEND_JOB_OPTIONS, jobId: deliverySendJobId(id) } };
    }));
    return stale.length;
  }

  /** delivery.tick: the tick's row (once per subscription and scheduled time), then its send. */
  async tick(subscriptionId: string, job: Job): Promise<{ deliveryId: string | null; status: string }> {
    const subscription = await loadSubscription(this.prisma, subscriptionId);
    if (!subscription || subscription.triggerKind !== 'schedule' || !subscription.isEnabled) {
      await this.deliveryQueue.removeJobScheduler(`${SCHEDULER_PREFIX}${subscriptionId}`);
      return { deliveryId: null, status: 'no longer scheduled' };
    }
    const scheduledFor = new Date((job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp + (job.opts.delay ?? 0));
    const executionId = await currentDashboardExecution(this.prisma, subscription.reportConfigurationId);
    const row = await insertTickDelivery(this.prisma, subscription, scheduledFor, executionId);
    if (row.status !== 'pending') return { deliveryId: row.id, status: row.status };
    if (!executionId) {
      await markSkipped(this.prisma, row.id, 'no_execution', 'no execution has built the dashboard yet', null);
      return { deliveryId: row.id, status: 'skipped' };
    }
    const data: DeliverySendJob = { deliveryId: row.id };
    await this.deliveryQueue.add(DELIVERY_SEND_JOB, data, { ...DELIVERY_SEND_JOB_OPTIONS, jobId: deliverySendJobId(row.id) });
    return { deliveryId: row.id, status: 'queued' };
  }
}
