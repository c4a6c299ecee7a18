import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { INSIGHT_GENERATE_QUEUE, InsightGenerateJob } from '@amc-reports/contracts';
import { DependencyGate, isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
import { InsightGenerationService } from './insight-generation.service';

@Processor(INSIGHT_GENERATE_QUEUE)
export class InsightGenerateProcessor extends WorkerHost {
  private readonly logger = new Logger(InsightGenerateProcessor.name);

  constructor(
    private readonly insights: InsightGenerationService,
    private readonly gate: DependencyGate,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const payload = parseJobPayload(InsightGenerateJob, job);
    return this.gate.run(job, token, () => this.insights.generate(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 }));
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job, error)) return;
    try {
      await this.insights.recordFailure(job.data as InsightGenerateJob, error, job.id ?? '');
    } catch (recordError) {
      this.logger.error({ msg: `could not record the failure: ${(recordError as Error).message}`, jobId: job.id });
    }
  }
}
