import { z } from 'zod';
import { retryingJobOptions, safeJobIdPart } from './job-options';

/** Queue and job names are stored in Redis: never rename them casually. */
export const REPORT_UPDATE_QUEUE = 'report.update' as const;
export const REPORT_UPDATE_JOB = 'report.update' as const;

/** Payloads carry ids, never rows: the event row (inbox) holds the payload. */
export const ReportUpdateJob = z.object({
  /** amc_execution_events.id */
  eventRowId: z.string().uuid(),
});
export type ReportUpdateJob = z.infer<typeof ReportUpdateJob>;

export const reportUpdateJobId = (amcExecutionId: string): string => `exec-${safeJobIdPart(amcExecutionId)}`;
export const REPORT_UPDATE_JOB_OPTIONS = retryingJobOptions(5, 2_000);
