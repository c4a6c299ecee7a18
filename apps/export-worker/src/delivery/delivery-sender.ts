import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Queue } from 'bullmq';
import type { PrismaClient } from '@amc-reports/db';
import type { ObjectStorage } from '@amc-reports/storage';
import { PermanentDeliveryError, TransientDeliveryError, type DeliveryChannel } from './channels/delivery-channel';
import { composeMessage, windowLastDay } from './compose-message';
import { evaluateConditions, type ConditionVerdict } from './conditions';
import type { DeliveryContentLoader } from './content-loader';
import { contentFingerprint } from './delivery-content';
import { ensureDeliveryExports, fileFormats, planFiles, type FilePlanSettings } from './delivery-files';
import {
  claimDelivery, lastSentDelivery, loadDelivery, loadSubscription, markFailed, markSent, markSkipped, releaseForRetry, SETTLED,
  type DeliveryRow, type SubscriptionRow,
} from './delivery-store';

export interface SendContext {
  jobId: string;
  /** 1-based. */
  attempt: number;
  maxAttempts: number;
}

export type SendOutcome =
  | { status: 'sent' | 'skipped' | 'failed'; deliveryId: string; already?: boolean; reason?: string }
  /** Its files are still being rendered: run again after `retryInMs` (not an attempt). */
  | { status: 'waiting'; deliveryId: string; retryInMs: number };

export interface SenderSettings extends FilePlanSettings {
  readyTimeoutMs: number;
}

/** A transient failure carrying the receiver's Retry-After to the queue's backoff strategy. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

/**
 * delivery.send: one deliveries row → its files ready → claimed → conditions → composed → sent
 * through its channel → recorded. Whatever ran before (a retry, a redelivered job), a row that is
 * sent, skipped or failed is never sent again.
 */
export class DeliverySender {
  private readonly logger = new Logger(DeliverySender.name);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly storage: ObjectStorage,
    private readonly exportQueue: Queue,
    private readonly contents: DeliveryContentLoader,
    private readonly channels: Record<DeliveryChannel['name'], DeliveryChannel>,
    private readonly settings: SenderSettings,
  ) {}

  async send(deliveryId: string, context: SendContext): Promise<SendOutcome> {
    const delivery = await loadDelivery(this.prisma, deliveryId);
    if (!delivery) throw new UnrecoverableError(`delivery ${deliveryId} does not exist (its subscription was deleted?)`);
    const log = { deliveryId, subscriptionId: delivery.subscriptionId, reportId: delivery.reportConfigurationId, executionId: delivery.executionId, ...context };
    if (SETTLED.has(delivery.status)) {
      this.logger.log({ msg: `delivery already ${delivery.status}: nothing to send`, ...log });
      return { status: delivery.status as 'sent', deliveryId, already: true };
    }
    const subscription = await loadSubscription(this.prisma, delivery.subscriptionId);
    if (!subscription) throw new UnrecoverableError(`subscription ${delivery.subscriptionId} does not exist`);
    if (!subscription.isEnabled && delivery.triggerKind !== 'manual') {
      return this.skip(delivery, 'disabled', 'the subscription was disabled before this delivery was sent', null);
    }
    if (!delivery.executionId) return this.skip(delivery, 'no_execution', 'no execution has built the dashboard yet', null);

    const readiness = await ensureDeliveryExports(this.prisma, this.exportQueue, delivery.reportConfigurationId, delivery.executionId, fileFormats(subscription.formats));
    if (readiness.state === 'failed') return this.fail(delivery, readiness.reason, log);
    if (readiness.state === 'waiting') {
      const age = Date.now() - delivery.createdAt.getTime();
      if (age > this.settings.readyTimeoutMs) {
        return this.fail(delivery, `the ${readiness.formats.join(', ')} export was not ready ${Math.round(age / 60_000)} min after the delivery was due`, log);
      }
      return { status: 'waiting', deliveryId, retryInMs: Math.min(5_000, Math.max(250, Math.round(age / 4))) };
    }

    const content = await this.contents.load(delivery.reportConfigurationId, delivery.executionId);
    if (!content) throw new UnrecoverableError(`report ${delivery.reportConfigurationId} does not exist`);
    const fingerprint = contentFingerprint(content);
    const claimed = await claimDelivery(this.prisma, deliveryId);
    if (!claimed) return { status: 'sent', deliveryId, already: true };

    const verdict = await this.verdict(subscription, claimed, content, fingerprint);
    if (!verdict.send) return this.skip(claimed, verdict.skippedBy, verdict.reason, fingerprint);

    const plan = await planFiles(this.prisma, this.storage, this.settings, {
      deliveryId, channel: subscription.channel, reportName: content.report.name, windowEnd: windowLastDay(content), exports: readiness.exports,
    });
    const message = composeMessage({
      deliveryId, subscription, trigger: { kind: claimed.triggerKind, scheduledFor: claimed.scheduledFor }, content,
      alerts: verdict.alerts, files: plan.files, sentAt: new Date(),
    });
    let receipt;
    try {
      receipt = await this.channels[subscription.channel].send({
        deliveryId, recipients: subscription.recipients, message, attachments: plan.attachments,
        url: subscription.channel === 'slack' ? subscription.secret ?? undefined : subscription.targetUrl ?? undefined,
        secret: subscription.channel === 'webhook' ? subscription.secret ?? undefined : undefined,
      });
    } catch (error) {
      return this.sendFailed(claimed, error as Error, context, log);
    }
    await recordWithRetries(() => markSent(this.prisma, deliveryId, { fingerprint, files: plan.files, messageId: receipt.messageId, note: receipt.note }));
    this.logger.log({ msg: `delivery sent by ${subscription.channel}`, files: plan.files.length, alerts: verdict.alerts.length, ...log });
    return { status: 'sent', deliveryId };
  }

  /** Conditions decide scheduled and after-execution deliveries; "send now" is sent whatever they say (with the alerts that hold). */
  private async verdict(subscription: SubscriptionRow, delivery: DeliveryRow, content: Parameters<typeof contentFingerprint>[0], fingerprint: string): Promise<ConditionVerdict> {
    const lastSent = subscription.conditions.some((condition) => condition.type === 'changed')
      ? await lastSentDelivery(this.prisma, subscription.id, delivery.id)
      : null;
    const verdict = evaluateConditions(subscription.conditions, { content, fingerprint, lastSent });
    if (delivery.triggerKind === 'manual' && !verdict.send) return { send: true, alerts: [] };
    return verdict;
  }

  private async skip(delivery: DeliveryRow, skippedBy: Parameters<typeof markSkipped>[2], reason: string, fingerprint: string | null): Promise<SendOutcome> {
    await markSkipped(this.prisma, delivery.id, skippedBy, reason, fingerprint);
    this.logger.log({ msg: `delivery skipped (${skippedBy}): ${reason}`, deliveryId: delivery.id, subscriptionId: delivery.subscriptionId });
    return { status: 'skipped', deliveryId: delivery.id, reason };
  }

  private async fail(delivery: DeliveryRow, reason: string, log: object): Promise<never> {
    await markFailed(this.prisma, delivery.id, reason);
    this.logger.warn({ msg: `delivery failed: ${reason}`, ...log });
    throw new UnrecoverableError(reason);
  }

  private async sendFailed(delivery: DeliveryRow, error: Error, context: SendContext, log: object): Promise<never> {
    if (error instanceof TransientDeliveryError && context.attempt < context.maxAttempts) {
      await releaseForRetry(this.prisma, delivery.id, `attempt ${context.attempt} of ${context.maxAttempts} failed: ${error.message}`);
      this.logger.warn({ msg: `delivery attempt failed, will retry: ${error.message}`, retryAfterMs: error.retryAfterMs, ...log });
      throw new RetryLaterError(error.message, error.retryAfterMs);
    }
    const reason = error instanceof PermanentDeliveryError ? error.message
      : error instanceof TransientDeliveryError ? `gave up after ${context.attempt} attempts: ${error.message}`
        : `could not send: ${error.message}`;
    if (!(error instanceof PermanentDeliveryError) && !(error instanceof TransientDeliveryError)) {
      // Not the receiver's answer (a bug, storage gone): retried by the queue like any other error.
      await releaseForRetry(this.prisma, delivery.id, reason);
      if (context.attempt < context.maxAttempts) throw error;
    }
    return this.fail(delivery, reason, log);
  }
}

/**
 * The receiver has the message: recording that must not be lost to a blip, or a retry would send
 * it again. A few quick tries before giving up (the row then stays `sending`, and a redelivered
 * job re-sends with the same Message-ID / idempotency key).
 */
async function recordWithRetries(write: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
