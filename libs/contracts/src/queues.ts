import { DELIVERY_QUEUE } from './delivery.queue';
import { EXPORT_RENDER_QUEUE } from './export-render.queue';
import { INSIGHT_GENERATE_QUEUE } from './insight-generate.queue';
import { MAINTENANCE_QUEUE } from './maintenance.queue';
import { REPORT_UPDATE_QUEUE } from './report-update.queue';

/** Every queue and the one app that consumes it; a start-up check holds apps to this table. */
export const QUEUE_CONSUMERS = {
  [REPORT_UPDATE_QUEUE]: 'report-service',
  [INSIGHT_GENERATE_QUEUE]: 'insight-worker',
  [EXPORT_RENDER_QUEUE]: 'export-worker',
  [MAINTENANCE_QUEUE]: 'export-worker',
  // A bounded module of the export worker (apps/export-worker/src/delivery): it attaches the
  // files that worker renders, and a fifth process would not pay for itself on small machines.
  [DELIVERY_QUEUE]: 'export-worker',
} as const;
export type QueueName = keyof typeof QUEUE_CONSUMERS;
export type ConsumerApp = (typeof QUEUE_CONSUMERS)[QueueName];
export const QUEUE_NAMES = Object.keys(QUEUE_CONSUMERS) as QueueName[];

export function queuesConsumedBy(app: ConsumerApp): QueueName[] {
  return QUEUE_NAMES.filter((name) => QUEUE_CONSUMERS[name] === app);
}
