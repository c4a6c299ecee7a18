import { buildSignatureHeader } from '@amc-reports/contracts';
import { OutboundRefusedError, type OutboundHttp } from '@amc-reports/outbound';
import { PermanentDeliveryError, TransientDeliveryError, type DeliveryChannel, type OutgoingDelivery, type SendReceipt } from './delivery-channel';
import { judgeHttpAnswer } from './http-answer';

/** The signature header of outgoing webhooks: `t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">`, as the gateway accepts. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-amc-reports-signature';
export const WEBHOOK_DELIVERY_HEADER = 'x-amc-reports-delivery';

/**
 * A signed JSON POST: the body is signed with the subscription's secret by the same signer the
 * AMC pipeline uses towards the gateway (libs/contracts/src/amc-signature.ts), so a receiver
 * verifies it with verifyAmcSignature. The delivery id rides along as an idempotency key.
 */
export class WebhookChannel implements DeliveryChannel {
  readonly name = 'webhook' as const;

  constructor(private readonly http: OutboundHttp) {}

  async send(delivery: OutgoingDelivery): Promise<SendReceipt> {
    if (!delivery.secret) throw new PermanentDeliveryError('the subscription has no signing secret (rotate it to make one)');
    const body = JSON.stringify(delivery.message.webhook);
    let response;
    try {
      response = await this.http.postJson(delivery.url ?? '', body, {
        [WEBHOOK_SIGNATURE_HEADER]: buildSignatureHeader(delivery.secret, body),
        [WEBHOOK_DELIVERY_HEADER]: delivery.deliveryId,
        'idempotency-key': delivery.deliveryId,
      });
    } catch (error) {
      if (error instanceof OutboundRefusedError) throw new PermanentDeliveryError(`the webhook URL was refused: ${error.message}`);
      throw new TransientDeliveryError(`could not reach the webhook: ${(error as Error).message}`);
    }
    judgeHttpAnswer('the webhook', response);
    return { messageId: `webhook:${response.status}` };
  }
}
