import { DELIVERY_QUEUE, DELIVERY_SEND_JOB, DELIVERY_SEND_JOB_OPTIONS, deliverySendJobId } from '@amc-reports/contracts';
import { Prisma, type PrismaClient } from '@amc-reports/db';
import type { Ledger, LedgerEntry } from './ledgers';

interface DeliveryRow {
  id: string;
  error: string | null;
  redrive_count: number;
}

/**
 * delivery.send: one job per deliveries row, and the row's status is the ledger. `pending` or
 * `sending` is unfinished; sent, skipped and failed never change again (the status trigger), so a
 * re-driven send of a row that was sent meanwhile sends nothing. A lost or transiently failed send
 * job is queued again; one failed for its own reason (or re-driven too often) is recorded as failed
 * with that reason, which the processor's failure handler normally does itself.
 */
export class DeliveryLedger implements Ledger {
  readonly queueName = DELIVERY_QUEUE;
  readonly jobName = DELIVERY_SEND_JOB;
  readonly jobOptions = DELIVERY_SEND_JOB_OPTIONS;

  constructor(private readonly prisma: PrismaClient) {}

  /** The partial index deliveries_unfinished_idx: same predicate, same order. */
  static unfinishedQuery(before: Date, limit: number): Prisma.Sql {
    return Prisma.sql`
      SELECT id, error, redrive_count FROM deliveries
      WHERE status IN ('pending', 'sending') AND coalesce(swept_at, created_at) < ${before}
      ORDER BY coalesce(swept_at, created_at) LIMIT ${limit}`;
  }

  async findUnfinished(before: Date, limit: number): Promise<LedgerEntry[]> {
    const rows = await this.prisma.$queryRaw<DeliveryRow[]>(DeliveryLedger.unfinishedQuery(before, limit));
    return rows.map((row) => ({
      key: row.id, jobId: deliverySendJobId(row.id), data: { deliveryId: row.id },
      // A row still pending or sending has no final failure of its own: only its job can say.
      failed: false, failureReason: row.error, redriveCount: row.redrive_count,
    }));
  }

  async markSwept(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.prisma.$executeRaw`UPDATE deliveries SET swept_at = now() WHERE id = ANY(${keys}::uuid[])`;
  }

  /**
   * A send job completed while its row stayed unfinished: nothing a ledger could record (only the
   * sender knows what was sent), so it is looked at again next interval like an owned one.
   */
  async markFinished(keys: string[]): Promise<void> {
    await this.markSwept(keys);
  }

  async claimRedrives(keys: string[], maxRedrives: number): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE deliveries SET redrive_count = redrive_count + 1, swept_at = now()
      WHERE id = ANY(${keys}::uuid[]) AND status IN ('pending', 'sending') AND redrive_count < ${maxRedrives}
      RETURNING id`;
    return rows.map((row) => row.id);
  }

  async markGaveUp(entries: Array<{ key: string; reason: string }>): Promise<void> {
    if (entries.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE deliveries d SET status = 'failed', error = r.reason, finished_at = now(), swept_at = now()
      FROM unnest(${entries.map((e) => e.key)}::uuid[], ${entries.map((e) => e.reason.slice(0, 2_000) || 'failed')}::text[]) AS r(id, reason)
      WHERE d.id = r.id AND d.status IN ('pending', 'sending')`;
  }
}
