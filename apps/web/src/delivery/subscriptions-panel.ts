import type { Delivery, Subscription } from '../api-types';
import { formatMoment } from '../display-format';
import { h, replaceChildren } from '../dom';
import { ApiError, errorMessage, type GatewayApi } from '../gateway-api';
import { createSubscriptionForm } from './subscription-form';

const POLL_MS = 2_000;

const DELIVERY_STATES: Record<Delivery['status'], { label: string; tone: string; glyph: string }> = {
  pending: { label: 'Queued', tone: 'info', glyph: '…' },
  sending: { label: 'Sending', tone: 'info', glyph: '↻' },
  sent: { label: 'Sent', tone: 'ok', glyph: '✓' },
  skipped: { label: 'Skipped', tone: 'neutral', glyph: '⊘' },
  failed: { label: 'Failed', tone: 'bad', glyph: '✕' },
};

function deliveryPill(status: Delivery['status']): HTMLSpanElement {
  const state = DELIVERY_STATES[status];
  return h('span', { class: `pill pill-${state.tone}`, dataset: { status } }, h('span', { class: 'pill-glyph', attrs: { 'aria-hidden': 'true' } }, state.glyph), state.label);
}

function channelText(subscription: Subscription): string {
  const channel = subscription.channel;
  if (channel.type === 'email') return `E-mail to ${channel.recipients.join(', ')}`;
  if (channel.type === 'slack') return `Slack ${channel.webhookUrl}`;
  return `Webhook ${channel.url}`;
}

function triggerText(subscription: Subscription): string {
  if (subscription.trigger.type === 'after_execution') return 'After each execution';
  const next = subscription.nextRunAt ? ` · next ${formatMoment(subscription.nextRunAt)}` : '';
  return `${subscription.trigger.cron} (${subscription.trigger.timeZone})${next}`;
}

function conditionText(subscription: Subscription): string | null {
  const parts = subscription.conditions.map((condition) => condition.type === 'changed' ? 'something changed'
    : condition.type === 'insight' ? `an insight ≥ ${condition.minConfidence.toFixed(2)}` : condition.expression);
  return parts.length > 0 ? `Only when ${parts.join(' and ')}` : null;
}

function deliveryLine(delivery: Delivery): HTMLLIElement {
  const why = delivery.status === 'skipped' ? delivery.skipReason : delivery.status === 'failed' || delivery.status === 'pending' ? delivery.error : null;
  const files = delivery.files.map((file) => `${file.fileName}${file.as === 'link' ? ' (link)' : ''}`).join(', ');
  return h('li', { class: 'delivery-item', dataset: { deliveryId: delivery.id, status: delivery.status } },
    deliveryPill(delivery.status),
    h('span', { class: 'small' }, formatMoment(delivery.sentAt ?? delivery.createdAt)),
    h('span', { class: 'small muted' }, delivery.trigger.kind === 'manual' ? 'sent on request' : delivery.trigger.kind === 'schedule' ? 'scheduled' : 'after execution'),
    delivery.attempts > 1 ? h('span', { class: 'small muted' }, `${delivery.attempts} attempts`) : null,
    why ? h('span', { class: 'delivery-why small' }, why) : null,
    files ? h('span', { class: 'delivery-files small muted' }, files) : null);
}

/**
 * A collapsed form whose fields join the page only once it is opened: a reader who never adds one
 * meets no extra "PDF" or "CSV" controls beside the export panel's.
 */
export function lazyDetails(summary: string, content: HTMLElement): HTMLDetailsElement {
  const details = h('details', { class: 'add-subscription' }, h('summary', { class: 'button button-small' }, summary));
  details.addEventListener('toggle', () => {
    if (details.open && !content.isConnected) details.append(content);
  });
  return details;
}

export interface SubscriptionsPanel {
  element: HTMLElement;
  dispose(): void;
}

/**
 * A report's subscriptions with their next run and recent deliveries (sent, skipped and why,
 * failed and why); editors and owners add, pause, delete and send one now.
 */
export function createSubscriptionsPanel(api: GatewayApi, reportId: string, canEdit: boolean, announce: (message: string) => void): SubscriptionsPanel {
  const list = h('ul', { class: 'subscription-list', attrs: { 'aria-label': 'Subscriptions' } });
  const notice = h('div', { class: 'notice', attrs: { hidden: true, role: 'status' } });
  const error = h('p', { class: 'form-error', attrs: { role: 'alert' } });
  let timer: number | undefined;
  let disposed = false;

  const act = async (work: () => Promise<unknown>, done: string): Promise<void> => {
    error.textContent = '';
    try {
      await work();
      announce(done);
    } catch (failure) {
      error.textContent = failure instanceof ApiError ? errorMessage(failure.body) ?? failure.message : (failure as Error).message;
    }
    await refresh();
  };

  const render = (subscriptions: Subscription[]): void => {
    if (subscriptions.length === 0) {
      replaceChildren(list, h('li', { class: 'empty small' }, 'No subscriptions yet: nobody receives this report.'));
      return;
    }
    replaceChildren(list, ...subscriptions.map((subscription) => {
      const conditions = conditionText(subscription);
      const actions = canEdit ? h('div', { class: 'subscription-actions' },
        h('button', { class: 'button button-small', attrs: { type: 'button' }, dataset: { action: 'send-now' }, on: { click: () => act(() => api.sendNow(reportId, subscription.id), `Sending ${subscription.name} now.`) } }, 'Send now'),
        h('button', { class: 'button button-small button-quiet', attrs: { type: 'button' }, dataset: { action: 'toggle' }, on: { click: () => act(() => api.updateSubscription(reportId, subscription.id, { enabled: !subscription.enabled }), subscription.enabled ? 'Subscription paused.' : 'Subscription resumed.') } }, subscription.enabled ? 'Pause' : 'Resume'),
        h('button', { class: 'button button-small button-quiet', attrs: { type: 'button' }, dataset: { action: 'delete' }, on: { click: () => act(() => api.deleteSubscription(reportId, subscription.id), 'Subscription deleted.') } }, 'Delete'))
        : null;
      return h('li', { class: 'subscription', dataset: { subscriptionId: subscription.id } },
        h('div', { class: 'subscription-head' },
          h('strong', { class: 'subscription-name' }, subscription.name),
          subscription.enabled ? null : h('span', { class: 'pill pill-warn' }, 'Paused'),
          ...subscription.formats.map((format) => h('span', { class: 'tag' }, format === 'link' ? 'link only' : format.toUpperCase()))),
        h('div', { class: 'small' }, channelText(subscription)),
        h('div', { class: 'small muted subscription-trigger' }, triggerText(subscription)),
        conditions ? h('div', { class: 'small muted' }, conditions) : null,
        subscription.recentDeliveries.length > 0
          ? h('ul', { class: 'delivery-list', attrs: { 'aria-label': `Recent deliveries of ${subscription.name}` } }, ...subscription.recentDeliveries.map(deliveryLine))
          : h('p', { class: 'small muted' }, 'Nothing delivered yet.'),
        actions);
    }));
  };

  const refresh = async (): Promise<void> => {
    if (timer !== undefined) window.clearTimeout(timer);
    timer = undefined;
    try {
      const page = await api.listSubscriptions(reportId);
      if (disposed) return;
      render(page.items);
      const busy = page.items.some((s) => s.recentDeliveries.some((d) => d.status === 'pending' || d.status === 'sending'));
      if (busy) timer = window.setTimeout(() => void refresh(), POLL_MS);
    } catch (failure) {
      if (!disposed) error.textContent = `Could not load the subscriptions: ${(failure as Error).message}`;
    }
  };

  const form = canEdit ? createSubscriptionForm(async (subscription) => {
    try {
      const created = await api.createSubscription(reportId, subscription);
      form?.reset();
      notice.hidden = !created.webhookSecret;
      replaceChildren(notice, ...(created.webhookSecret
        ? [h('strong', null, 'Signing secret (shown once): '), h('code', { class: 'secret' }, created.webhookSecret),
          h('span', { class: 'small' }, ' — verify the x-amc-reports-signature header with it.')]
        : []));
      announce(`Subscription ${created.name} added.`);
      await refresh();
    } catch (failure) {
      form?.showError(failure instanceof ApiError ? errorMessage(failure.body) ?? failure.message : (failure as Error).message);
    }
  }) : null;

  const element = h('section', { class: 'delivery-panel', attrs: { 'aria-labelledby': 'subscriptions-title' } },
    h('header', { class: 'card-header' }, h('h3', { attrs: { id: 'subscriptions-title' } }, 'Subscriptions'),
      h('span', { class: 'muted small' }, canEdit ? 'E-mail, Slack and signed webhooks' : 'Read only: your role cannot change subscriptions')),
    notice, error, list,
    form ? lazyDetails('Add a subscription', form.element) : null);
  void refresh();
  return {
    element,
    dispose() {
      disposed = true;
      if (timer !== undefined) window.clearTimeout(timer);
    },
  };
}
