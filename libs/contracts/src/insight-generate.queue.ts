import { randomUUID } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { retryingJobOptions } from './job-options';

export const INSIGHT_GENERATE_QUEUE = 'insight.generate' as const;
export const INSIGHT_GENERATE_JOB = 'insight.generate' as const;

export const InsightGenerateJob = z.object({
  configurationId: z.string().uuid(),
  executionId: z.string().uuid(),
});
export type InsightGenerateJob = z.infer<typeof InsightGenerateJob>;

/**
 * `ins-<config>-<execution>`: an execution's own set, asked for once when it arrives. Refreshes
 * after a replayed older window are one coalesced insight.regenerate per configuration (below).
 */
export const insightGenerateJobId = (configurationId: string, executionId: string): string => `ins-${configurationId}-${executionId}`;
export const INSIGHT_GENERATE_JOB_OPTIONS = retryingJobOptions(4, 5_000);

/**
 * insight.regenerate, on the same queue: bring every execution of one configuration whose history
 * changed (an older window arrived late, a window was re-run) up to date, in one pass. There is at
 * most one pending per configuration: the BullMQ deduplication id is the configuration's; a
 * request while one waits pushes it back (`reschedule`, a debounce) and is absorbed;
 * `keepLastIfActive` makes a request that arrives while a pass runs start one more pass after it
 * (that pass reads what the running one may have missed).
 */
export const INSIGHT_REGENERATE_JOB = 'insight.regenerate' as const;

export const InsightRegenerateJob = z.object({
  configurationId: z.string().uuid(),
  /**
   * `fresh`: compute only the sets nobody has yet (executions that joined the pass under a backlog,
   * due at once); sets whose history changed are left to a debounced full pass, which a fresh pass
   * asks for when it leaves any. Absent: `all`, every set whose history changed.
   */
  scope: z.enum(['fresh', 'all']).optional(),
  /**
   * When the oldest refresh this pass carries was asked for (epoch ms). Requests do not push a
   * pass back once it has waited the debounce cap since then, and a fresh pass that replaced a
   * held one asks for the full pass no later than INSIGHT_BACKLOG_HOLD_DELAYS delays after it.
   * Absent (jobs added before it existed): the job's own timestamp.
   */
  since: z.number().int().nonnegative().optional(),
});
export type InsightRegenerateJob = z.infer<typeof InsightRegenerateJob>;

/**
 * `regen-<config>`: the deduplication id, and the job id the ledger (insight_generations.job_id)
 * records for the executions a pending regeneration will refresh. The BullMQ job ids themselves are
 * unique per request (`regen-<config>-<uuid>`): an id that stayed with a completed job would make
 * the next request a no-op.
 */
export const insightRegenerationKey = (configurationId: string): string => `regen-${configurationId}`;
export const isInsightRegenerationKey = (jobId: string): boolean => jobId.startsWith('regen-');
export const configurationOfRegenerationKey = (key: string): string => key.slice('regen-'.length);

/**
 * A pass waits at most this many delays: requests keep pushing it back (a debounce, so a backfill
 * of one report is regenerated once, after it), but a report whose out-of-order arrivals never
 * pause still gets its pass.
 */
export const INSIGHT_REGENERATE_MAX_DELAYS = 12;

/**
 * While a workflow's replay is in flight (more of its events wait), its insight sets (each
 * arrival's own and the refreshes) are held this many delays (3 minutes at the default 5 s) from
 * the first request a pass carries, without pushing a pending pass back, so none waits longer. The
 * 500-workflow storm bench spreads one workflow's out-of-order arrivals over some 14 minutes: held
 * a minute at a time (12 delays) they were refreshed about 14 times, 2.4 to 2.7 insight
 * computations per execution.
 */
export const INSIGHT_BACKLOG_HOLD_DELAYS = 36;

/**
 * Waiting insight jobs from which an execution's own set is computed by its configuration's pass
 * rather than a job of its own (processing-ledger requestExecutionInsights): more than the two
 * jobs an insight worker starts at once are already waiting, so joining the pass costs no time.
 */
export const INSIGHT_BATCH_BACKLOG = 1;

/**
 * `delayMs` (INSIGHT_REGENERATE_DELAY_MS): how long after the last request the pass runs.
 * `reschedule`: push a pending pass back by `delayMs` (false once it has waited long enough).
 * `replace`: take the place of a pending pass that is still delayed (a fresh set due at once).
 */
export function insightRegenerateJobOptions(configurationId: string, delayMs: number, reschedule = true, replace = false): JobsOptions {
  const key = insightRegenerationKey(configurationId);
  return {
    ...retryingJobOptions(4, 5_000),
    jobId: `${key}-${randomUUID()}`,
    delay: delayMs,
    // `replace`: a pending pass still delayed is removed and this one added instead (BullMQ ignores
    // `reschedule` then); one already waiting or running absorbs this one as without it.
    deduplication: replace ? { id: key, keepLastIfActive: true, replace: true } : { id: key, keepLastIfActive: true, reschedule },
  };
}
