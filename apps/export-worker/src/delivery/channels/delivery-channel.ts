import type { Readable } from 'node:stream';
import type { DeliveryChannel as ChannelName } from '@amc-reports/contracts';
import type { ComposedMessage } from '../compose-message';

/** A file travelling inside the message (e-mail only; everything else gets links). */
export interface OutgoingAttachment {
  fileName: string;
  contentType: string;
  /** Read when the message is sent, from the export storage. */
  open: () => Promise<Readable>;
  sizeBytes: number;
}

export interface OutgoingDelivery {
  deliveryId: string;
  /** E-mail addresses; empty for Slack and webhooks. */
  recipients: string[];
  /** Slack and webhook: where to POST. */
  url?: string;
  /** Webhook: the subscription's signing secret. */
  secret?: string;
  message: ComposedMessage;
  attachments: OutgoingAttachment[];
}

export interface SendReceipt {
  /** The Message-ID of an e-mail, or what the receiver answered. */
  messageId: string;
  /** Some recipients refused while others accepted (SMTP): said, not failed. */
  note?: string;
}

/**
 * One way out: e-mail, Slack or a webhook. Each is a thin adapter over a well-kept client
 * (nodemailer, undici) that sends one message and says how it failed: transient (try again
 * later, perhaps after `retryAfterMs`) or permanent (the reason is what people read).
 */
export interface DeliveryChannel {
  readonly name: ChannelName;
  send(delivery: OutgoingDelivery): Promise<SendReceipt>;
  close?(): Promise<void>;
}

export class TransientDeliveryError extends Error {
  override name = 'TransientDeliveryError';
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}

export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}
