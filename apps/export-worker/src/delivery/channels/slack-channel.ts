import { OutboundRefusedError, type OutboundHttp } from '@amc-reports/outbound';
import { PermanentDeliveryError, TransientDeliveryError, type DeliveryChannel, type OutgoingDelivery, type SendReceipt } from './delivery-channel';
import { judgeHttpAnswer } from './http-answer';

/**
 * Slack's incoming-webhook API: one POST of `{text, blocks}` to the subscription's webhook URL,
 * answered "ok" (Slack's errors come back as 4xx with a word such as channel_not_found). Files
 * cannot travel through an incoming webhook: the message links them.
 */
export class SlackChannel implements DeliveryChannel {
  readonly name = 'slack' as const;

  constructor(private readonly http: OutboundHttp, private readonly allowedHosts: readonly string[]) {}

  async send(delivery: OutgoingDelivery): Promise<SendReceipt> {
    const url = delivery.url ?? '';
    let host: string;
    try {
      host = new URL(url).host.toLowerCase();
    } catch {
      throw new PermanentDeliveryError('the Slack webhook URL is not a URL');
    }
    if (!this.allowedHosts.includes(host)) throw new PermanentDeliveryError(`Slack webhooks go to ${this.allowedHosts.join(', ')}, not ${host}`);
    let response;
    try {
      response = await this.http.postJson(url, JSON.stringify(delivery.message.slack));
    } catch (error) {
      if (error instanceof OutboundRefusedError) throw new PermanentDeliveryError(`the Slack webhook URL was refused: ${error.message}`);
      throw new TransientDeliveryError(`could not reach Slack: ${(error as Error).message}`);
    }
    judgeHttpAnswer('Slack', response);
    return { messageId: `slack:${response.text.trim().slice(0, 100) || response.status}` };
  }
}
