import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { INSIGHT_GENERATE_QUEUE, INSIGHT_REGENERATE_JOB, InsightGenerateJob, InsightRegenerateJob } from '@amc-reports/contracts';
import { DependencyGate, isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
import { InsightGenerationService } from './insight-generation.service';
import { InsightRegenerationService } from './regeneration/insight-regeneration.service';

/** insight.generate carries two jobs: one execution's set, and a configuration's coalesced regeneration. */
@Processor(INSIGHT_GENERATE_QUEUE)
export class InsightGenerateProcessor extends WorkerHost {
  private readonly logger = new Logger(InsightGenerateProcessor.name);

  constructor(
    private readonly insights: InsightGenerationService,
    private readonly regenerations: InsightRegenerationService,
    private readonly gate: DependencyGate,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const context = { jobId: job.id ?? '', attempt: job.attemptsMade + 1 };
    if (job.name === INSIGHT_REGENERATE_JOB) {
      const payload = parseJobPayload(InsightRegenerateJob, job);
      return this.gate.run(job, token, () => this.regenerations.regenerate(payload, context));
    }
    const payload = parseJobPayload(InsightGenerateJob, job);
    return this.gate.run(job, token, () => this.insights.generate(payload, context));
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job, error)) return;
    try {
      if (job.name === INSIGHT_REGENERATE_JOB) await this.regenerations.recordFailure(job.data as InsightRegenerateJob, error);
      else await this.insights.recordFailure(job.data as InsightGenerateJob, error, job.id ?? '');
    } catch (recordError) {
      this.logger.error({ msg: `could not record the failure: ${(recordError as Error).message}`, jobId: job.id });
    }
  }
}
