import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { PermanentDeliveryError, TransientDeliveryError, type DeliveryChannel, type OutgoingDelivery, type SendReceipt } from './delivery-channel';

export interface EmailSettings {
  /** smtp(s)://…; unset: every message is written to `mailDir` as `<delivery id>.eml`. */
  smtpUrl?: string;
  mailDir: string;
  from: string;
}

/** Where an e-mail of the embedded default (no SMTP_URL) is written. */
export const emlPath = (mailDir: string, deliveryId: string): string => path.join(mailDir, `${deliveryId}.eml`);

/**
 * E-mail through nodemailer: a pooled SMTP transport for SMTP_URL, or nodemailer's stream
 * transport writing RFC 5322 files (the embedded default). The Message-ID is the delivery's, so
 * a retry after a crash between the SMTP answer and the deliveries row is recognisable downstream.
 */
export class EmailChannel implements DeliveryChannel {
  readonly name = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly settings: EmailSettings) {
    this.transport = settings.smtpUrl
      ? nodemailer.createTransport({ url: settings.smtpUrl, pool: true, maxConnections: 5, maxMessages: 500 } as never)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(delivery: OutgoingDelivery): Promise<SendReceipt> {
    const messageId = `<${delivery.deliveryId}@amc-reports>`;
    const mail = {
      from: this.settings.from,
      to: delivery.recipients,
      subject: delivery.message.subject,
      text: delivery.message.text,
      html: delivery.message.html,
      messageId,
      headers: { 'X-AMC-Reports-Delivery': delivery.deliveryId },
      attachments: await Promise.all(delivery.attachments.map(async (file) => ({
        filename: file.fileName, contentType: file.contentType, content: await file.open(),
      }))),
    };
    let info: SentInfo;
    try {
      info = (await this.transport.sendMail(mail as SendMailOptions)) as SentInfo;
    } catch (error) {
      throw classifySmtpError(error as SmtpError);
    }
    if (!this.settings.smtpUrl) {
      await this.writeEml(delivery.deliveryId, info.message as Buffer);
      return { messageId };
    }
    const rejected = (info.rejected ?? []).map(String);
    return rejected.length > 0
      ? { messageId, note: `refused by the SMTP server for ${rejected.join(', ')}: ${(info.rejectedErrors ?? []).map((e) => e.message).join('; ')}` }
      : { messageId };
  }

  /** Written whole or not at all: a temporary name, then a rename. */
  private async writeEml(deliveryId: string, message: Buffer): Promise<void> {
    await mkdir(this.settings.mailDir, { recursive: true });
    const target = emlPath(this.settings.mailDir, deliveryId);
    const temporary = `${target}.${randomUUID()}.tmp`;
    await writeFile(temporary, message);
    await rename(temporary, target);
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

interface SentInfo {
  messageId?: string;
  rejected?: unknown[];
  rejectedErrors?: { message: string }[];
  /** The stream transport's RFC 5322 bytes. */
  message?: Buffer;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** SMTP 4xx and connection trouble are worth retrying; 5xx and bad addresses are not. */
export function classifySmtpError(error: SmtpError): Error {
  const answer = error.response ? error.response.replace(/\s+/g, ' ').trim() : error.message;
  if (error.responseCode !== undefined) {
    if (error.responseCode >= 400 && error.responseCode < 500) return new TransientDeliveryError(`the SMTP server answered ${answer}`);
    return new PermanentDeliveryError(`the SMTP server refused the ${error.code === 'EENVELOPE' ? 'recipient' : 'message'}: ${answer}`);
  }
  if (error.code === 'EAUTH') return new PermanentDeliveryError(`SMTP authentication failed: ${answer} (check SMTP_URL)`);
  if (error.code === 'EENVELOPE') return new PermanentDeliveryError(`no recipient was accepted: ${answer}`);
  return new TransientDeliveryError(`could not reach the SMTP server: ${error.code ? `${error.code} ` : ''}${error.message}`);
}
