import { checkCron, type Channel, type Trigger } from '@amc-reports/contracts';
import { checkOutboundUrl, OutboundRefusedError, parseOutboundAllowlist, type OutboundPolicy } from '@amc-reports/outbound';
import type { GatewayConfig } from '../app-config';
import type { FieldIssue } from '../common/request-validation';

/**
 * What the gateway checks beyond the schema, so a subscription that could never be delivered is
 * a 400 now rather than a failed delivery later: Slack URLs on Slack's host, webhook URLs past the
 * SSRF guard's static checks (IP literals, schemes, credentials; names are checked again, resolved,
 * at every send), and schedules no tighter than DELIVERY_MIN_INTERVAL_SECONDS.
 */
export class SubscriptionPolicy {
  private readonly outbound: OutboundPolicy;

  constructor(private readonly config: Pick<GatewayConfig, 'OUTBOUND_ALLOWLIST' | 'SLACK_WEBHOOK_HOSTS' | 'DELIVERY_MIN_INTERVAL_SECONDS'>) {
    this.outbound = parseOutboundAllowlist(config.OUTBOUND_ALLOWLIST);
  }

  channelIssues(channel: Channel): FieldIssue[] {
    if (channel.type === 'email') return [];
    const field = channel.type === 'slack' ? 'channel.webhookUrl' : 'channel.url';
    const url = channel.type === 'slack' ? channel.webhookUrl : channel.url;
    try {
      const checked = checkOutboundUrl(url, this.outbound);
      if (channel.type === 'slack' && !this.config.SLACK_WEBHOOK_HOSTS.includes(checked.url.host.toLowerCase())) {
        return [{ field, message: `must be a Slack incoming-webhook URL (on ${this.config.SLACK_WEBHOOK_HOSTS.join(', ')})` }];
      }
      return [];
    } catch (error) {
      if (error instanceof OutboundRefusedError) return [{ field, message: error.message }];
      throw error;
    }
  }

  triggerIssues(trigger: Trigger): FieldIssue[] {
    if (trigger.type !== 'schedule') return [];
    const check = checkCron(trigger.cron, trigger.timeZone);
    const minimum = this.config.DELIVERY_MIN_INTERVAL_SECONDS;
    if (check.ok && (check.intervalSeconds ?? 0) < minimum) {
      return [{ field: 'trigger.cron', message: `runs every ${check.intervalSeconds} s; the shortest schedule allowed is every ${minimum} s` }];
    }
    return [];
  }
}
