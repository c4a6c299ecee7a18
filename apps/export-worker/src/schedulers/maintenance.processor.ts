import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { EXPORTS_CLEANUP_JOB, EXPORTS_SWEEP_JOB, MAINTENANCE_QUEUE } from '@amc-reports/contracts';
import { ExportsCleanupService } from './exports-cleanup.service';
import { ExportsSweepService } from './exports-sweep.service';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost {
  constructor(private readonly cleanup: ExportsCleanupService, private readonly sweep: ExportsSweepService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case EXPORTS_CLEANUP_JOB:
        return this.cleanup.run();
      case EXPORTS_SWEEP_JOB:
        return this.sweep.run();
      default:
        throw new UnrecoverableError(`unknown maintenance job "${job.name}"`);
    }
  }
}
