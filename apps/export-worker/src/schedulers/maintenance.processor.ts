import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { MAINTENANCE_QUEUE } from '@amc-reports/contracts';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost {
  async process(job: Job): Promise<unknown> {
    throw new UnrecoverableError(`maintenance job "${job.name}" is not built yet`);
  }
}
