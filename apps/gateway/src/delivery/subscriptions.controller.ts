import { randomBytes, randomUUID } from 'node:crypto';
import { Body, ConflictException, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api, maskSlackUrl, type Channel, type Trigger } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { notFound, parseId, parseRequest, toPage, validationError } from '../common/request-validation';
import { UserScope } from '../common/user-scope.service';
import { recentDeliveries, toDeliveryView, toSubscriptionView, type SubscriptionRecord } from './delivery-views';
import { ReportScope } from './report-scope';
import { SubscriptionPolicy } from './subscription-policy';
import { DeliveryQueueClient } from './subscription-schedules';

/** The columns a channel and a trigger are stored in, and the secret the channel needs (if any). */
function storedChannel(channel: Channel) {
  if (channel.type === 'email') return { channel: 'email', recipients: channel.recipients, targetUrl: null, secret: null };
  if (channel.type === 'slack') return { channel: 'slack', recipients: [], targetUrl: maskSlackUrl(channel.webhookUrl), secret: channel.webhookUrl };
  return { channel: 'webhook', recipients: [], targetUrl: channel.url, secret: `whsec_${randomBytes(24).toString('hex')}` };
}

const storedTrigger = (trigger: Trigger) => (trigger.type === 'schedule'
  ? { triggerKind: 'schedule', cron: trigger.cron, timeZone: trigger.timeZone }
  : { triggerKind: 'after_execution', cron: null, timeZone: null });

const defaultName = (channel: Channel, trigger: Trigger): string => {
  const to = channel.type === 'email' ? channel.recipients.join(', ') : channel.type === 'slack' ? 'Slack' : new URL(channel.url).host;
  return `${trigger.type === 'schedule' ? 'Scheduled' : 'After each execution'} → ${to}`.slice(0, 200);
};

/**
 * A report's subscriptions (issue 16): members read them with their next run and recent
 * deliveries; editors and owners create, change, delete and send now. A webhook's signing secret
 * is shown once, in the answer that made it.
 */
@Controller('v1/reports/:id')
@UseGuards(JwtAuthGuard)
export class SubscriptionsController {
  private readonly policy: SubscriptionPolicy;

  constructor(
    private readonly scope: UserScope,
    private readonly reports: ReportScope,
    private readonly queue: DeliveryQueueClient,
    policy: SubscriptionPolicy,
  ) {
    this.policy = policy;
  }

  @Get('subscriptions')
  list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Query() query: unknown) {
    const reportId = parseId(id, 'report');
    const { limit, offset } = parseRequest(api.ListSubscriptions, query);
    return this.scope.run(user, async (tx) => {
      await this.reports.visible(tx, reportId);
      const rows = await tx.reportSubscription.findMany({
        where: { reportConfigurationId: reportId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit + 1, skip: offset,
      });
      const page = toPage(rows, { limit, offset });
      const recent = await recentDeliveries(tx, page.items.map((row) => row.id));
      return { ...page, items: page.items.map((row) => toSubscriptionView(row, recent.get(row.id) ?? [])) };
    });
  }

  @Post('subscriptions')
  async create(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const reportId = parseId(id, 'report');
    const input = parseRequest(api.CreateSubscription, body);
    const issues = [...this.policy.channelIssues(input.channel), ...this.policy.triggerIssues(input.trigger)];
    if (issues.length > 0) throw validationError(issues);
    const { row, secret } = await this.scope.run(user, async (tx) => {
      await this.reports.changeable(tx, user, reportId, 'subscribe to reports');
      const { secret: channelSecret, ...channel } = storedChannel(input.channel);
      const created = await tx.reportSubscription.create({
        data: {
          reportConfigurationId: reportId, name: input.name ?? defaultName(input.channel, input.trigger), ...channel,
          formats: input.formats, ...storedTrigger(input.trigger), conditions: input.conditions as object[], isEnabled: input.enabled, createdBy: user.id,
        },
      });
      if (channelSecret) await setSecret(tx, created.id, channelSecret);
      return { row: created, secret: input.channel.type === 'webhook' ? channelSecret : null };
    });
    await this.queue.syncSchedule(row);
    return { ...toSubscriptionView(row, []), ...(secret ? { webhookSecret: secret } : {}) };
  }

  @Patch('subscriptions/:subscriptionId')
  async update(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('subscriptionId') subscriptionParam: string, @Body() body: unknown) {
    const reportId = parseId(id, 'report');
    const subscriptionId = parseId(subscriptionParam, 'subscription');
    const input = parseRequest(api.UpdateSubscription, body);
    const issues = [...(input.channel ? this.policy.channelIssues(input.channel) : []), ...(input.trigger ? this.policy.triggerIssues(input.trigger) : [])];
    if (issues.length > 0) throw validationError(issues);
    const { row, secret } = await this.scope.run(user, async (tx) => {
      await this.reports.changeable(tx, user, reportId, 'change subscriptions');
      const existing = await findSubscription(tx, reportId, subscriptionId);
      const channel = input.channel ? storedChannel(input.channel) : null;
      const becomesWebhook = (channel?.channel ?? existing.channel) === 'webhook';
      if (input.rotateSecret && !becomesWebhook) throw validationError([{ field: 'rotateSecret', message: 'only webhook subscriptions have a signing secret' }]);
      const updated = await tx.reportSubscription.update({
        where: { id: subscriptionId },
        data: {
          ...(input.name ? { name: input.name } : {}),
          ...(channel ? { channel: channel.channel, recipients: channel.recipients, targetUrl: channel.targetUrl } : {}),
          ...(input.formats ? { formats: input.formats } : {}),
          ...(input.trigger ? storedTrigger(input.trigger) : {}),
          ...(input.conditions ? { conditions: input.conditions as object[] } : {}),
          ...(input.enabled !== undefined ? { isEnabled: input.enabled } : {}),
        },
      });
      // A webhook keeps its secret when only its URL changes; a new one is made when asked, or when it becomes a webhook.
      const newWebhookSecret = becomesWebhook && (input.rotateSecret || existing.channel !== 'webhook') ? storedChannel({ type: 'webhook', url: updated.targetUrl ?? '' }).secret : null;
      const secretToStore = channel?.channel === 'slack' ? channel.secret : newWebhookSecret;
      if (secretToStore) await setSecret(tx, subscriptionId, secretToStore);
      return { row: updated, secret: newWebhookSecret };
    });
    await this.queue.syncSchedule(row);
    const recent = await this.scope.run(user, (tx) => recentDeliveries(tx, [row.id]));
    return { ...toSubscriptionView(row, recent.get(row.id) ?? []), ...(secret ? { webhookSecret: secret } : {}) };
  }

  @Delete('subscriptions/:subscriptionId')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('subscriptionId') subscriptionParam: string): Promise<void> {
    const reportId = parseId(id, 'report');
    const subscriptionId = parseId(subscriptionParam, 'subscription');
    await this.scope.run(user, async (tx) => {
      await this.reports.changeable(tx, user, reportId, 'delete subscriptions');
      await findSubscription(tx, reportId, subscriptionId);
      await tx.reportSubscription.delete({ where: { id: subscriptionId } });
    });
    await this.queue.removeSchedule(subscriptionId);
  }

  /** "Send now": the execution the dashboard shows, to this subscription, whatever its conditions. */
  @Post('subscriptions/:subscriptionId/deliveries')
  @HttpCode(202)
  async sendNow(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('subscriptionId') subscriptionParam: string) {
    const reportId = parseId(id, 'report');
    const subscriptionId = parseId(subscriptionParam, 'subscription');
    const delivery = await this.scope.run(user, async (tx) => {
      await this.reports.changeable(tx, user, reportId, 'send subscriptions');
      const subscription = await findSubscription(tx, reportId, subscriptionId);
      const shown = await tx.dashboardView.findFirst({
        where: { reportConfigurationId: reportId, sourceExecutionId: { not: null } }, orderBy: { processedAt: 'desc' }, select: { sourceExecutionId: true },
      });
      if (!shown?.sourceExecutionId) {
        throw new ConflictException({ statusCode: 409, error: 'no_execution', message: 'the report has no execution yet: nothing to send' });
      }
      return tx.delivery.create({
        data: {
          subscriptionId, reportConfigurationId: reportId, triggerKind: 'manual', triggerKey: `manual-${randomUUID()}`,
          executionId: shown.sourceExecutionId, channel: subscription.channel, requestedBy: user.id,
          recipient: subscription.channel === 'email' ? subscription.recipients.join(', ') : subscription.targetUrl ?? subscription.channel,
        },
      });
    });
    await this.queue.queueSend(delivery.id);
    return toDeliveryView(delivery);
  }

  @Get('deliveries')
  listDeliveries(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Query() query: unknown) {
    const reportId = parseId(id, 'report');
    const { limit, offset, subscriptionId, status } = parseRequest(api.ListDeliveries, query);
    return this.scope.run(user, async (tx) => {
      await this.reports.visible(tx, reportId);
      const rows = await tx.delivery.findMany({
        where: { reportConfigurationId: reportId, subscriptionId: subscriptionId?.toLowerCase(), status },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset,
      });
      const page = toPage(rows, { limit, offset });
      return { ...page, items: page.items.map(toDeliveryView) };
    });
  }
}

async function findSubscription(tx: TransactionClient, reportId: string, subscriptionId: string): Promise<SubscriptionRecord> {
  const row = await tx.reportSubscription.findFirst({ where: { id: subscriptionId, reportConfigurationId: reportId } });
  if (!row) throw notFound('subscription');
  return row;
}

async function setSecret(tx: TransactionClient, subscriptionId: string, secret: string): Promise<void> {
  const [{ stored }] = await tx.$queryRaw<{ stored: boolean }[]>`SELECT app_set_subscription_secret(${subscriptionId}::uuid, ${secret}) AS stored`;
  if (!stored) throw notFound('subscription');
}
