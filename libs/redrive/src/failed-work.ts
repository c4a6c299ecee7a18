import type { Job, Queue } from 'bullmq';
import { DELIVERY_QUEUE, DELIVERY_SEND_JOB, INSIGHT_GENERATE_QUEUE, INSIGHT_REGENERATE_JOB, REPORT_UPDATE_QUEUE, reportUpdateJobId } from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';
import { isTransientFailure } from '@amc-reports/runtime';
import { DeliveryLedger } from './delivery-ledger';
import { EventLedger, generationEntry, InsightLedger, type Ledger, type LedgerEntry } from './ledgers';
import { redriveFailedRegeneration } from './processing-ledger';
import { redriveItems } from './redrive-sweeper';

/** What an operator (or a re-sent event) asks for is done whatever the sweeper's cap says. */
const UNCAPPED = 1_000_000;

export interface FailedJob {
  queue: string;
  jobId: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: string | null;
  /** An outage or a dead process, not the job's own doing: the sweeper re-drives these by itself. */
  transient: boolean;
}

/** The failed jobs of each queue, newest first (BullMQ keeps them for inspection). */
export async function listFailedJobs(queues: Queue[], limit = 50): Promise<FailedJob[]> {
  const lists = await Promise.all(queues.map(async (queue) => (await queue.getFailed(0, limit - 1)).map((job) => describe(queue.name, job as Job))));
  return lists.flat();
}

function describe(queue: string, job: Job): FailedJob {
  const reason = job.failedReason ?? '';
  return {
    queue, jobId: job.id ?? '', failedReason: reason.split('\n')[0].slice(0, 300), attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null, transient: isTransientFailure(reason),
  };
}

/** The ledger entry a failed job stands for, from its payload (contracts: ids only). */
function entryOf(queue: string, job: Job): LedgerEntry | null {
  const data = job.data as Record<string, string>;
  if (queue === REPORT_UPDATE_QUEUE && data.eventRowId) {
    return { key: data.eventRowId, jobId: job.id!, data: { eventRowId: data.eventRowId }, failed: true, failureReason: job.failedReason, redriveCount: 0 };
  }
  if (queue === INSIGHT_GENERATE_QUEUE && data.configurationId && data.executionId) {
    return {
      key: `${data.configurationId}/${data.executionId}`, jobId: job.id!, data: { configurationId: data.configurationId, executionId: data.executionId },
      failed: true, failureReason: job.failedReason, redriveCount: 0,
    };
  }
  if (queue === DELIVERY_QUEUE && job.name === DELIVERY_SEND_JOB && data.deliveryId) {
    return { key: data.deliveryId, jobId: job.id!, data: { deliveryId: data.deliveryId }, failed: true, failureReason: job.failedReason, redriveCount: 0 };
  }
  return null;
}

export interface RedriveSelection {
  /** Only this queue's failed jobs. */
  queue?: string;
  /** Only these job ids. */
  jobIds?: string[];
  /** Only failures the sweeper would call transient. */
  transientOnly?: boolean;
  limit?: number;
}

/**
 * `npm run cli -- jobs redrive`: failed report.update, insight.generate and delivery.send jobs run
 * again with fresh attempts, their ledger rows counting the re-drive (a delivery already sent,
 * skipped or failed stays as it is: its re-run sends nothing). (Failed exports are requested again by
 * their users; the export sweeper handles interrupted ones.)
 */
export async function redriveFailedJobs(prisma: PrismaClient, queues: Queue[], selection: RedriveSelection = {}): Promise<FailedJob[]> {
  const ledgers: Ledger[] = [new EventLedger(prisma), new InsightLedger(prisma), new DeliveryLedger(prisma)];
  const byName = new Map(queues.map((queue) => [queue.name, queue]));
  const redriven: FailedJob[] = [];
  for (const ledger of ledgers) {
    const queue = byName.get(ledger.queueName);
    if (!queue || (selection.queue && selection.queue !== ledger.queueName)) continue;
    const failed = (await queue.getFailed(0, (selection.limit ?? 1_000) - 1)) as Job[];
    const picked = failed.filter((job) => (!selection.jobIds || selection.jobIds.includes(job.id!))
      && (!selection.transientOnly || isTransientFailure(job.failedReason)));
    // A coalesced regeneration stands for several executions: they wait again and one pass runs.
    const regenerations = picked.filter((job) => job.name === INSIGHT_REGENERATE_JOB && (job.data as { configurationId?: string }).configurationId);
    for (const job of regenerations) {
      await job.remove().catch(() => undefined);
      await redriveFailedRegeneration(prisma, queue, (job.data as { configurationId: string }).configurationId);
      redriven.push(describe(ledger.queueName, job));
    }
    const chosen = picked.filter((job) => !regenerations.includes(job));
    const items = chosen.map((job) => ({ job, entry: entryOf(ledger.queueName, job) })).filter((item) => item.entry !== null);
    await redriveItems(ledger, queue, items.map((item) => ({ entry: item.entry!, previous: item.job })), UNCAPPED);
    redriven.push(...items.map((item) => describe(ledger.queueName, item.job)));
  }
  return redriven;
}

export type ResendVerdict = 'duplicate' | 'redriven';

interface ExistingEvent {
  id: string;
  amc_execution_id: string;
  processed: boolean;
  failed: boolean;
  failure_reason: string | null;
}

/**
 * A re-sent AMC event whose execution we already have. When its processing failed (report.update
 * failed for good, or one of its insight generations did), the failed part is run again and the
 * answer is `redriven`; when it completed or is still under way, it is a `duplicate` as before.
 */
export async function redriveOnResend(
  prisma: PrismaClient, queues: Map<string, Queue>, instanceId: string, amcExecutionId: string,
): Promise<ResendVerdict> {
  const events = await prisma.$queryRaw<ExistingEvent[]>`
    SELECT id, amc_execution_id, processed_at IS NOT NULL AS processed, failed_at IS NOT NULL AS failed, failure_reason
    FROM amc_execution_events WHERE amc_instance_id = ${instanceId} AND amc_execution_id = ${amcExecutionId} AND outcome = 'accepted'`;
  const event = events[0];
  if (!event) return 'duplicate';
  if (event.failed) {
    const ledger = new EventLedger(prisma);
    const queue = queues.get(ledger.queueName)!;
    const entry: LedgerEntry = {
      key: event.id, jobId: reportUpdateJobId(event.amc_execution_id), data: { eventRowId: event.id },
      failed: true, failureReason: event.failure_reason, redriveCount: 0,
    };
    await redriveItems(ledger, queue, [{ entry, previous: await queue.getJob(entry.jobId) }], UNCAPPED);
    return 'redriven';
  }
  if (!event.processed) return 'duplicate';
  const generations = await prisma.$queryRaw<Array<{ report_configuration_id: string; execution_id: string; job_id: string; failure_reason: string | null }>>`
    SELECT g.report_configuration_id, g.execution_id, g.job_id, g.failure_reason
    FROM insight_generations g JOIN workflow_executions x ON x.id = g.execution_id
    WHERE x.amc_instance_id = ${instanceId} AND x.amc_execution_id = ${amcExecutionId} AND g.status = 'failed'`;
  if (generations.length === 0) return 'duplicate';
  const ledger = new InsightLedger(prisma);
  const queue = queues.get(ledger.queueName)!;
  const items = await Promise.all(generations.map(async (row) => {
    const entry = generationEntry(row);
    return { entry, previous: entry.deduplicationId ? undefined : await queue.getJob(row.job_id) };
  }));
  await redriveItems(ledger, queue, items, UNCAPPED);
  return 'redriven';
}
