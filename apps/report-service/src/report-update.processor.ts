import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { REPORT_UPDATE_QUEUE, ReportUpdateJob } from '@amc-reports/contracts';
import { isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
import { classifyFailure, type FailureClass } from './classify-failure';
import { ReportUpdateService } from './report-update.service';

/** A failure retrying cannot fix: BullMQ fails the job at once; the class says what to record. */
export class PermanentFailureError extends UnrecoverableError {
  constructor(
    readonly failure: Extract<FailureClass, { kind: 'permanent' }>,
    options: { cause: unknown },
  ) {
    super(`${failure.code}: ${failure.reason}`);
    this.cause = options.cause;
  }
}

@Processor(REPORT_UPDATE_QUEUE)
export class ReportUpdateProcessor extends WorkerHost {
  constructor(private readonly reportUpdates: ReportUpdateService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const payload = parseJobPayload(ReportUpdateJob, job);
    try {
      return await this.reportUpdates.handle(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 });
    } catch (error) {
      // Bad data fails on its first attempt; anything not recognised as permanent is retried.
      const failure = classifyFailure(error);
      throw failure.kind === 'permanent' ? new PermanentFailureError(failure, { cause: error }) : error;
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job, error)) return;
    const failure = error instanceof PermanentFailureError ? error.failure : classifyFailure(error);
    await this.reportUpdates.recordFailure(job.data as ReportUpdateJob, error instanceof PermanentFailureError ? (error.cause as Error) : error, {
      failure,
      attempts: job.attemptsMade,
      jobId: job.id ?? '',
    });
  }
}
