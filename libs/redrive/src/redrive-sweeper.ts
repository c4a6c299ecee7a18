import type { Job, Queue } from 'bullmq';
import { isTransientFailure } from '@amc-reports/runtime';
import type { Ledger, LedgerEntry } from './ledgers';

/** Job states in which BullMQ still owns the work: a live worker holds it, or it waits to run. */
const OWNED_BY_QUEUE = new Set(['active', 'waiting', 'waiting-children', 'delayed', 'prioritized', 'wait', 'paused']);

export interface RedriveOptions {
  /** An unfinished entry is looked at once per this interval (not on every sweep). */
  staleAfterMs: number;
  batchSize: number;
  /** Re-drives per entry before it is recorded as failed for good (a poison job must end). */
  maxRedrives: number;
}

export interface LedgerSweep {
  queue: string;
  checked: number;
  /** Jobs lost from Redis, added again. */
  requeued: number;
  /** Jobs failed for a transient cause (outage, dead process), run again. */
  retried: number;
  /** Completed jobs the ledger had missed. */
  finished: number;
  /** Failed for a reason of their own, or re-driven too often: recorded, left alone. */
  gaveUp: number;
}

export interface Redrive {
  entry: LedgerEntry;
  previous: Job | undefined;
}

/**
 * Re-queues accepted work whose processing did not complete, until it completes or fails for a
 * reason of its own. Per ledger and batch: one SELECT over a partial index of the unfinished, the
 * job states asked of Redis in one pipelined burst, then one UPDATE per outcome and one addBulk.
 * Items still owned by the queue (a backlog) are only stamped, so a long backlog costs one look
 * per item per `staleAfterMs`.
 */
export class RedriveSweeper {
  constructor(
    private readonly ledgers: Ledger[],
    private readonly queues: Map<string, Queue>,
    private readonly options: RedriveOptions,
  ) {}

  async run(now = new Date()): Promise<LedgerSweep[]> {
    const results: LedgerSweep[] = [];
    for (const ledger of this.ledgers) results.push(await this.sweep(ledger, now));
    return results;
  }

  private queueOf(ledger: Ledger): Queue {
    const queue = this.queues.get(ledger.queueName);
    if (!queue) throw new Error(`no producer for queue ${ledger.queueName}`);
    return queue;
  }

  private async sweep(ledger: Ledger, now: Date): Promise<LedgerSweep> {
    const result: LedgerSweep = { queue: ledger.queueName, checked: 0, requeued: 0, retried: 0, finished: 0, gaveUp: 0 };
    const queue = this.queueOf(ledger);
    const entries = await ledger.findUnfinished(new Date(now.getTime() - this.options.staleAfterMs), this.options.batchSize);
    result.checked = entries.length;
    if (entries.length === 0) return result;

    const states = await Promise.all(entries.map((entry) => jobStateOf(queue, entry)));
    const owned: string[] = [];
    const finished: string[] = [];
    const toRedrive: Redrive[] = [];
    const gaveUp: Array<{ key: string; reason: string }> = [];
    const failedJobs = await Promise.all(entries.map((entry, index) => (states[index] === 'failed' ? queue.getJob(entry.jobId) : undefined)));
    entries.forEach((entry, index) => {
      const state = states[index];
      if (OWNED_BY_QUEUE.has(state)) owned.push(entry.key);
      else if (state === 'completed') finished.push(entry.key);
      else if (state === 'failed') {
        const job = failedJobs[index];
        const reason = job?.failedReason ?? entry.failureReason ?? 'failed';
        if (entry.failed || isTransientFailure(reason)) toRedrive.push({ entry, previous: job });
        else gaveUp.push({ key: entry.key, reason });
      } else toRedrive.push({ entry, previous: undefined });
    });
    await ledger.markSwept(owned);
    await ledger.markFinished(finished);
    result.finished = finished.length;

    const redriven = await redriveItems(ledger, queue, toRedrive, this.options.maxRedrives);
    result.requeued = redriven.requeued;
    result.retried = redriven.retried;
    gaveUp.push(...redriven.exhausted);
    await ledger.markGaveUp(gaveUp);
    result.gaveUp = gaveUp.length;
    return result;
  }
}

/**
 * The state of the job carrying an entry. A deduplicated job (a coalesced regeneration) is found
 * through its deduplication id; once none holds it, nothing carries the entry any more (a pass that
 * covered it would have settled it), so it is re-driven.
 */
async function jobStateOf(queue: Queue, entry: LedgerEntry): Promise<string> {
  if (!entry.deduplicationId) return queue.getJobState(entry.jobId);
  const holder = await queue.getDeduplicationJobId(entry.deduplicationId);
  const state = holder ? await queue.getJobState(holder) : 'unknown';
  return OWNED_BY_QUEUE.has(state) ? state : 'unknown';
}

/**
 * Counts the re-drives in the ledger first (capped), then replaces each job: a failed job is
 * removed (it keeps its id for inspection otherwise, and an add with that id would be a no-op),
 * and all are added in one addBulk with fresh attempts.
 */
export async function redriveItems(
  ledger: Ledger, queue: Queue, items: Redrive[], maxRedrives: number,
): Promise<{ requeued: number; retried: number; exhausted: Array<{ key: string; reason: string }> }> {
  if (items.length === 0) return { requeued: 0, retried: 0, exhausted: [] };
  const allowed = new Set(await ledger.claimRedrives(items.map((item) => item.entry.key), maxRedrives));
  const exhausted = items.filter((item) => !allowed.has(item.entry.key)).map((item) => ({
    key: item.entry.key,
    reason: `gave up after ${item.entry.redriveCount} re-drives: ${item.previous?.failedReason ?? item.entry.failureReason ?? 'the job kept disappearing'}`,
  }));
  const go = items.filter((item) => allowed.has(item.entry.key));
  await Promise.all(go.map((item) => item.previous?.remove().catch(() => undefined)));
  await queue.addBulk(go.map((item) => item.entry.job
    ?? { name: ledger.jobName, data: item.entry.data, opts: { ...ledger.jobOptions, jobId: item.entry.jobId } }));
  return { requeued: go.filter((item) => !item.previous).length, retried: go.filter((item) => item.previous).length, exhausted };
}
