import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { ExportRenderJob } from '@amc-reports/contracts';

export interface JobContext {
  jobId: string;
  attempt: number;
}

@Injectable()
export class ExportRenderService {
  async render(job: ExportRenderJob, context: JobContext): Promise<unknown> {
    throw new UnrecoverableError(`export.render is not built yet (export ${job.exportId}, job ${context.jobId})`);
  }

  async recordFailure(_job: ExportRenderJob, _error: Error): Promise<void> {}
}
