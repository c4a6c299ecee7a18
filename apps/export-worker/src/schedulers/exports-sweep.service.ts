import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import {
  EXPORT_FAILED, EXPORT_RENDER_JOB, EXPORT_RENDER_JOB_OPTIONS, EXPORT_RENDER_QUEUE, exportRenderJobId, type ExportFinishedEvent, type ExportRenderJob,
} from '@amc-reports/contracts';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { markFailed, returnToPending } from '../export-lifecycle';
import type { ExportEvents } from '../export-render.service';
import { InjectExportEvents, InjectExportWorkerConfig } from '../export-worker.config';

const BATCH = 200;
/** A pending export whose job is missing this long after the request lost its job (the gateway adds it within milliseconds). */
export const PENDING_GRACE_MS = 60_000;
/** Job states in which BullMQ still owns the render: a live worker holds it, or it waits to run. */
const OWNED_BY_QUEUE = new Set(['active', 'waiting', 'waiting-children', 'delayed', 'prioritized']);

export interface SweepOutcome {
  requeued: number;
  failed: number;
  orphansRequeued: number;
}

/**
 * exports.sweep (every minute). An export is stuck when it has been processing longer than
 * EXPORT_PROCESSING_TIMEOUT_MS and no job of the queue is running or waiting for it (its worker
 * died and the job failed as stalled, or the job was lost with Redis): it goes back to pending
 * with a fresh job, or is failed once EXPORT_MAX_ATTEMPTS renders have started. A pending export
 * whose job never made it into the queue gets one.
 */
@Injectable()
export class ExportsSweepService {
  private readonly logger = new Logger(ExportsSweepService.name);

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectQueue(EXPORT_RENDER_QUEUE) private readonly queue: Queue,
    @InjectExportEvents() private readonly events: ExportEvents,
    @InjectExportWorkerConfig() private readonly config: ExportWorkerEnv,
  ) {}

  async run(now = new Date()): Promise<SweepOutcome> {
    const outcome: SweepOutcome = { requeued: 0, failed: 0, orphansRequeued: 0 };
    const startedBefore = new Date(now.getTime() - this.config.EXPORT_PROCESSING_TIMEOUT_MS);
    const stuck = await this.prisma.reportExport.findMany({
      where: { status: 'processing', startedAt: { lt: startedBefore } },
      select: { id: true, attempts: true, error: true },
      orderBy: { startedAt: 'asc' },
      take: BATCH,
    });
    for (const row of stuck) {
      const job = await this.queue.getJob(exportRenderJobId(row.id));
      if (job && OWNED_BY_QUEUE.has(await job.getState())) continue;
      if (row.attempts >= this.config.EXPORT_MAX_ATTEMPTS) {
        const reason = `gave up after ${row.attempts} attempts: no render finished within ${this.config.EXPORT_PROCESSING_TIMEOUT_MS} ms`
          + (row.error ? ` (last: ${row.error})` : '');
        const failed = await markFailed(this.prisma, row.id, reason);
        if (failed) {
          outcome.failed++;
          const event: ExportFinishedEvent = {
            reportId: failed.reportConfigurationId, exportId: row.id, userId: failed.userId, format: failed.format,
            status: 'failed', error: reason, occurredAt: new Date().toISOString(),
          };
          await this.events.publish(EXPORT_FAILED, event);
        }
        continue;
      }
      if (await returnToPending(this.prisma, row.id, startedBefore)) {
        await this.enqueue(row.id, job);
        outcome.requeued++;
      }
    }

    const pending = await this.prisma.reportExport.findMany({
      where: { status: 'pending', requestedAt: { lt: new Date(now.getTime() - PENDING_GRACE_MS) } },
      select: { id: true },
      orderBy: { requestedAt: 'asc' },
      take: BATCH,
    });
    for (const row of pending) {
      const job = await this.queue.getJob(exportRenderJobId(row.id));
      if (job && OWNED_BY_QUEUE.has(await job.getState())) continue;
      await this.enqueue(row.id, job);
      outcome.orphansRequeued++;
    }
    if (outcome.requeued + outcome.failed + outcome.orphansRequeued > 0) this.logger.warn({ msg: 'exports.sweep recovered exports', ...outcome });
    return outcome;
  }

  /** A finished job keeps its id (failed jobs are kept for inspection): it goes before the new one is added. */
  private async enqueue(exportId: string, previous: Job | undefined): Promise<void> {
    if (previous) await previous.remove();
    const data: ExportRenderJob = { exportId };
    await this.queue.add(EXPORT_RENDER_JOB, data, { ...EXPORT_RENDER_JOB_OPTIONS, jobId: exportRenderJobId(exportId) });
  }
}
