import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { EXPORT_RENDER_QUEUE, ExportRenderJob } from '@amc-reports/contracts';
import { DependencyGate, isFinalFailure, parseJobPayload } from '@amc-reports/runtime';
import { ExportRenderService, OrganizationBusyError } from './export-render.service';

/** How long an export of a busy organization waits before it asks for a render slot again. */
const BUSY_RETRY_MS = 250;

@Processor(EXPORT_RENDER_QUEUE)
export class ExportRenderProcessor extends WorkerHost {
  private readonly logger = new Logger(ExportRenderProcessor.name);

  constructor(private readonly exports: ExportRenderService, private readonly gate: DependencyGate) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const payload = parseJobPayload(ExportRenderJob, job);
    const run = { claimed: false };
    try {
      return await this.gate.run(job, token,
        () => this.exports.render(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1, onClaimed: () => (run.claimed = true) }),
        // An outage interrupted the render: its claim does not count against EXPORT_MAX_ATTEMPTS.
        { release: async () => void (run.claimed && (await this.exports.releaseClaim(payload.exportId))) });
    } catch (error) {
      if (!(error instanceof OrganizationBusyError)) throw error;
      // Back to the queue with its priority, without spending an attempt.
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
      throw new DelayedError();
    }
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || !isFinalFailure(job, error)) return;
    try {
      await this.exports.recordFailure(job.data as ExportRenderJob, error, job.attemptsMade);
    } catch (recordError) {
      // Postgres unreachable right now: the row stays processing and the sweeper fails or re-queues it.
      this.logger.error({ msg: `could not record the failure: ${(recordError as Error).message}`, exportId: (job.data as ExportRenderJob)?.exportId, jobId: job.id });
    }
  }
}
