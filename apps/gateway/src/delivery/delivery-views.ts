import { nextCronRun, type DeliveryFormat } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';

/** Rows as Prisma returns them (scalar models, no relations). */
export interface SubscriptionRecord {
  id: string;
  reportConfigurationId: string;
  name: string;
  channel: string;
  recipients: string[];
  targetUrl: string | null;
  formats: string[];
  triggerKind: string;
  cron: string | null;
  timeZone: string | null;
  conditions: unknown;
  isEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryRecord {
  id: string;
  subscriptionId: string;
  triggerKind: string;
  executionId: string | null;
  scheduledFor: Date | null;
  channel: string;
  recipient: string;
  status: string;
  skippedBy: string | null;
  skipReason: string | null;
  attempts: number;
  error: string | null;
  files: unknown;
  messageId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  finishedAt: Date | null;
}

export function toDeliveryView(row: DeliveryRecord) {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    trigger: { kind: row.triggerKind, executionId: row.executionId, scheduledFor: row.scheduledFor },
    channel: row.channel,
    recipient: row.recipient,
    status: row.status,
    skippedBy: row.skippedBy,
    skipReason: row.skipReason,
    attempts: row.attempts,
    error: row.error,
    files: Array.isArray(row.files) ? row.files : [],
    messageId: row.messageId,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    finishedAt: row.finishedAt,
  };
}

function channelView(row: SubscriptionRecord) {
  if (row.channel === 'email') return { type: 'email' as const, recipients: row.recipients };
  if (row.channel === 'slack') return { type: 'slack' as const, webhookUrl: row.targetUrl ?? '' };
  return { type: 'webhook' as const, url: row.targetUrl ?? '' };
}

export function toSubscriptionView(row: SubscriptionRecord, recent: DeliveryRecord[], now = new Date()) {
  const scheduled = row.triggerKind === 'schedule' && row.cron && row.timeZone;
  return {
    id: row.id,
    reportId: row.reportConfigurationId,
    name: row.name,
    channel: channelView(row),
    formats: row.formats as DeliveryFormat[],
    trigger: scheduled ? { type: 'schedule' as const, cron: row.cron!, timeZone: row.timeZone! } : { type: 'after_execution' as const },
    conditions: Array.isArray(row.conditions) ? (row.conditions as Record<string, unknown>[]) : [],
    enabled: row.isEnabled,
    nextRunAt: scheduled && row.isEnabled ? nextCronRun(row.cron!, row.timeZone!, now) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    recentDeliveries: recent.map(toDeliveryView),
  };
}

const RECENT_PER_SUBSCRIPTION = 5;

/** The newest deliveries of each subscription, in one query (the subscription list shows them). */
export async function recentDeliveries(tx: TransactionClient, subscriptionIds: string[]): Promise<Map<string, DeliveryRecord[]>> {
  const byId = new Map<string, DeliveryRecord[]>(subscriptionIds.map((id) => [id, []]));
  if (subscriptionIds.length === 0) return byId;
  const rows = await tx.$queryRaw<DeliveryRecord[]>`
    SELECT id, "subscriptionId", "triggerKind", "executionId", "scheduledFor", channel, recipient, status, "skippedBy", "skipReason",
           attempts, error, files, "messageId", "createdAt", "sentAt", "finishedAt"
    FROM (SELECT d.id, d.subscription_id AS "subscriptionId", d.trigger_kind AS "triggerKind", d.execution_id AS "executionId",
                 d.scheduled_for AS "scheduledFor", d.channel, d.recipient, d.status, d.skipped_by AS "skippedBy", d.skip_reason AS "skipReason",
                 d.attempts, d.error, d.files, d.message_id AS "messageId", d.created_at AS "createdAt", d.sent_at AS "sentAt",
                 d.finished_at AS "finishedAt",
                 row_number() OVER (PARTITION BY d.subscription_id ORDER BY d.created_at DESC, d.id) AS n
          FROM deliveries d WHERE d.subscription_id = ANY(${subscriptionIds}::uuid[])) ranked
    WHERE n <= ${RECENT_PER_SUBSCRIPTION} ORDER BY "createdAt" DESC, id`;
  for (const row of rows) byId.get(row.subscriptionId)?.push(row);
  return byId;
}
