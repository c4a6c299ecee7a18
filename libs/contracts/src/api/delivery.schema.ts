import { z } from 'zod';
import {
  Channel, Conditions, DELIVERY_CHANNELS, DELIVERY_FORMATS, DELIVERY_STATUSES, DELIVERY_TRIGGER_KINDS, Formats, SKIPPED_BY, Trigger,
} from '../delivery-rules';
import { Name, NullableTimestamp, pageOf, Pagination, Timestamp, Uuid } from './common.schema';

export const SubscriptionPath = z.strictObject({ id: z.string(), subscriptionId: z.string() });

export const CreateSubscription = z.strictObject({
  name: Name().optional(),
  channel: Channel,
  formats: Formats,
  trigger: Trigger,
  conditions: Conditions.default([]),
  enabled: z.boolean().default(true),
});
export type CreateSubscription = z.infer<typeof CreateSubscription>;

export const UpdateSubscription = z.strictObject({
  name: Name().optional(),
  channel: Channel.optional(),
  formats: Formats.optional(),
  trigger: Trigger.optional(),
  conditions: Conditions.optional(),
  enabled: z.boolean().optional(),
  /** Webhooks: replace the signing secret (the answer shows the new one, once). */
  rotateSecret: z.literal(true).optional(),
});
export type UpdateSubscription = z.infer<typeof UpdateSubscription>;

export const ListSubscriptions = Pagination;

/** A channel as it is shown: a Slack URL masked (it is a credential), a webhook's URL in full. */
export const ChannelView = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), recipients: z.array(z.string()) }),
  z.object({ type: z.literal('slack'), webhookUrl: z.string() }),
  z.object({ type: z.literal('webhook'), url: z.string() }),
]);

export const DeliveryFile = z.object({
  format: z.enum(DELIVERY_FORMATS),
  fileName: z.string(),
  sizeBytes: z.int().nullable(),
  /** attachment: in the e-mail; link: an expiring download link (too large to mail, or Slack / webhook). */
  as: z.enum(['attachment', 'link']),
  expiresAt: NullableTimestamp,
});

export const DeliveryView = z.object({
  id: Uuid,
  subscriptionId: Uuid,
  trigger: z.object({
    kind: z.enum(DELIVERY_TRIGGER_KINDS),
    executionId: Uuid.nullable(),
    scheduledFor: NullableTimestamp,
  }),
  channel: z.enum(DELIVERY_CHANNELS),
  recipient: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  skippedBy: z.enum(SKIPPED_BY).nullable(),
  skipReason: z.string().nullable(),
  attempts: z.int(),
  error: z.string().nullable(),
  files: z.array(DeliveryFile),
  messageId: z.string().nullable(),
  createdAt: Timestamp,
  sentAt: NullableTimestamp,
  finishedAt: NullableTimestamp,
});
export const DeliveryPage = pageOf(DeliveryView);

export const ListDeliveries = Pagination.extend({
  subscriptionId: Uuid.optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
});

export const SubscriptionView = z.object({
  id: Uuid,
  reportId: Uuid,
  name: z.string(),
  channel: ChannelView,
  formats: z.array(z.enum(DELIVERY_FORMATS)),
  trigger: z.discriminatedUnion('type', [
    z.object({ type: z.literal('after_execution') }),
    z.object({ type: z.literal('schedule'), cron: z.string(), timeZone: z.string() }),
  ]),
  conditions: z.array(z.record(z.string(), z.unknown())),
  enabled: z.boolean(),
  /** Scheduled and enabled: when the next tick fires. */
  nextRunAt: NullableTimestamp,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** The newest deliveries, newest first (at most 5). */
  recentDeliveries: z.array(DeliveryView),
});
export const SubscriptionPage = pageOf(SubscriptionView);

/** Create (and rotateSecret) of a webhook subscription: the signing secret, shown this once. */
export const CreatedSubscription = SubscriptionView.extend({ webhookSecret: z.string().optional() });
