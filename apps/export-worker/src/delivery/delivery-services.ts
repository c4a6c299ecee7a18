import type { Queue } from 'bullmq';
import type { ExportWorkerEnv } from '@amc-reports/config';
import type { PrismaClient } from '@amc-reports/db';
import { OutboundHttp, parseOutboundAllowlist } from '@amc-reports/outbound';
import { createObjectStorage, exportStorageSettings } from '@amc-reports/storage';
import type { DeliveryChannel } from './channels/delivery-channel';
import { EmailChannel } from './channels/email-channel';
import { SlackChannel } from './channels/slack-channel';
import { WebhookChannel } from './channels/webhook-channel';
import { DeliveryContentLoader } from './content-loader';
import { DeliverySender, RetryLaterError } from './delivery-sender';
import { ExecutionFanOut } from './execution-fan-out';
import { SubscriptionSchedules } from './subscription-schedules';

export const DELIVERY_SERVICES = Symbol('DELIVERY_SERVICES');

export interface DeliveryServices {
  prisma: PrismaClient;
  sender: DeliverySender;
  fanOut: ExecutionFanOut;
  schedules: SubscriptionSchedules;
  close(): Promise<void>;
}

export interface DeliveryQueues {
  delivery: Queue;
  exportRender: Queue;
}

/** The delivery room's plain services and clients, wired once from the export worker's config. */
export function createDeliveryServices(config: ExportWorkerEnv, prisma: PrismaClient, queues: DeliveryQueues): DeliveryServices {
  const http = new OutboundHttp({ policy: parseOutboundAllowlist(config.OUTBOUND_ALLOWLIST), timeoutMs: config.DELIVERY_HTTP_TIMEOUT_MS });
  const channels: Record<DeliveryChannel['name'], DeliveryChannel> = {
    email: new EmailChannel({ smtpUrl: config.SMTP_URL, mailDir: config.MAIL_DIR, from: config.MAIL_FROM }),
    slack: new SlackChannel(http, config.SLACK_WEBHOOK_HOSTS),
    webhook: new WebhookChannel(http),
  };
  const storage = createObjectStorage(exportStorageSettings(config));
  const contents = new DeliveryContentLoader(prisma, config.PUBLIC_URL);
  const sender = new DeliverySender(prisma, storage, queues.exportRender, contents, channels, {
    attachmentMaxBytes: config.DELIVERY_ATTACHMENT_MAX_BYTES, linkTtlDays: config.DELIVERY_LINK_TTL_DAYS,
    publicUrl: config.PUBLIC_URL, readyTimeoutMs: config.DELIVERY_READY_TIMEOUT_MS,
  });
  return {
    prisma,
    sender,
    fanOut: new ExecutionFanOut(prisma, queues.delivery, queues.exportRender, config.DELIVERY_READY_TIMEOUT_MS),
    schedules: new SubscriptionSchedules(prisma, queues.delivery),
    async close() {
      await Promise.all(Object.values(channels).map((channel) => channel.close?.()));
      await http.close();
    },
  };
}

/**
 * The send's backoff (`delivery`): what the receiver asked for with Retry-After (capped), or
 * exponential from DELIVERY_RETRY_BASE_MS.
 */
export function deliveryBackoff(config: Pick<ExportWorkerEnv, 'DELIVERY_RETRY_BASE_MS' | 'DELIVERY_RETRY_MAX_MS'>) {
  return (attemptsMade: number, _type?: string, error?: Error): number => {
    const asked = error instanceof RetryLaterError || (error as RetryLaterError | undefined)?.retryAfterMs !== undefined
      ? (error as RetryLaterError).retryAfterMs
      : undefined;
    const exponential = config.DELIVERY_RETRY_BASE_MS * 2 ** Math.max(0, attemptsMade - 1);
    return Math.min(config.DELIVERY_RETRY_MAX_MS, asked ?? exponential);
  };
}
