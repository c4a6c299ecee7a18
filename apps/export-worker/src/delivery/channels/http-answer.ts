import { retryAfterMs, type OutboundResponse } from '@amc-reports/outbound';
import { PermanentDeliveryError, TransientDeliveryError } from './delivery-channel';

/**
 * What an HTTP receiver's answer means for a delivery: 2xx sent; 408, 429 and 5xx again later
 * (after Retry-After when given); a redirect or another 4xx will not change by retrying.
 */
export function judgeHttpAnswer(who: string, response: OutboundResponse): void {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const said = response.text.replace(/\s+/g, ' ').trim().slice(0, 300);
  const detail = `${who} answered ${status}${said ? `: ${said}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) {
    throw new TransientDeliveryError(detail, retryAfterMs(response.headers['retry-after']) ?? undefined);
  }
  if (status >= 300 && status < 400) {
    throw new PermanentDeliveryError(`${who} answered ${status} (a redirect${response.headers.location ? ` to ${String(response.headers.location)}` : ''}); redirects are not followed, give the final URL`);
  }
  throw new PermanentDeliveryError(detail);
}
