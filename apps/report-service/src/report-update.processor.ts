import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { REPORT_UPDATE_QUEUE, ReportUpdateJob } from '@amc-reports/contracts';
import { DependencyGate, isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
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
  private readonly logger = new Logger(ReportUpdateProcessor.name);

  constructor(private readonly reportUpdates: ReportUpdateService, private readonly gate: DependencyGate) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const payload = parseJobPayload(ReportUpdateJob, job);
    try {
      // An outage (Postgres or Redis away) is held by the gate and never reaches the catch below.
      return await this.gate.run(job, token, () => this.reportUpdates.handle(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 }));
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      // Bad data fails on its first attempt; anything not recognised as permanent is retried.
      const failure = classifyFailure(error);
      throw failure.kind === 'permanent' ? new PermanentFailureError(failure, { cause: error }) : error;
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job, error)) return;
    const failure = error instanceof PermanentFailureError ? error.failure : classifyFailure(error);
    try {
      await this.reportUpdates.recordFailure(job.data as ReportUpdateJob, error instanceof PermanentFailureError ? (error.cause as Error) : error, {
        failure,
        attempts: job.attemptsMade,
        jobId: job.id ?? '',
      });
    } catch (recordError) {
      // Postgres away right now: the event stays unfinished in the ledger and the re-drive sweeper sees the failed job.
      this.logger.error({ msg: `could not record the failure: ${(recordError as Error).message}`, jobId: job.id });
    }
  }
}
