import type { JobsOptions } from 'bullmq';

/** Completed jobs are trimmed by count and age; failed ones stay for inspection (DESIGN §4). */
export const KEEP_COMPLETED = { count: 1_000, age: 24 * 3600 } as const;

export function retryingJobOptions(attempts: number, firstDelayMs: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: firstDelayMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
  };
}

/** BullMQ job ids may not contain ':'; AMC ids are opaque text, so anything else becomes '_'. */
export function safeJobIdPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_');
}
