import type { JobsOptions } from 'bullmq';
import {
  configurationOfRegenerationKey, INSIGHT_GENERATE_JOB, INSIGHT_GENERATE_JOB_OPTIONS, INSIGHT_GENERATE_QUEUE, INSIGHT_REGENERATE_JOB,
  insightRegenerateJobOptions, isInsightRegenerationKey, REPORT_UPDATE_JOB, REPORT_UPDATE_JOB_OPTIONS, REPORT_UPDATE_QUEUE, reportUpdateJobId,
} from '@amc-reports/contracts';
import { Prisma, type PrismaClient } from '@amc-reports/db';

/** One unit of accepted work the ledger says is not finished, and the job that carries it. */
export interface LedgerEntry {
  /** The ledger's own key (event row id, or "<configuration>/<execution>"). */
  key: string;
  jobId: string;
  data: Record<string, string>;
  /** The ledger recorded a (transient) final failure for it. */
  failed: boolean;
  failureReason: string | null;
  redriveCount: number;
  /**
   * Set when the work is carried by a deduplicated job (a coalesced regeneration): the job that
   * holds this deduplication id is the one to ask about, and `job` is what to add to re-drive it.
   */
  deduplicationId?: string;
  job?: { name: string; data: Record<string, string>; opts: JobsOptions };
}

/**
 * A table that records what became of one queue's jobs. Every method is one statement for a
 * whole batch: the sweeper's cost grows with the number of unfinished items, never per row.
 */
export interface Ledger {
  readonly queueName: string;
  readonly jobName: string;
  readonly jobOptions: JobsOptions;
  /** Unfinished entries not looked at since `before`, least recently looked at first. */
  findUnfinished(before: Date, limit: number): Promise<LedgerEntry[]>;
  /** Looked at: owned by the queue, check again after the next interval. */
  markSwept(keys: string[]): Promise<void>;
  /** The job completed but the ledger missed it (written before the ledger existed, or a crash in between). */
  markFinished(keys: string[]): Promise<void>;
  /** Counts a re-drive for each key still under `maxRedrives`; returns those keys (the others are left to `markGaveUp`). */
  claimRedrives(keys: string[], maxRedrives: number): Promise<string[]>;
  /** A failure of the work's own (or too many re-drives): recorded for people, never re-driven by the sweeper. */
  markGaveUp(entries: Array<{ key: string; reason: string }>): Promise<void>;
}

interface EventRow {
  id: string;
  amc_execution_id: string;
  failed: boolean;
  failure_reason: string | null;
  redrive_count: number;
}

/** report.update: one job per accepted event (amc_execution_events, the inbox). */
export class EventLedger implements Ledger {
  readonly queueName = REPORT_UPDATE_QUEUE;
  readonly jobName = REPORT_UPDATE_JOB;
  readonly jobOptions = REPORT_UPDATE_JOB_OPTIONS;

  constructor(private readonly prisma: PrismaClient) {}

  /** The partial index amc_execution_events_unfinished_idx: same predicate, same order (indexes are checked by a plan test). */
  static unfinishedQuery(before: Date, limit: number): Prisma.Sql {
    return Prisma.sql`
      SELECT id, amc_execution_id, failed_at IS NOT NULL AS failed, failure_reason, redrive_count
      FROM amc_execution_events
      WHERE outcome = 'accepted' AND processed_at IS NULL AND (failed_at IS NULL OR failure_transient)
        AND coalesce(swept_at, received_at) < ${before} AND enqueued_at IS NOT NULL
      ORDER BY coalesce(swept_at, received_at) LIMIT ${limit}`;
  }

  async findUnfinished(before: Date, limit: number): Promise<LedgerEntry[]> {
    const rows = await this.prisma.$queryRaw<EventRow[]>(EventLedger.unfinishedQuery(before, limit));
    return rows.map((row) => ({
      key: row.id, jobId: reportUpdateJobId(row.amc_execution_id), data: { eventRowId: row.id },
      failed: row.failed, failureReason: row.failure_reason, redriveCount: row.redrive_count,
    }));
  }

  async markSwept(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.prisma.$executeRaw`UPDATE amc_execution_events SET swept_at = now() WHERE id = ANY(${keys}::uuid[])`;
  }

  async markFinished(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE amc_execution_events SET processed_at = now(), swept_at = now() WHERE id = ANY(${keys}::uuid[]) AND processed_at IS NULL`;
  }

  async claimRedrives(keys: string[], maxRedrives: number): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE amc_execution_events
      SET redrive_count = redrive_count + 1, swept_at = now(), failed_at = NULL, failure_reason = NULL, failure_transient = NULL
      WHERE id = ANY(${keys}::uuid[]) AND processed_at IS NULL AND redrive_count < ${maxRedrives}
      RETURNING id`;
    return rows.map((row) => row.id);
  }

  async markGaveUp(entries: Array<{ key: string; reason: string }>): Promise<void> {
    if (entries.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE amc_execution_events e SET failed_at = now(), failure_reason = r.reason, failure_transient = false, swept_at = now()
      FROM unnest(${entries.map((e) => e.key)}::uuid[], ${entries.map((e) => e.reason.slice(0, 2_000))}::text[]) AS r(id, reason)
      WHERE e.id = r.id AND e.processed_at IS NULL`;
  }
}

interface GenerationRow {
  report_configuration_id: string;
  execution_id: string;
  job_id: string;
  failed: boolean;
  failure_reason: string | null;
  redrive_count: number;
}

const splitKey = (keys: string[]): { configurations: string[]; executions: string[] } => ({
  configurations: keys.map((key) => key.split('/')[0]),
  executions: keys.map((key) => key.split('/')[1]),
});

/**
 * A generation's ledger entry. One asked of a coalesced regeneration (job id `regen-<config>`) is
 * carried by whichever job holds that deduplication id, and re-driven by requesting the
 * regeneration again (the deduplication makes many such entries one pass).
 */
export function generationEntry(row: Omit<GenerationRow, 'failed' | 'redrive_count'> & { failed?: boolean; redrive_count?: number }): LedgerEntry {
  const entry: LedgerEntry = {
    key: `${row.report_configuration_id}/${row.execution_id}`, jobId: row.job_id,
    data: { configurationId: row.report_configuration_id, executionId: row.execution_id },
    failed: row.failed ?? true, failureReason: row.failure_reason, redriveCount: row.redrive_count ?? 0,
  };
  if (!isInsightRegenerationKey(row.job_id)) return entry;
  const configurationId = configurationOfRegenerationKey(row.job_id);
  return {
    ...entry, deduplicationId: row.job_id,
    job: { name: INSIGHT_REGENERATE_JOB, data: { configurationId }, opts: insightRegenerateJobOptions(configurationId, 0) },
  };
}

/** insight.generate: one generation per (configuration, execution), insight_generations. */
export class InsightLedger implements Ledger {
  readonly queueName = INSIGHT_GENERATE_QUEUE;
  readonly jobName = INSIGHT_GENERATE_JOB;
  readonly jobOptions = INSIGHT_GENERATE_JOB_OPTIONS;

  constructor(private readonly prisma: PrismaClient) {}

  /** The partial index insight_generations_unfinished_idx: same predicate, same order. */
  static unfinishedQuery(before: Date, limit: number): Prisma.Sql {
    return Prisma.sql`
      SELECT report_configuration_id, execution_id, job_id, status = 'failed' AS failed, failure_reason, redrive_count
      FROM insight_generations
      WHERE (status = 'queued' OR (status = 'failed' AND failure_transient)) AND coalesce(swept_at, requested_at) < ${before}
      ORDER BY coalesce(swept_at, requested_at) LIMIT ${limit}`;
  }

  async findUnfinished(before: Date, limit: number): Promise<LedgerEntry[]> {
    const rows = await this.prisma.$queryRaw<GenerationRow[]>(InsightLedger.unfinishedQuery(before, limit));
    return rows.map(generationEntry);
  }

  async markSwept(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const { configurations, executions } = splitKey(keys);
    await this.prisma.$executeRaw`
      UPDATE insight_generations g SET swept_at = now()
      FROM unnest(${configurations}::uuid[], ${executions}::uuid[]) AS k(configuration_id, execution_id)
      WHERE g.report_configuration_id = k.configuration_id AND g.execution_id = k.execution_id`;
  }

  async markFinished(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const { configurations, executions } = splitKey(keys);
    await this.prisma.$executeRaw`
      UPDATE insight_generations g SET status = 'completed', finished_at = now(), swept_at = now()
      FROM unnest(${configurations}::uuid[], ${executions}::uuid[]) AS k(configuration_id, execution_id)
      WHERE g.report_configuration_id = k.configuration_id AND g.execution_id = k.execution_id AND g.status <> 'completed'`;
  }

  async claimRedrives(keys: string[], maxRedrives: number): Promise<string[]> {
    if (keys.length === 0) return [];
    const { configurations, executions } = splitKey(keys);
    const rows = await this.prisma.$queryRaw<Array<{ key: string }>>`
      UPDATE insight_generations g
      SET redrive_count = redrive_count + 1, swept_at = now(), status = 'queued', failure_reason = NULL, failure_transient = NULL
      FROM unnest(${configurations}::uuid[], ${executions}::uuid[]) AS k(configuration_id, execution_id)
      WHERE g.report_configuration_id = k.configuration_id AND g.execution_id = k.execution_id AND g.status <> 'completed'
        AND g.redrive_count < ${maxRedrives}
      RETURNING g.report_configuration_id || '/' || g.execution_id AS key`;
    return rows.map((row) => row.key);
  }

  async markGaveUp(entries: Array<{ key: string; reason: string }>): Promise<void> {
    if (entries.length === 0) return;
    const { configurations, executions } = splitKey(entries.map((entry) => entry.key));
    await this.prisma.$executeRaw`
      UPDATE insight_generations g
      SET status = 'failed', finished_at = now(), failure_reason = k.reason, failure_transient = false, swept_at = now()
      FROM unnest(${configurations}::uuid[], ${executions}::uuid[], ${entries.map((e) => e.reason.slice(0, 2_000))}::text[])
        AS k(configuration_id, execution_id, reason)
      WHERE g.report_configuration_id = k.configuration_id AND g.execution_id = k.execution_id AND g.status <> 'completed'`;
  }
}
