import { z } from 'zod';
import { retryingJobOptions } from './job-options';

export const INSIGHT_GENERATE_QUEUE = 'insight.generate' as const;
export const INSIGHT_GENERATE_JOB = 'insight.generate' as const;

export const InsightGenerateJob = z.object({
  configurationId: z.string().uuid(),
  executionId: z.string().uuid(),
});
export type InsightGenerateJob = z.infer<typeof InsightGenerateJob>;

export const insightGenerateJobId = (configurationId: string, executionId: string): string =>
  `ins-${configurationId}-${executionId}`;
export const INSIGHT_GENERATE_JOB_OPTIONS = retryingJobOptions(4, 5_000);
