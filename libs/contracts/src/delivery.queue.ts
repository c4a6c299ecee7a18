import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { KEEP_COMPLETED, retryingJobOptions } from './job-options';

/** Queue and job names are stored in Redis: never rename them casually. */
export const DELIVERY_QUEUE = 'delivery' as const;

/**
 * After an execution rebuilt a report's dashboard (report-service): waits until the execution's
 * insights and the exports its subscriptions attach are done, then fans out one send per
 * after_execution subscription.
 */
export const DELIVERY_EXECUTION_JOB = 'delivery.execution' as const;
export const DeliveryExecutionJob = z.object({
  configurationId: z.string().uuid(),
  executionId: z.string().uuid(),
});
export type DeliveryExecutionJob = z.infer<typeof DeliveryExecutionJob>;
export const deliveryExecutionJobId = (configurationId: string, executionId: string): string => `dlv-exec-${configurationId}-${executionId}`;
export const DELIVERY_EXECUTION_JOB_OPTIONS = retryingJobOptions(5, 2_000);

/** A scheduled subscription's tick, made by its BullMQ job scheduler (`sub-<id>`). */
export const DELIVERY_TICK_JOB = 'delivery.tick' as const;
export const DeliveryTickJob = z.object({ subscriptionId: z.string().uuid() });
export type DeliveryTickJob = z.infer<typeof DeliveryTickJob>;

/** One delivery row: prepare its files, check its conditions, send it once. */
export const DELIVERY_SEND_JOB = 'delivery.send' as const;
export const DeliverySendJob = z.object({ deliveryId: z.string().uuid() });
export type DeliverySendJob = z.infer<typeof DeliverySendJob>;
export const deliverySendJobId = (deliveryId: string): string => `dlv-${deliveryId}`;

/**
 * The send's retries: the worker's backoff strategy `delivery` waits what a 429 / 503 asked for
 * (Retry-After) or grows exponentially from DELIVERY_RETRY_BASE_MS; after the last attempt the
 * delivery is failed with the reason.
 */
export const DELIVERY_BACKOFF_TYPE = 'delivery' as const;
export const DELIVERY_SEND_ATTEMPTS = 6;
export const DELIVERY_SEND_JOB_OPTIONS: JobsOptions = {
  attempts: DELIVERY_SEND_ATTEMPTS,
  backoff: { type: DELIVERY_BACKOFF_TYPE },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: false,
};

/** Re-aligns the job schedulers with the scheduled subscriptions in Postgres (a missed upsert, a deleted row). */
export const DELIVERY_RECONCILE_JOB = 'delivery.reconcile' as const;
export const DELIVERY_RECONCILE_EVERY_MS = 5 * 60_000;

/** Every job name of the delivery queue (one processor routes them). */
export const DELIVERY_JOBS = [DELIVERY_EXECUTION_JOB, DELIVERY_TICK_JOB, DELIVERY_SEND_JOB, DELIVERY_RECONCILE_JOB] as const;

/**
 * The job scheduler of a scheduled subscription (`sub-<id>`, one each), as both the gateway (on
 * create / change) and the delivery worker (reconciliation) upsert it.
 */
export function subscriptionSchedule(subscription: { id: string; cron: string; timeZone: string }) {
  const data: DeliveryTickJob = { subscriptionId: subscription.id };
  return {
    id: `sub-${subscription.id}`,
    repeat: { pattern: subscription.cron, tz: subscription.timeZone },
    template: { name: DELIVERY_TICK_JOB, data, opts: { ...retryingJobOptions(3, 2_000), removeOnFail: { count: 1_000 } } },
  };
}
