import { formatValue } from '@amc-reports/charts';
import type { DeliveryFormat, DeliveryTriggerKind } from '@amc-reports/contracts';
import { windowDays, windowRangeText } from '@amc-reports/dashboards';
import type { DeliveryContent } from './delivery-content';

/** A file of the delivery as the message names it: attached to the e-mail, or behind a link. */
export interface MessageFile {
  format: DeliveryFormat;
  fileName: string;
  sizeBytes: number | null;
  as: 'attachment' | 'link';
  url?: string;
  expiresAt?: Date;
  /** Why it is a link (too large to mail); none for Slack and webhooks, where files are always links. */
  reason?: string;
}

export interface MessageInput {
  deliveryId: string;
  subscription: { id: string; name: string };
  trigger: { kind: DeliveryTriggerKind; scheduledFor?: Date | null };
  content: DeliveryContent;
  alerts: string[];
  files: MessageFile[];
  sentAt: Date;
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
  slack: { text: string; blocks: unknown[] };
  webhook: Record<string, unknown>;
}

const INSIGHTS_SHOWN = 5;

/** The days the numbers cover as the dashboard states them: the event's time zone, AMC's exclusive end shown as the last day. */
export function windowText(content: DeliveryContent): string {
  const execution = content.execution;
  if (!execution) return 'no execution yet';
  return windowRangeText({ start: execution.timeWindowStart.toISOString(), end: execution.timeWindowEnd.toISOString(), timeZone: execution.timeZone });
}

/** The last day the window covers, at UTC midnight (the day a file name carries). */
export function windowLastDay(content: DeliveryContent): Date | null {
  const execution = content.execution;
  if (!execution) return null;
  const { last } = windowDays({ start: execution.timeWindowStart.toISOString(), end: execution.timeWindowEnd.toISOString(), timeZone: execution.timeZone ?? null });
  return new Date(`${last}T00:00:00Z`);
}

function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Slack mrkdwn treats &, < and > as control characters: a report name must not become a link or a mention. */
const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Subject and header lines are one line: a name with a line break must not start a new header. */
const oneLine = (text: string): string => text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();

/** The e-mail (text and HTML), the Slack message and the webhook body of one delivery. */
export function composeMessage(input: MessageInput): ComposedMessage {
  const { content, alerts, files } = input;
  const reportName = oneLine(content.report.name);
  const window = windowText(content);
  const subject = `${alerts.length > 0 ? 'Alert: ' : ''}${reportName} — ${window}`;
  const metrics = content.metrics.filter((metric) => metric.shown);
  // What a client reads: the insights exports would carry (the alerts already said what crossed).
  const clientInsights = content.insights.filter((insight) => insight.clientGrade !== false);
  const insights = clientInsights.slice(0, INSIGHTS_SHOWN);
  const fileLine = (file: MessageFile) => `${file.fileName}${file.sizeBytes !== null ? ` (${sizeText(file.sizeBytes)})` : ''}`
    + (file.as === 'link' ? `: ${file.url}${file.expiresAt ? ` (until ${file.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : ''}` : ', attached')
    + (file.reason ? ` — ${file.reason}` : '');

  const text = [
    `${reportName}`,
    `Time window: ${window}`,
    ...(alerts.length > 0 ? ['', 'Alerts:', ...alerts.map((alert) => `  • ${alert}`)] : []),
    ...(metrics.length > 0 ? ['', 'Key numbers:', ...metrics.map((m) => `  ${m.label}: ${formatValue(m.value, m.format)}`)] : []),
    ...(insights.length > 0 ? ['', 'Insights:', ...insights.map((i) => `  • [${i.confidence.toFixed(2)}] ${i.text}`)] : []),
    ...(files.length > 0 ? ['', 'Files:', ...files.map((file) => `  ${fileLine(file)}`)] : []),
    '',
    `Open the dashboard: ${content.dashboardUrl}`,
    '',
    `You receive this through the subscription "${oneLine(input.subscription.name)}" of the report "${reportName}".`,
  ].join('\n');

  return {
    subject,
    text,
    html: composeHtml(input, { subject, reportName, window, metrics, insights, fileLine }),
    slack: composeSlack(input, { reportName, window, metrics, insights, fileLine }),
    webhook: {
      type: 'report.delivery',
      deliveryId: input.deliveryId,
      subscriptionId: input.subscription.id,
      trigger: { kind: input.trigger.kind, scheduledFor: input.trigger.scheduledFor?.toISOString() ?? null },
      report: { id: content.report.id, name: content.report.name, dashboardType: content.report.dashboardType, url: content.dashboardUrl },
      execution: content.execution
        ? {
          id: content.execution.id, timeWindow: { start: content.execution.timeWindowStart.toISOString(), end: content.execution.timeWindowEnd.toISOString() },
          completedAt: content.execution.completedAt?.toISOString() ?? null, rowCount: content.execution.rowCount,
        }
        : null,
      alerts,
      metrics: metrics.map((m) => ({ key: m.key, label: m.label, value: m.value, format: m.format })),
      insights: clientInsights.map((i) => ({ type: i.type, text: i.text, confidence: i.confidence })),
      files: files.map((file) => ({ format: file.format, fileName: file.fileName, sizeBytes: file.sizeBytes, url: file.url ?? null, expiresAt: file.expiresAt?.toISOString() ?? null })),
      sentAt: input.sentAt.toISOString(),
    },
  };
}

interface Parts {
  reportName: string;
  window: string;
  metrics: DeliveryContent['metrics'];
  insights: DeliveryContent['insights'];
  fileLine: (file: MessageFile) => string;
}

function composeSlack(input: MessageInput, parts: Parts): ComposedMessage['slack'] {
  const { content, alerts, files } = input;
  const name = escapeSlack(parts.reportName);
  const section = (markdown: string) => ({ type: 'section', text: { type: 'mrkdwn', text: markdown.slice(0, 2_900) } });
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: `${alerts.length ? 'Alert: ' : ''}${parts.reportName}`.slice(0, 150) } }];
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Time window ${escapeSlack(parts.window)}` }] });
  if (alerts.length) blocks.push(section(alerts.map((alert) => `:rotating_light: ${escapeSlack(alert)}`).join('\n')));
  if (parts.metrics.length) {
    blocks.push({
      type: 'section',
      fields: parts.metrics.slice(0, 10).map((m) => ({ type: 'mrkdwn', text: `*${escapeSlack(m.label)}*\n${formatValue(m.value, m.format)}` })),
    });
  }
  if (parts.insights.length) blocks.push(section(parts.insights.map((i) => `• ${escapeSlack(i.text)} _(${i.confidence.toFixed(2)})_`).join('\n')));
  const links = files.filter((file) => file.url).map((file) => `<${file.url}|${escapeSlack(file.fileName)}>`);
  links.push(`<${content.dashboardUrl}|Open the dashboard>`);
  blocks.push(section(links.join('  ·  ')));
  return { text: `${alerts.length ? 'Alert: ' : ''}${name} — ${escapeSlack(parts.window)}`, blocks };
}

function composeHtml(input: MessageInput, parts: Parts & { subject: string }): string {
  const { content, alerts, files } = input;
  const e = escapeHtml;
  const cell = 'padding:12px 14px;border:1px solid #e3e8ef;border-radius:8px;background:#f8fafc;vertical-align:top;width:33%';
  const cardRows: string[] = [];
  for (let index = 0; index < parts.metrics.length; index += 3) {
    const cards = parts.metrics.slice(index, index + 3).map((m) =>
      `<td style="${cell}"><div style="font-size:12px;color:#5b6675">${e(m.label)}</div>`
      + `<div style="font-size:20px;font-weight:600;color:#14202e;margin-top:4px">${e(formatValue(m.value, m.format))}</div></td>`);
    cardRows.push(`<tr>${cards.join('<td style="width:8px"></td>')}</tr><tr><td style="height:8px"></td></tr>`);
  }
  const section = (title: string, body: string) =>
    `<h2 style="font-size:15px;color:#14202e;margin:24px 0 8px">${e(title)}</h2>${body}`;
  const alertBox = alerts.length
    ? `<div style="margin:16px 0;padding:12px 14px;border-left:4px solid #c2410c;background:#fff7ed;color:#7c2d12">`
      + alerts.map((alert) => `<div style="margin:2px 0">${e(alert)}</div>`).join('') + '</div>'
    : '';
  const insightList = parts.insights.length
    ? section('Insights', `<ul style="padding-left:18px;margin:0">${parts.insights.map((i) =>
      `<li style="margin:6px 0;color:#14202e">${e(i.text)} <span style="color:#5b6675;font-size:12px">confidence ${i.confidence.toFixed(2)}</span></li>`).join('')}</ul>`)
    : '';
  const fileList = files.length
    ? section('Files', `<ul style="padding-left:18px;margin:0">${files.map((file) => file.as === 'link'
      ? `<li style="margin:6px 0"><a href="${e(file.url ?? '')}" style="color:#1d4ed8">${e(file.fileName)}</a> ${e(sizeText(file.sizeBytes))}`
        + `${file.expiresAt ? ` <span style="color:#5b6675;font-size:12px">link works until ${e(file.expiresAt.toISOString().slice(0, 16).replace('T', ' '))} UTC</span>` : ''}`
        + `${file.reason ? `<br><span style="color:#5b6675;font-size:12px">${e(file.reason)}</span>` : ''}</li>`
      : `<li style="margin:6px 0">${e(file.fileName)} ${e(sizeText(file.sizeBytes))} <span style="color:#5b6675;font-size:12px">attached</span></li>`).join('')}</ul>`)
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${e(parts.subject)}</title></head>`
    + '<body style="margin:0;padding:0;background:#eef2f6;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif">'
    + '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px 12px">'
    + '<table role="presentation" width="640" cellpadding="0" cellspacing="0" style="max-width:640px;background:#ffffff;border-radius:10px">'
    + '<tr><td style="padding:20px 24px;background:#14202e;border-radius:10px 10px 0 0;color:#ffffff">'
    + `<div style="font-size:12px;letter-spacing:.04em;text-transform:uppercase;opacity:.75">AMC Reports${alerts.length ? ' · alert' : ''}</div>`
    + `<div style="font-size:20px;font-weight:600;margin-top:4px">${e(parts.reportName)}</div>`
    + `<div style="font-size:13px;opacity:.85;margin-top:4px">Time window ${e(parts.window)}</div></td></tr>`
    + `<tr><td style="padding:8px 24px 24px">${alertBox}`
    + (cardRows.length ? section('Key numbers', `<table role="presentation" width="100%" cellpadding="0" cellspacing="0">${cardRows.join('')}</table>`) : '')
    + insightList + fileList
    + `<p style="margin:28px 0 8px"><a href="${e(content.dashboardUrl)}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">Open the dashboard</a></p>`
    + `<p style="font-size:12px;color:#5b6675;margin-top:24px">You receive this through the subscription “${e(oneLine(input.subscription.name))}” of the report “${e(parts.reportName)}”.</p>`
    + '</td></tr></table></td></tr></table></body></html>';
}
