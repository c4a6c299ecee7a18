import { Condition, type DeliveryChannel, type DeliveryFormat, type DeliveryStatus, type DeliveryTriggerKind, type SkippedBy } from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';
import type { MessageFile } from './compose-message';

/**
 * The deliveries table is what decides "already sent": every change is one conditional UPDATE
 * (the status trigger allows pending → sending → sent | failed | skipped | pending only), so a
 * redelivered job, a retry and a stalled job picked up again can never send a delivery twice.
 */

export interface DeliveryRow {
  id: string;
  subscriptionId: string;
  reportConfigurationId: string;
  triggerKind: DeliveryTriggerKind;
  triggerKey: string;
  executionId: string | null;
  scheduledFor: Date | null;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
}

export interface SubscriptionRow {
  id: string;
  reportConfigurationId: string;
  name: string;
  channel: DeliveryChannel;
  recipients: string[];
  targetUrl: string | null;
  formats: DeliveryFormat[];
  triggerKind: 'after_execution' | 'schedule';
  cron: string | null;
  timeZone: string | null;
  conditions: Condition[];
  isEnabled: boolean;
  /** Webhook signing secret or Slack webhook URL. */
  secret: string | null;
}

const MAX_TEXT = 2_000;
const bounded = (text: string) => text.slice(0, MAX_TEXT);
export const SETTLED: ReadonlySet<DeliveryStatus> = new Set(['sent', 'failed', 'skipped']);

const DELIVERY_COLUMNS = `id, subscription_id AS "subscriptionId", report_configuration_id AS "reportConfigurationId", trigger_kind AS "triggerKind",
  trigger_key AS "triggerKey", execution_id AS "executionId", scheduled_for AS "scheduledFor", channel, status, attempts, created_at AS "createdAt"`;

export async function loadDelivery(prisma: PrismaClient, id: string): Promise<DeliveryRow | null> {
  const rows = await prisma.$queryRawUnsafe<DeliveryRow[]>(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = $1::uuid`, id);
  return rows[0] ?? null;
}

export async function loadSubscription(prisma: PrismaClient, id: string): Promise<SubscriptionRow | null> {
  const rows = await prisma.$queryRaw<(Omit<SubscriptionRow, 'conditions'> & { conditions: unknown })[]>`
    SELECT s.id, s.report_configuration_id AS "reportConfigurationId", s.name, s.channel, s.recipients, s.target_url AS "targetUrl",
           s.formats, s.trigger_kind AS "triggerKind", s.cron, s.time_zone AS "timeZone", s.conditions, s.is_enabled AS "isEnabled",
           k.secret
    FROM report_subscriptions s LEFT JOIN subscription_secrets k ON k.subscription_id = s.id WHERE s.id = ${id}::uuid`;
  const row = rows[0];
  if (!row) return null;
  // Stored by the gateway through the same schema; anything unreadable is dropped rather than guessed.
  const conditions = Array.isArray(row.conditions)
    ? row.conditions.flatMap((raw) => {
      const parsed = Condition.safeParse(raw);
      return parsed.success ? [parsed.data] : [];
    })
    : [];
  return { ...row, conditions };
}

/** The rows of an execution's fan-out: one per enabled after_execution subscription, made once. */
export async function insertExecutionDeliveries(prisma: PrismaClient, configurationId: string, executionId: string): Promise<string[]> {
  const triggerKey = `exec-${executionId}`;
  await prisma.$executeRaw`
    INSERT INTO deliveries (subscription_id, report_configuration_id, trigger_kind, trigger_key, execution_id, channel, recipient)
    SELECT s.id, s.report_configuration_id, 'after_execution', ${triggerKey}, ${executionId}::uuid, s.channel,
           CASE WHEN s.channel = 'email' THEN array_to_string(s.recipients, ', ') ELSE s.target_url END
    FROM report_subscriptions s
    WHERE s.report_configuration_id = ${configurationId}::uuid AND s.trigger_kind = 'after_execution' AND s.is_enabled
    ON CONFLICT (subscription_id, trigger_key) DO NOTHING`;
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM deliveries WHERE report_configuration_id = ${configurationId}::uuid AND trigger_key = ${triggerKey} AND status = 'pending'`;
  return rows.map((row) => row.id);
}

/** A schedule tick's row (made once per subscription and tick). */
export async function insertTickDelivery(
  prisma: PrismaClient, subscription: SubscriptionRow, scheduledFor: Date, executionId: string | null,
): Promise<{ id: string; status: DeliveryStatus }> {
  const triggerKey = `tick-${scheduledFor.toISOString()}`;
  await prisma.$executeRaw`
    INSERT INTO deliveries (subscription_id, report_configuration_id, trigger_kind, trigger_key, execution_id, scheduled_for, channel, recipient)
    SELECT s.id, s.report_configuration_id, 'schedule', ${triggerKey}, ${executionId}::uuid, ${scheduledFor}, s.channel,
           CASE WHEN s.channel = 'email' THEN array_to_string(s.recipients, ', ') ELSE s.target_url END
    FROM report_subscriptions s WHERE s.id = ${subscription.id}::uuid
    ON CONFLICT (subscription_id, trigger_key) DO NOTHING`;
  const rows = await prisma.$queryRaw<{ id: string; status: DeliveryStatus }[]>`
    SELECT id, status FROM deliveries WHERE subscription_id = ${subscription.id}::uuid AND trigger_key = ${triggerKey}`;
  return rows[0];
}

/** pending (or sending, after a crash mid-send) → sending, counting the attempt; null when already settled. */
export async function claimDelivery(prisma: PrismaClient, id: string): Promise<DeliveryRow | null> {
  const rows = await prisma.$queryRawUnsafe<DeliveryRow[]>(
    `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, started_at = now()
     WHERE id = $1::uuid AND status IN ('pending', 'sending') RETURNING ${DELIVERY_COLUMNS}`, id);
  return rows[0] ?? null;
}

export interface SentFacts {
  fingerprint: string;
  files: MessageFile[];
  messageId: string;
  note?: string;
}

export async function markSent(prisma: PrismaClient, id: string, facts: SentFacts): Promise<boolean> {
  const files = facts.files.map((file) => ({
    format: file.format, fileName: file.fileName, sizeBytes: file.sizeBytes, as: file.as, expiresAt: file.expiresAt?.toISOString() ?? null,
  }));
  const count = await prisma.$executeRaw`
    UPDATE deliveries SET status = 'sent', sent_at = now(), finished_at = now(), content_fingerprint = ${facts.fingerprint},
           files = ${JSON.stringify(files)}::jsonb, message_id = ${bounded(facts.messageId)}, error = ${facts.note ? bounded(facts.note) : null}
    WHERE id = ${id}::uuid AND status = 'sending'`;
  return count > 0;
}

export async function markSkipped(prisma: PrismaClient, id: string, skippedBy: SkippedBy, reason: string, fingerprint: string | null): Promise<boolean> {
  const count = await prisma.$executeRaw`
    UPDATE deliveries SET status = 'skipped', skipped_by = ${skippedBy}, skip_reason = ${bounded(reason)}, finished_at = now(),
           content_fingerprint = ${fingerprint}
    WHERE id = ${id}::uuid AND status IN ('pending', 'sending')`;
  return count > 0;
}

export async function markFailed(prisma: PrismaClient, id: string, reason: string): Promise<boolean> {
  const count = await prisma.$executeRaw`
    UPDATE deliveries SET status = 'failed', error = ${bounded(reason)}, finished_at = now()
    WHERE id = ${id}::uuid AND status IN ('pending', 'sending')`;
  return count > 0;
}

/** A transient failure that will be retried: back to pending, showing why the attempt failed. */
export async function releaseForRetry(prisma: PrismaClient, id: string, reason: string): Promise<void> {
  await prisma.$executeRaw`UPDATE deliveries SET status = 'pending', error = ${bounded(reason)} WHERE id = ${id}::uuid AND status = 'sending'`;
}

export async function lastSentDelivery(prisma: PrismaClient, subscriptionId: string, excluding: string): Promise<{ fingerprint: string | null; sentAt: Date } | null> {
  const rows = await prisma.$queryRaw<{ fingerprint: string | null; sentAt: Date }[]>`
    SELECT content_fingerprint AS fingerprint, sent_at AS "sentAt" FROM deliveries
    WHERE subscription_id = ${subscriptionId}::uuid AND status = 'sent' AND id <> ${excluding}::uuid
    ORDER BY sent_at DESC LIMIT 1`;
  return rows[0] ?? null;
}

/** The execution a report's dashboard currently shows (what a tick or "send now" delivers). */
export async function currentDashboardExecution(prisma: PrismaClient, configurationId: string): Promise<string | null> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT source_execution_id AS id FROM dashboard_views
    WHERE report_configuration_id = ${configurationId}::uuid AND source_execution_id IS NOT NULL
    ORDER BY processed_at DESC NULLS LAST LIMIT 1`;
  return rows[0]?.id ?? null;
}
