import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import {
  EXPORTS_CLEANUP_EVERY_MS, EXPORTS_CLEANUP_JOB, EXPORTS_SWEEP_EVERY_MS, EXPORTS_SWEEP_JOB, KEEP_COMPLETED, MAINTENANCE_QUEUE, PIPELINE_REDRIVE_JOB,
} from '@amc-reports/contracts';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { InjectExportWorkerConfig } from '../export-worker.config';

/** The recurring maintenance jobs: scheduler id = job name, one interval each. */
export function maintenanceSchedules(redriveEveryMs: number): Array<{ id: string; every: number }> {
  return [
    { id: EXPORTS_CLEANUP_JOB, every: EXPORTS_CLEANUP_EVERY_MS },
    { id: EXPORTS_SWEEP_JOB, every: EXPORTS_SWEEP_EVERY_MS },
    { id: PIPELINE_REDRIVE_JOB, every: redriveEveryMs },
  ];
}

/**
 * Upserts the job schedulers at every export-worker start. A scheduler is keyed by its id in
 * Redis, so restarts and any number of worker processes leave exactly one of each, and BullMQ
 * hands each iteration to one worker only.
 */
export async function registerMaintenanceSchedules(queue: Queue, redriveEveryMs: number): Promise<void> {
  for (const schedule of maintenanceSchedules(redriveEveryMs)) {
    await queue.upsertJobScheduler(schedule.id, { every: schedule.every }, {
      name: schedule.id,
      data: {},
      opts: { removeOnComplete: KEEP_COMPLETED, removeOnFail: { count: 100 } },
    });
  }
}

@Injectable()
export class MaintenanceSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceSchedules.name);

  constructor(@InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue, @InjectExportWorkerConfig() private readonly config: ExportWorkerEnv) {}

  async onApplicationBootstrap(): Promise<void> {
    await registerMaintenanceSchedules(this.queue, this.config.REDRIVE_INTERVAL_MS);
    const schedules = maintenanceSchedules(this.config.REDRIVE_INTERVAL_MS);
    this.logger.log({ msg: 'maintenance schedules registered', schedules: schedules.map((schedule) => `${schedule.id} every ${schedule.every} ms`) });
  }
}
