import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { REPORT_UPDATE_QUEUE, ReportUpdateJob } from '@amc-reports/contracts';
import { DependencyGate, isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
import { ReportUpdateService } from './report-update.service';

@Processor(REPORT_UPDATE_QUEUE)
export class ReportUpdateProcessor extends WorkerHost {
  private readonly logger = new Logger(ReportUpdateProcessor.name);

  constructor(private readonly reportUpdates: ReportUpdateService, private readonly gate: DependencyGate) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const payload = parseJobPayload(ReportUpdateJob, job);
    return this.gate.run(job, token, () => this.reportUpdates.handle(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 }));
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job, error)) return;
    try {
      await this.reportUpdates.recordFailure(job.data as ReportUpdateJob, error);
    } catch (recordError) {
      // Postgres away right now: the event stays unfinished in the ledger and the re-drive sweeper sees the failed job.
      this.logger.error({ msg: `could not record the failure: ${(recordError as Error).message}`, jobId: job.id });
    }
  }
}
