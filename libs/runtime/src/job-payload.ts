import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';

/** A payload that fails its contract will never succeed on retry: fail it at once, with the reason. */
export function parseJobPayload<S extends z.ZodType>(schema: S, job: Job): z.infer<S> {
  const parsed = schema.safeParse(job.data);
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
  throw new UnrecoverableError(`invalid ${job.name} payload: ${reason}`);
}

/** True when this failure is the job's last: no retry will follow, so record it for people. */
export function isFinalFailure(job: Job, error: Error): boolean {
  return error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}
