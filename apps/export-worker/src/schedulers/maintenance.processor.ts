import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { EXPORTS_CLEANUP_JOB, EXPORTS_SWEEP_JOB, MAINTENANCE_QUEUE, PIPELINE_REDRIVE_JOB } from '@amc-reports/contracts';
import { DependencyGate } from '@amc-reports/runtime';
import { ExportsCleanupService } from './exports-cleanup.service';
import { ExportsSweepService } from './exports-sweep.service';
import { PipelineRedriveService } from './pipeline-redrive.service';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost {
  constructor(
    private readonly cleanup: ExportsCleanupService,
    private readonly sweep: ExportsSweepService,
    private readonly redrive: PipelineRedriveService,
    private readonly gate: DependencyGate,
  ) {
    super();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    switch (job.name) {
      case EXPORTS_CLEANUP_JOB:
        return this.gate.run(job, token, () => this.cleanup.run());
      case EXPORTS_SWEEP_JOB:
        return this.gate.run(job, token, () => this.sweep.run());
      case PIPELINE_REDRIVE_JOB:
        return this.gate.run(job, token, () => this.redrive.run());
      default:
        throw new UnrecoverableError(`unknown maintenance job "${job.name}"`);
    }
  }
}
