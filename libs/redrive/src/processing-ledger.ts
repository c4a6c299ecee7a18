import type { Job, Queue } from 'bullmq';
import {
  INSIGHT_BATCH_BACKLOG, INSIGHT_GENERATE_JOB, INSIGHT_GENERATE_JOB_OPTIONS, insightGenerateJobId, INSIGHT_REGENERATE_JOB, INSIGHT_REGENERATE_MAX_DELAYS, INSIGHT_BACKLOG_HOLD_DELAYS, insightRegenerateJobOptions,
  insightRegenerationKey, type InsightGenerateJob, type InsightRegenerateJob,
} from '@amc-reports/contracts';
import type { PrismaClient, RawSql } from '@amc-reports/db';

/**
 * What the workers write so that Postgres, not Redis, knows what became of accepted work
 * (migration 20261220100000_processing_ledger). Redis can lose a job (a restart without AOF, a
 * flush); the ledger cannot, and the sweeper compares the two.
 */

/** report.update finished for this event: the execution is recorded and its reports rebuilt. */
export async function markEventProcessed(prisma: RawSql, eventRowId: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE amc_execution_events SET processed_at = now(), failed_at = NULL, failure_reason = NULL, failure_transient = NULL
    WHERE id = ${eventRowId}::uuid`;
}

/** report.update failed after its last attempt; `transient` says a re-drive can still succeed. */
export async function markEventFailed(prisma: RawSql, eventRowId: string, reason: string, transient: boolean): Promise<void> {
  await prisma.$executeRaw`
    UPDATE amc_execution_events SET failed_at = now(), failure_reason = ${reason.slice(0, 2_000)}, failure_transient = ${transient}
    WHERE id = ${eventRowId}::uuid AND processed_at IS NULL`;
}

export interface InsightRequest {
  executionId: string;
  jobId: string;
}

/**
 * Records the insight generations a rebuild asks for, in one statement, before their jobs are
 * added. A generation already completed by the same job stays completed (adding that job again is
 * a no-op); anything else is queued afresh.
 */
export async function requestInsightGenerations(prisma: RawSql, configurationId: string, requests: InsightRequest[]): Promise<void> {
  if (requests.length === 0) return;
  await prisma.$executeRaw`
    INSERT INTO insight_generations (report_configuration_id, execution_id, job_id)
    SELECT ${configurationId}::uuid, r.execution_id, r.job_id
    FROM unnest(${requests.map((r) => r.executionId)}::uuid[], ${requests.map((r) => r.jobId)}::text[]) AS r(execution_id, job_id)
    ON CONFLICT (report_configuration_id, execution_id) DO UPDATE
    SET job_id = excluded.job_id, status = 'queued', failure_reason = NULL, failure_transient = NULL, requested_at = now(),
        finished_at = NULL, swept_at = NULL
    WHERE insight_generations.status <> 'completed' OR insight_generations.job_id <> excluded.job_id`;
}

/**
 * The insight worker finished this generation (stored, or skipped for a reason of the data's own).
 * Only the job that last asked counts: an older job finishing does not settle a newer request.
 */
export async function markGenerationCompleted(prisma: PrismaClient, configurationId: string, executionId: string, jobId: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE insight_generations SET status = 'completed', finished_at = now(), failure_reason = NULL, failure_transient = NULL
    WHERE report_configuration_id = ${configurationId}::uuid AND execution_id = ${executionId}::uuid AND job_id = ${jobId}`;
}

export async function markGenerationFailed(
  prisma: PrismaClient, configurationId: string, executionId: string, jobId: string, reason: string, transient: boolean,
): Promise<void> {
  await prisma.$executeRaw`
    UPDATE insight_generations SET status = 'failed', finished_at = now(), failure_reason = ${reason.slice(0, 2_000)},
           failure_transient = ${transient}
    WHERE report_configuration_id = ${configurationId}::uuid AND execution_id = ${executionId}::uuid AND job_id = ${jobId}
      AND status <> 'completed'`;
}

/**
 * The insight sets a rebuilt dashboard needs: the execution's own at once (recorded in the
 * ledger, then added; the job id makes a repeated add a no-op). One for an older window (a
 * backfill, a retry landing late, a re-run) also changes the history of every later execution:
 * not one job each, since a storm of out-of-order windows would recompute every later set once per
 * earlier arrival (1,500 events made 12,753 extra jobs), but one coalesced, debounced regeneration
 * of the configuration, which recomputes only the later sets whose history changed. Own set at
 * once + at most one refresh per pass keeps a backfill at about two computations per execution.
 *
 * Under a backlog (INSIGHT_BATCH_BACKLOG jobs already waiting) the execution's own set joins the
 * configuration's pass instead, due at once: a job of its own would wait anyway, and a pass
 * computes the sets of every execution waiting for it with a handful of queries, where each job
 * made a dozen round trips for one set (the storm bench's insight worker spent a third of its time
 * there).
 *
 * `workflowBacklog`: more events of the workflow wait to be processed (a replay catching up).
 * The execution's own set and the refresh are then both left to the report's pass, held for
 * INSIGHT_BACKLOG_HOLD_DELAYS delays without pushing a pending pass back: a set computed now would
 * be stale as soon as the replay's next older window lands, so a workflow's arrivals spread over a
 * long storm are computed in a few passes, not once at arrival and again per refresh (500
 * interleaved workflows arrive further apart than any debounce). The last event of the replay
 * brings the pass to the normal delay (releaseHeldRegenerations, once no event of the workflow is
 * in flight), and so does the first request after it.
 */
export async function requestExecutionInsights(
  prisma: RawSql, queue: Queue, configurationId: string, executionId: string, laterExecutionIds: readonly string[], regenerateDelayMs: number,
  options: { workflowBacklog?: boolean } = {},
): Promise<void> {
  if (options.workflowBacklog) {
    await requestInsightRegeneration(prisma, queue, configurationId, [executionId, ...laterExecutionIds], regenerateDelayMs * INSIGHT_BACKLOG_HOLD_DELAYS, { hold: true });
    return;
  }
  const refresh = async () => {
    if (laterExecutionIds.length > 0) await requestInsightRegeneration(prisma, queue, configurationId, laterExecutionIds, regenerateDelayMs);
  };
  if ((await queue.getWaitingCount()) >= INSIGHT_BATCH_BACKLOG) {
    await requestInsightRegeneration(prisma, queue, configurationId, [executionId], 0, { scope: 'fresh' });
    await refresh();
    return;
  }
  const jobId = insightGenerateJobId(configurationId, executionId);
  await requestInsightGenerations(prisma, configurationId, [{ executionId, jobId }]);
  const data: InsightGenerateJob = { configurationId, executionId };
  await queue.add(INSIGHT_GENERATE_JOB, data, { ...INSIGHT_GENERATE_JOB_OPTIONS, jobId });
  await refresh();
}

/**
 * Whether events of the workflow are accepted but not processed yet (a replay catching up): a
 * regeneration pass that leaves refreshes holds them then, as the report service does.
 */
export async function workflowEventsInFlight(prisma: RawSql, workflowId: string): Promise<boolean> {
  const [row] = await prisma.$queryRaw<Array<{ in_flight: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM amc_execution_events WHERE workflow_id = ${workflowId}::uuid AND processed_at IS NULL AND failed_at IS NULL
                     AND outcome = 'accepted') AS in_flight`;
  return row?.in_flight ?? false;
}

/**
 * Asks for a coalesced regeneration of one configuration's insights (insight.regenerate): the
 * executions named are recorded as waiting for it (one statement; their stored fingerprints stay,
 * so the pass can tell what changed), then the job is added. While one is pending the add is
 * absorbed by its deduplication id; while one runs, BullMQ keeps one more for after it.
 * `requested_at` is the statement's clock, taken after the history change it answers committed: a
 * pass that read the history before that instant leaves these rows queued for the next one.
 * `scope` 'fresh' (with `delayMs` 0): sets nobody has yet, due at once. A pass still delayed (its
 * refreshes debounced, or held through a replay) is replaced by a fresh one, so a new execution's
 * own insights never wait out a hold; the fresh pass asks for the full pass again for what it
 * leaves (InsightRegenerationService), carrying `since` so the refreshes are not held longer.
 * `hold`: never push a pending pass back (a new one is added with `delayMs`).
 * `since`: when the oldest refresh this request carries on was asked for (default: the job's own timestamp).
 */
export async function requestInsightRegeneration(
  prisma: RawSql, queue: Queue, configurationId: string, executionIds: readonly string[], delayMs: number,
  options: { scope?: 'fresh' | 'all'; hold?: boolean; since?: number } = {},
): Promise<void> {
  const scope = options.scope ?? 'all';
  if (executionIds.length > 0) {
    await prisma.$executeRaw`
      INSERT INTO insight_generations (report_configuration_id, execution_id, job_id, requested_at)
      SELECT ${configurationId}::uuid, e, ${insightRegenerationKey(configurationId)}, clock_timestamp()
      FROM unnest(${[...executionIds]}::uuid[]) AS e
      ON CONFLICT (report_configuration_id, execution_id) DO UPDATE
      SET job_id = excluded.job_id, status = 'queued', failure_reason = NULL, failure_transient = NULL, requested_at = clock_timestamp(),
          finished_at = NULL, swept_at = NULL`;
  }
  const pending = await pendingRegeneration(queue, configurationId);
  const pendingSince = pending ? (pending.data as InsightRegenerateJob).since ?? pending.timestamp : undefined;
  if (scope === 'fresh' && pending && (await pending.isDelayed())) {
    // If it stopped being delayed since (due, or running), BullMQ absorbs this add as any other.
    const data: InsightRegenerateJob = { configurationId, scope, since: Math.min(pendingSince!, options.since ?? Infinity) };
    await queue.add(INSIGHT_REGENERATE_JOB, data, insightRegenerateJobOptions(configurationId, 0, false, true));
    return;
  }
  const data: InsightRegenerateJob = { configurationId, ...(scope === 'fresh' ? { scope } : {}), ...(options.since === undefined ? {} : { since: options.since }) };
  // Debounced, but a pass that has waited INSIGHT_REGENERATE_MAX_DELAYS delays is not pushed back
  // again. A request due at once (delay 0, a fresh set) moves no waiting pass: it computes the set anyway.
  // Pulling a pass forward is always allowed: a pass held through a replay (INSIGHT_BACKLOG_HOLD_DELAYS)
  // may have waited longer than the cap, and the first request after the replay brings it to the normal
  // delay (dueAt).
  const dueLater = pending !== undefined && dueAt(pending) > Date.now() + delayMs;
  const reschedule = !options.hold && delayMs > 0 && (!pending || Date.now() - pendingSince! < delayMs * INSIGHT_REGENERATE_MAX_DELAYS || dueLater);
  await queue.add(INSIGHT_REGENERATE_JOB, data, insightRegenerateJobOptions(configurationId, delayMs, reschedule));
}

/** The report's pass BullMQ holds under its deduplication id (delayed, waiting or running), if any. */
async function pendingRegeneration(queue: Queue, configurationId: string): Promise<Job | undefined> {
  const pendingId = await queue.getDeduplicationJobId(insightRegenerationKey(configurationId));
  return pendingId ? await queue.getJob(pendingId) : undefined;
}

/**
 * When a delayed pass was set to run. After a reschedule or changeDelay the job keeps its first
 * timestamp with the new delay, so this is then at most the real due time: a lower bound, which
 * is all the pull-forward checks need (a pass already moved up is not moved again).
 */
const dueAt = (job: Job): number => job.timestamp + (job.delay ?? 0);

/**
 * A replay of the workflow is over (no event of it is in flight, checked after this job's event
 * was marked processed, so whichever job of the replay marks last sees it): each report's pass
 * held through it is brought to the normal delay. A pass not delayed (due, running) or due sooner
 * anyway is left alone. Returns how many were brought forward.
 */
export async function releaseHeldRegenerations(
  prisma: RawSql, queue: Queue, workflowId: string, configurationIds: readonly string[], delayMs: number,
): Promise<number> {
  if (configurationIds.length === 0 || (await workflowEventsInFlight(prisma, workflowId))) return 0;
  let released = 0;
  for (const configurationId of configurationIds) {
    const pending = await pendingRegeneration(queue, configurationId);
    if (!pending || dueAt(pending) <= Date.now() + delayMs) continue;
    try {
      await pending.changeDelay(delayMs);
      released++;
    } catch (error) {
      // It left the delayed set meanwhile (due, or running): nothing to bring forward.
      if ((await pending.getState()) === 'delayed') throw error;
    }
  }
  return released;
}

/**
 * A regeneration pass is done with these executions: each whose stored fingerprint is the one the
 * pass found current, and whose request the pass saw (requested before it read the history), is
 * completed; so is any waiting execution the history no longer holds. `current`: every execution of
 * the history the pass read. Returns how many rows were settled.
 */
export async function settleRegeneration(
  prisma: PrismaClient, configurationId: string, current: ReadonlyArray<{ executionId: string; fingerprint: string }>, readAt: Date,
): Promise<number> {
  const key = insightRegenerationKey(configurationId);
  const [current_, gone] = await prisma.$transaction([
    prisma.$executeRaw`
      UPDATE insight_generations g SET status = 'completed', finished_at = now(), failure_reason = NULL, failure_transient = NULL
      FROM unnest(${current.map((c) => c.executionId)}::uuid[], ${current.map((c) => c.fingerprint)}::text[]) AS k(execution_id, fingerprint)
      WHERE g.report_configuration_id = ${configurationId}::uuid AND g.execution_id = k.execution_id
        AND g.job_id = ${key} AND g.status <> 'completed' AND g.history_fingerprint = k.fingerprint AND g.requested_at <= ${readAt}`,
    // Executions no longer in the history (superseded by a re-run, unusable since): nothing to compute, as a skipped insight.generate.
    prisma.$executeRaw`
      UPDATE insight_generations g SET status = 'completed', finished_at = now(), failure_reason = NULL, failure_transient = NULL
      WHERE g.report_configuration_id = ${configurationId}::uuid AND g.job_id = ${key} AND g.status <> 'completed'
        AND g.requested_at <= ${readAt} AND g.execution_id <> ALL(${current.map((c) => c.executionId)}::uuid[])`,
  ]);
  return current_ + gone;
}

/** A regeneration found nothing to compute (its report was disabled or deleted): the waiting executions are done. */
export async function markRegenerationSkipped(prisma: PrismaClient, configurationId: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE insight_generations SET status = 'completed', finished_at = now()
    WHERE report_configuration_id = ${configurationId}::uuid AND job_id = ${insightRegenerationKey(configurationId)} AND status = 'queued'`;
}

/** A regeneration failed after its last attempt: every execution still waiting for it says why. */
export async function markRegenerationFailed(prisma: PrismaClient, configurationId: string, reason: string, transient: boolean): Promise<void> {
  await prisma.$executeRaw`
    UPDATE insight_generations SET status = 'failed', finished_at = now(), failure_reason = ${reason.slice(0, 2_000)},
           failure_transient = ${transient}
    WHERE report_configuration_id = ${configurationId}::uuid AND job_id = ${insightRegenerationKey(configurationId)} AND status = 'queued'`;
}

/** `jobs redrive` of a failed regeneration: its failed executions wait again, and it runs anew. */
export async function redriveFailedRegeneration(prisma: PrismaClient, queue: Queue, configurationId: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE insight_generations
    SET status = 'queued', failure_reason = NULL, failure_transient = NULL, redrive_count = redrive_count + 1, requested_at = clock_timestamp(),
        finished_at = NULL, swept_at = NULL
    WHERE report_configuration_id = ${configurationId}::uuid AND job_id = ${insightRegenerationKey(configurationId)} AND status = 'failed'`;
  await requestInsightRegeneration(prisma, queue, configurationId, [], 0);
}
