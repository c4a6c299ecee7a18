import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { isKnownTimeZone } from './amc-execution-event.schema';

/**
 * What a subscription is, once: the gateway validates requests with these schemas and the
 * delivery worker reads stored rows back through them (issue 16).
 */

export const DELIVERY_CHANNELS = ['email', 'slack', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** Files sent with a delivery; `link` alone sends only links to the dashboard. */
export const DELIVERY_FORMATS = ['pdf', 'png', 'csv', 'excel', 'link'] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];
export type DeliveryFileFormat = Exclude<DeliveryFormat, 'link'>;

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_TRIGGER_KINDS = ['after_execution', 'schedule', 'manual'] as const;
export type DeliveryTriggerKind = (typeof DELIVERY_TRIGGER_KINDS)[number];
/** What skipped a delivery: a condition type, or that there was nothing to deliver. */
export const SKIPPED_BY = ['changed', 'insight', 'metric', 'no_execution', 'disabled'] as const;
export type SkippedBy = (typeof SKIPPED_BY)[number];

export const MAX_EMAIL_RECIPIENTS = 50;

export const Formats = z
  .array(z.enum(DELIVERY_FORMATS))
  .min(1)
  .max(4)
  .refine((formats) => new Set(formats).size === formats.length, 'lists a format twice')
  .refine((formats) => !formats.includes('link') || formats.length === 1, '"link" sends links only: it cannot be combined with files');

// --- conditions -------------------------------------------------------------------------------

export const METRIC_OPERATORS = ['<', '<=', '>', '>='] as const;
export type MetricOperator = (typeof METRIC_OPERATORS)[number];

/** `ROAS < 2`, `CTR >= 0.5%` (a percent of a ratio metric), or `purchases anomaly`. */
export type MetricRule =
  | { kind: 'threshold'; metric: string; operator: MetricOperator; value: number; percent: boolean }
  | { kind: 'anomaly'; metric: string };

const METRIC_NAME = /^[A-Za-z][A-Za-z0-9 _.-]{0,99}$/;
const THRESHOLD = /^(.+?)\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*(%?)$/;
const ANOMALY = /^(.+?)\s+anomaly$/i;

export function parseMetricRule(expression: string): { ok: true; rule: MetricRule } | { ok: false; message: string } {
  const text = expression.trim();
  const anomaly = ANOMALY.exec(text);
  if (anomaly) {
    const metric = anomaly[1].trim();
    return METRIC_NAME.test(metric) ? { ok: true, rule: { kind: 'anomaly', metric } } : { ok: false, message: `"${metric}" is not a metric name` };
  }
  const threshold = THRESHOLD.exec(text);
  if (!threshold) {
    return { ok: false, message: 'write a threshold such as "ROAS < 2" or "CTR >= 0.5%", or an alert such as "purchases anomaly"' };
  }
  const metric = threshold[1].trim();
  if (!METRIC_NAME.test(metric)) return { ok: false, message: `"${metric}" is not a metric name` };
  return {
    ok: true,
    rule: { kind: 'threshold', metric, operator: threshold[2] as MetricOperator, value: Number(threshold[3]), percent: threshold[4] === '%' },
  };
}

export const Condition = z.discriminatedUnion('type', [
  /** Only when the delivered content differs from the last delivery sent. */
  z.strictObject({ type: z.literal('changed') }),
  /** Only when an insight of the execution is at least this confident (optionally of these types). */
  z.strictObject({
    type: z.literal('insight'),
    minConfidence: z.number().min(0).max(1),
    insightTypes: z.array(z.enum(['trend', 'anomaly', 'recommendation', 'summary', 'comparison'])).min(1).max(5).optional(),
  }),
  /** Only when a metric the dashboard shows crosses a threshold, or the insights flag it as an anomaly. */
  z.strictObject({
    type: z.literal('metric'),
    expression: z.string().trim().min(1).max(200).superRefine((value, ctx) => {
      const parsed = parseMetricRule(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    }),
  }),
]);
export type Condition = z.infer<typeof Condition>;
export const Conditions = z.array(Condition).max(10);

// --- triggers ---------------------------------------------------------------------------------

export interface CronCheck {
  ok: boolean;
  message?: string;
  /** Seconds between the next two runs (the schedule's shortest interval, near enough). */
  intervalSeconds?: number;
}

/** A cron pattern BullMQ's job scheduler (cron-parser) accepts in this zone, and how often it fires. */
export function checkCron(pattern: string, timeZone: string, now = new Date()): CronCheck {
  try {
    const interval = CronExpressionParser.parse(pattern, { tz: timeZone, currentDate: now });
    const first = interval.next().getTime();
    const second = interval.next().getTime();
    return { ok: true, intervalSeconds: Math.round((second - first) / 1000) };
  } catch (error) {
    return { ok: false, message: `is not a cron pattern: ${(error as Error).message}` };
  }
}

/** The next time a cron pattern fires after `after`, or null when it never does. */
export function nextCronRun(pattern: string, timeZone: string, after = new Date()): Date | null {
  try {
    return CronExpressionParser.parse(pattern, { tz: timeZone, currentDate: after }).next().toDate();
  } catch {
    return null;
  }
}

export const Trigger = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('after_execution') }),
  z.strictObject({
    type: z.literal('schedule'),
    cron: z.string().trim().min(9).max(200),
    timeZone: z.string().max(64).refine(isKnownTimeZone, 'must be an IANA time zone name such as Europe/Berlin or UTC'),
  }).superRefine((trigger, ctx) => {
    const check = checkCron(trigger.cron, trigger.timeZone);
    if (!check.ok) ctx.addIssue({ code: 'custom', path: ['cron'], message: check.message ?? 'is not a cron pattern' });
  }),
]);
export type Trigger = z.infer<typeof Trigger>;

// --- channels ---------------------------------------------------------------------------------

const HttpUrl = z.string().trim().max(2000).url().refine((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL');

export const Channel = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('email'),
    recipients: z.array(z.string().trim().toLowerCase().email().max(254)).min(1).max(MAX_EMAIL_RECIPIENTS)
      .refine((list) => new Set(list).size === list.length, 'lists an address twice'),
  }),
  /** A Slack incoming-webhook URL (a credential: stored apart, shown masked). */
  z.strictObject({ type: z.literal('slack'), webhookUrl: HttpUrl }),
  /** Receives a JSON body signed like the AMC events the gateway accepts (X-Signature: t=…,v1=…). */
  z.strictObject({ type: z.literal('webhook'), url: HttpUrl }),
]);
export type Channel = z.infer<typeof Channel>;

/** A Slack webhook URL as people may see it: the host and the first path part, the secret masked. */
export function maskSlackUrl(url: string): string {
  const parsed = new URL(url);
  const [first] = parsed.pathname.split('/').filter(Boolean);
  return `${parsed.protocol}//${parsed.host}/${first ?? ''}/…`;
}
