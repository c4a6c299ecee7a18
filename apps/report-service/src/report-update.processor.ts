import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { REPORT_UPDATE_QUEUE, ReportUpdateJob } from '@amc-reports/contracts';
import { isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
import { ReportUpdateService } from './report-update.service';

@Processor(REPORT_UPDATE_QUEUE)
export class ReportUpdateProcessor extends WorkerHost {
  constructor(private readonly reportUpdates: ReportUpdateService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const payload = parseJobPayload(ReportUpdateJob, job);
    return this.reportUpdates.handle(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 });
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (job && isFinalFailure(job, error)) await this.reportUpdates.recordFailure(job.data as ReportUpdateJob, error);
  }
}
