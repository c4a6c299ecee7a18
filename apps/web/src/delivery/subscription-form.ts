import type { DeliveryFormat, NewSubscription, SubscriptionCondition } from '../api-types';
import { h } from '../dom';

const FORMAT_CHOICES: { value: DeliveryFormat; label: string }[] = [
  { value: 'pdf', label: 'PDF' }, { value: 'png', label: 'PNG' }, { value: 'csv', label: 'CSV' }, { value: 'excel', label: 'Excel' },
  { value: 'link', label: 'Link only' },
];

export interface SubscriptionForm {
  element: HTMLFormElement;
  showError(message: string): void;
  reset(): void;
}

const field = (id: string, label: string, control: HTMLElement, hint?: string) =>
  h('div', { class: 'field' }, h('label', { class: 'field-label', attrs: { for: id } }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);

/**
 * The "add a subscription" form: channel and where to, files, when, and the conditions that must
 * hold. It only shapes the request; the gateway validates it and names any bad field.
 */
export function createSubscriptionForm(onSubmit: (subscription: NewSubscription) => Promise<void>): SubscriptionForm {
  const name = h('input', { attrs: { id: 'subscription-name', name: 'name', type: 'text', maxlength: 200, placeholder: 'Weekly client update' } });
  const channel = h('select', { attrs: { id: 'subscription-channel', name: 'channel' } },
    h('option', { attrs: { value: 'email' } }, 'E-mail'), h('option', { attrs: { value: 'slack' } }, 'Slack'), h('option', { attrs: { value: 'webhook' } }, 'Signed webhook'));
  const target = h('input', { attrs: { id: 'subscription-target', name: 'target', type: 'text', required: true, placeholder: 'client@example.com, team@example.com' } });
  const targetLabel = h('label', { class: 'field-label', attrs: { for: 'subscription-target' } }, 'Recipients');
  const formats = FORMAT_CHOICES.map((choice) => h('input', { attrs: { type: 'checkbox', id: `subscription-format-${choice.value}`, value: choice.value, checked: choice.value === 'pdf' } }));
  const schedule = h('input', { attrs: { type: 'checkbox', id: 'subscription-scheduled' } });
  const cron = h('input', { attrs: { id: 'subscription-cron', type: 'text', value: '0 8 * * MON', disabled: true } });
  const timeZone = h('input', { attrs: { id: 'subscription-time-zone', type: 'text', value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', disabled: true } });
  const changed = h('input', { attrs: { type: 'checkbox', id: 'subscription-only-changed' } });
  const confidence = h('input', { attrs: { id: 'subscription-min-confidence', type: 'number', min: 0, max: 1, step: 0.05, placeholder: '0.8' } });
  const metric = h('input', { attrs: { id: 'subscription-metric', type: 'text', placeholder: 'ROAS < 2, or purchases anomaly' } });
  const error = h('p', { class: 'form-error', attrs: { role: 'alert' } });
  const submit = h('button', { class: 'button button-primary', attrs: { type: 'submit' } }, 'Add subscription');

  channel.addEventListener('change', () => {
    const kind = channel.value;
    targetLabel.textContent = kind === 'email' ? 'Recipients' : kind === 'slack' ? 'Slack incoming-webhook URL' : 'Webhook URL (https)';
    target.placeholder = kind === 'email' ? 'client@example.com, team@example.com' : kind === 'slack' ? 'https://hooks.slack.com/services/…' : 'https://client.example.com/amc-reports';
  });
  schedule.addEventListener('change', () => {
    cron.disabled = !schedule.checked;
    timeZone.disabled = !schedule.checked;
  });
  formats.forEach((input) => input.addEventListener('change', () => {
    // "Link only" stands alone: choosing it clears the files, choosing a file clears it.
    if (!input.checked) return;
    for (const other of formats) if (other !== input && (input.value === 'link' || other.value === 'link')) other.checked = false;
  }));

  const element = h('form', { class: 'subscription-form', attrs: { 'aria-label': 'Add a subscription', novalidate: true } },
    field('subscription-name', 'Name (optional)', name),
    h('div', { class: 'form-row' },
      field('subscription-channel', 'Channel', channel),
      h('div', { class: 'field field-grow' }, targetLabel, target)),
    h('fieldset', { class: 'checkbox-row' }, h('legend', { class: 'field-label' }, 'Files'),
      ...FORMAT_CHOICES.map((choice, index) => h('span', { class: 'check' }, formats[index], h('label', { attrs: { for: `subscription-format-${choice.value}` } }, choice.label)))),
    h('fieldset', { class: 'form-group' }, h('legend', { class: 'field-label' }, 'When'),
      h('span', { class: 'check' }, schedule, h('label', { attrs: { for: 'subscription-scheduled' } }, 'On a schedule (otherwise after each execution)')),
      h('div', { class: 'form-row' }, field('subscription-cron', 'Cron', cron, 'minute hour day month weekday'), field('subscription-time-zone', 'Time zone', timeZone))),
    h('fieldset', { class: 'form-group' }, h('legend', { class: 'field-label' }, 'Only when'),
      h('span', { class: 'check' }, changed, h('label', { attrs: { for: 'subscription-only-changed' } }, 'something changed since the last delivery')),
      h('div', { class: 'form-row' },
        field('subscription-min-confidence', 'an insight is at least this confident', confidence),
        h('div', { class: 'field field-grow' }, h('label', { class: 'field-label', attrs: { for: 'subscription-metric' } }, 'a metric crosses'), metric))),
    error, h('div', { class: 'form-actions' }, submit));

  element.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const conditions: SubscriptionCondition[] = [];
    if (changed.checked) conditions.push({ type: 'changed' });
    if (confidence.value.trim() !== '') conditions.push({ type: 'insight', minConfidence: Number(confidence.value) });
    if (metric.value.trim() !== '') conditions.push({ type: 'metric', expression: metric.value.trim() });
    const kind = channel.value;
    const subscription: NewSubscription = {
      ...(name.value.trim() ? { name: name.value.trim() } : {}),
      channel: kind === 'email'
        ? { type: 'email', recipients: target.value.split(/[,;\s]+/).map((address) => address.trim()).filter(Boolean) }
        : kind === 'slack' ? { type: 'slack', webhookUrl: target.value.trim() } : { type: 'webhook', url: target.value.trim() },
      formats: formats.filter((input) => input.checked).map((input) => input.value as DeliveryFormat),
      trigger: schedule.checked ? { type: 'schedule', cron: cron.value.trim(), timeZone: timeZone.value.trim() } : { type: 'after_execution' },
      conditions,
    };
    submit.disabled = true;
    onSubmit(subscription).finally(() => (submit.disabled = false));
  });

  return {
    element,
    showError: (message) => (error.textContent = message),
    reset() {
      element.reset();
      cron.disabled = true;
      timeZone.disabled = true;
    },
  };
}
