import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { ReportUpdateJob } from '@amc-reports/contracts';

export interface JobContext {
  jobId: string;
  attempt: number;
}

@Injectable()
export class ReportUpdateService {
  async handle(job: ReportUpdateJob, context: JobContext): Promise<unknown> {
    throw new UnrecoverableError(`report.update is not built yet (event ${job.eventRowId}, job ${context.jobId})`);
  }

  async recordFailure(_job: ReportUpdateJob, _error: Error): Promise<void> {}
}
