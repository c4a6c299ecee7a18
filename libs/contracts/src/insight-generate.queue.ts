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
 * `ins-<config>-<execution>`; a refresh caused by a replayed older window gets its own id
 * (`…-after-<replayed execution>`), since the first job's id is kept and would swallow it.
 */
export const insightGenerateJobId = (configurationId: string, executionId: string, afterReplayOf?: string): string =>
  afterReplayOf ? `ins-${configurationId}-${executionId}-after-${afterReplayOf}` : `ins-${configurationId}-${executionId}`;
export const INSIGHT_GENERATE_JOB_OPTIONS = retryingJobOptions(4, 5_000);
