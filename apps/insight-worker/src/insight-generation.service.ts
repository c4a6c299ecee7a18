import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { InsightGenerateJob } from '@amc-reports/contracts';

export interface JobContext {
  jobId: string;
  attempt: number;
}

@Injectable()
export class InsightGenerationService {
  async generate(job: InsightGenerateJob, context: JobContext): Promise<unknown> {
    throw new UnrecoverableError(`insight.generate is not built yet (configuration ${job.configurationId}, job ${context.jobId})`);
  }

  async recordFailure(_job: InsightGenerateJob, _error: Error): Promise<void> {}
}
