import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { INSIGHT_GENERATE_QUEUE, InsightGenerateJob } from '@amc-reports/contracts';
import { isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
import { InsightGenerationService } from './insight-generation.service';

@Processor(INSIGHT_GENERATE_QUEUE)
export class InsightGenerateProcessor extends WorkerHost {
  constructor(private readonly insights: InsightGenerationService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const payload = parseJobPayload(InsightGenerateJob, job);
    return this.insights.generate(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 });
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (job && isFinalFailure(job, error)) await this.insights.recordFailure(job.data as InsightGenerateJob, error);
  }
}
