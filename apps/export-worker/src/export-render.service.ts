import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { EXPORT_COMPLETED, EXPORT_FAILED, type ExportFinishedEvent, type ExportRenderJob } from '@amc-reports/contracts';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { isTransientFailure, type EventsPublisher } from '@amc-reports/runtime';
import type { ObjectStorage, ProcessScratch } from '@amc-reports/storage';
import {
  claimExport, exportExtension, exportStorageKey, markCompleted, markFailed, noteAttemptError, releaseClaim, saveProgress, type ClaimedExport,
} from './export-lifecycle';
import { InjectExportEvents, InjectExportStorage, InjectExportWorkerConfig, InjectRawResultStorage } from './export-worker.config';
import { loadExportSource } from './load-export-source';
import { ProgressThrottle } from './progress-throttle';
import { renderExportFile } from './render-export-file';
import { InjectRenderScratch } from './render-temporaries';
import { ExportInputError } from './renderers/export-document';
import { verifyExport } from './renderers/verify-export';

export interface JobContext {
  jobId: string;
  attempt: number;
  /** Called once this run has claimed the export (its attempt is counted in report_exports). */
  onClaimed?: () => void;
}

export interface ExportRenderOutcome {
  exportId: string;
  status: string;
  storageKey?: string;
  sizeBytes?: number;
}

/** The export's organization holds its share of render slots: the job waits (no attempt spent). */
export class OrganizationBusyError extends Error {
  override name = 'OrganizationBusyError';

  constructor(readonly organizationId: string) {
    super(`organization ${organizationId} already renders its share of exports`);
  }
}

/**
 * Render slots one organization may hold at once: all but one of the worker's, so another
 * organization's export always finds a free slot (a single organization alone renders one at a
 * time less than it could; on a 2-core worker that costs little). EXPORT_RENDERS_PER_ORGANIZATION overrides.
 */
export function rendersPerOrganization(config: Pick<ExportWorkerEnv, 'EXPORT_CONCURRENCY' | 'EXPORT_RENDERS_PER_ORGANIZATION'>): number {
  return config.EXPORT_RENDERS_PER_ORGANIZATION ?? Math.max(1, config.EXPORT_CONCURRENCY - 1);
}

/** A rendered file that failed its check: the render is wrong, and rendering again would not fix it. */
export class ExportVerificationError extends Error {
  override name = 'ExportVerificationError';
}

export type ExportEvents = Pick<EventsPublisher, 'publish'>;

/** Share of the progress bar the rows of a raw export take; verifying and storing take the rest. */
const ROWS_PROGRESS_SHARE = 90;

/**
 * export.render: claim the row → load the dashboard (or raw result) → render into a temporary
 * file → verify it → store it under `<export id>.<ext>` (atomic) → completed + size + sha256 +
 * expires_at → export.completed. A request that cannot render or a file that fails its check is
 * failed at once with the reason; anything else is retried by BullMQ, and `recordFailure` writes
 * the reason after the last attempt.
 */
@Injectable()
export class ExportRenderService {
  private readonly logger = new Logger(ExportRenderService.name);

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectExportStorage() private readonly storage: ObjectStorage,
    @InjectRawResultStorage() private readonly rawResults: ObjectStorage,
    @InjectExportEvents() private readonly events: ExportEvents,
    @InjectExportWorkerConfig() private readonly config: ExportWorkerEnv,
    @InjectRenderScratch() private readonly scratch: ProcessScratch,
  ) {}

  async render(job: ExportRenderJob, { onClaimed, ...context }: JobContext): Promise<ExportRenderOutcome> {
    const claim = await claimExport(this.prisma, job.exportId, this.config.EXPORT_MAX_ATTEMPTS, rendersPerOrganization(this.config));
    if (claim.kind === 'busy') throw new OrganizationBusyError(claim.organizationId);
    if (claim.kind === 'claimed') onClaimed?.();
    if (claim.kind === 'missing') throw new UnrecoverableError(`export ${job.exportId} does not exist (its report was deleted?)`);
    if (claim.kind === 'settled') {
      this.logger.log({ msg: `export already ${claim.status}: nothing to do`, exportId: job.exportId, ...context });
      return { exportId: job.exportId, status: claim.status };
    }
    if (claim.kind === 'exhausted') {
      const reason = `gave up after ${claim.attempts} attempts: the render never finished`;
      await this.fail(job.exportId, reason);
      throw new UnrecoverableError(reason);
    }
    const row = claim.row;
    const log = { exportId: row.id, reportId: row.reportConfigurationId, format: row.format, scope: row.scope, ...context };
    // A directory of its own per render, in this process's scratch: removed when the render ends,
    // and swept at the next start when the process is killed mid-render.
    const workDir = await this.scratch.jobDirectory(row.id);
    const file = path.join(workDir, `export.${exportExtension(row.format, row.scope)}`);
    const progress = new ProgressThrottle((percent) => saveProgress(this.prisma, row.id, percent));
    try {
      const outcome = await this.renderAndStore(row, file, progress, log);
      this.logger.log({ msg: `export ${outcome.status}`, ...log, sizeBytes: outcome.sizeBytes });
      return outcome;
    } catch (error) {
      const permanent = error instanceof ExportInputError || error instanceof ExportVerificationError;
      if (permanent) {
        this.logger.warn({ msg: `export failed: ${(error as Error).message}`, ...log });
        await this.fail(row.id, (error as Error).message);
        throw new UnrecoverableError((error as Error).message);
      }
      this.logger.warn({ msg: `export attempt failed, will retry: ${(error as Error).message}`, ...log });
      await noteAttemptError(this.prisma, row.id, `attempt ${row.attempts} failed: ${(error as Error).message}`).catch(() => undefined);
      throw error;
    } finally {
      await progress.settled();
      await this.scratch.release(workDir);
    }
  }

  private async renderAndStore(row: ClaimedExport, file: string, progress: ProgressThrottle, log: object): Promise<ExportRenderOutcome> {
    const startedAt = Date.now();
    const source = await loadExportSource(this.prisma, this.rawResults, this.storage, row);
    progress.report(5);
    const onRows = source.kind === 'raw' && source.rowCount > 0
      ? (rows: number) => progress.report(5 + (Math.min(rows, source.rowCount) / source.rowCount) * ROWS_PROGRESS_SHARE)
      : undefined;
    const { summary, expected } = await renderExportFile(source, file, { onRows });
    const verdict = await verifyExport(file, summary, expected);
    if (!verdict.ok) throw new ExportVerificationError(`the ${row.format} file failed its check: ${verdict.reason}`);
    progress.report(97);

    const stored = await this.storage.put(exportStorageKey(row.id, row.format, row.scope, row.claim), createReadStream(file));
    await progress.settled();
    const completed = await markCompleted(this.prisma, row.id, row.claim, stored, source.retentionDays);
    if (!completed) {
      // Another claim owns the export now (its render finishes it, or already did): this file is nobody's.
      await this.storage.delete(stored.key);
      this.logger.warn({ msg: 'export was claimed again while this render ran: its file was discarded', ...log });
      return { exportId: row.id, status: 'superseded' };
    }
    // Earlier claims were fenced out by this one: whatever file they stored is nobody's either.
    for (let earlier = 1; earlier < row.claim; earlier++) await this.storage.delete(exportStorageKey(row.id, row.format, row.scope, earlier)).catch(() => undefined);
    await this.announce({
      reportId: row.reportConfigurationId, exportId: row.id, userId: row.userId, format: row.format, status: 'completed', error: null,
      sizeBytes: stored.sizeBytes, durationMs: Date.now() - startedAt,
    });
    return { exportId: row.id, status: 'completed', storageKey: stored.key, sizeBytes: stored.sizeBytes };
  }

  /** A render an outage interrupted gives its attempt back: the export waits as it did before the claim. */
  async releaseClaim(exportId: string): Promise<void> {
    await releaseClaim(this.prisma, exportId);
  }

  /**
   * After the last attempt: the export shows why it failed (a no-op when `render` already failed
   * it). Unless the render never got to fail on its own, its process died under it twice (BullMQ's
   * "stalled more than allowable limit"): then the export stays processing and exports.sweep
   * gives it another render, up to EXPORT_MAX_ATTEMPTS claims (a crash loop still ends).
   */
  async recordFailure(job: ExportRenderJob, error: Error, attemptsMade: number): Promise<void> {
    if (isTransientFailure(error)) {
      await noteAttemptError(this.prisma, job.exportId, `interrupted (${error.message}): it will be rendered again`);
      this.logger.warn({ msg: `export render interrupted, left for the sweeper: ${error.message}`, exportId: job.exportId });
      return;
    }
    const permanent = error instanceof UnrecoverableError || error.name === 'UnrecoverableError';
    await this.fail(job.exportId, permanent ? error.message : `failed after ${attemptsMade} attempt(s): ${error.message}`);
  }

  private async fail(exportId: string, reason: string): Promise<void> {
    const failed = await markFailed(this.prisma, exportId, reason);
    if (!failed) return;
    this.logger.error({ msg: `export failed: ${reason}`, exportId, reportId: failed.reportConfigurationId });
    await this.announce({ reportId: failed.reportConfigurationId, exportId, userId: failed.userId, format: failed.format, status: 'failed', error: reason });
  }

  private async announce(event: Omit<ExportFinishedEvent, 'occurredAt'>): Promise<void> {
    const payload: ExportFinishedEvent = { ...event, occurredAt: new Date().toISOString() };
    await this.events.publish(event.status === 'completed' ? EXPORT_COMPLETED : EXPORT_FAILED, payload);
  }
}
