import { Injectable, Logger } from '@nestjs/common';
import type { ExportWorkerEnv } from '@amc-reports/config';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import type { ObjectStorage } from '@amc-reports/storage';
import { InjectExportStorage, InjectExportWorkerConfig, InjectRawResultStorage } from '../export-worker.config';
import { removeStaleRenderTemporaries, renderScratchRoot } from '../render-temporaries';

const BATCH = 500;
const DAY_MS = 86_400_000;
/** Temporaries untouched this long belong to a dead process (a live write keeps touching its file). */
const MIN_TEMPORARY_AGE_MS = 3_600_000;

export interface CleanupOutcome {
  expiredExports: number;
  rawResultsRemoved: number;
  temporariesRemoved: number;
}

/**
 * exports.cleanup (every 15 minutes): expired export files are deleted and their rows marked
 * `expired`; archived raw results past RAW_RESULT_RETENTION_DAYS are deleted (unless a raw export
 * still waits for one); temporaries of dead processes are removed. The file goes first and the
 * row after, so a crash in between leaves a row the next run finishes, never an orphan file.
 */
@Injectable()
export class ExportsCleanupService {
  private readonly logger = new Logger(ExportsCleanupService.name);

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectExportStorage() private readonly storage: ObjectStorage,
    @InjectRawResultStorage() private readonly rawResults: ObjectStorage,
    @InjectExportWorkerConfig() private readonly config: ExportWorkerEnv,
  ) {}

  async run(now = new Date()): Promise<CleanupOutcome> {
    const outcome: CleanupOutcome = {
      expiredExports: await this.expireExports(now),
      rawResultsRemoved: await this.removeOldRawResults(now),
      temporariesRemoved: await this.removeTemporaries(),
    };
    this.logger.log({ msg: 'exports.cleanup done', ...outcome });
    return outcome;
  }

  private async expireExports(now: Date): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.prisma.reportExport.findMany({
        where: { status: 'completed', expiresAt: { lte: now } },
        select: { id: true, storageKey: true },
        orderBy: { expiresAt: 'asc' },
        take: BATCH,
      });
      for (const row of due) {
        if (row.storageKey) await this.storage.delete(row.storageKey);
        const { count } = await this.prisma.reportExport.updateMany({ where: { id: row.id, status: 'completed' }, data: { status: 'expired' } });
        expired += count;
      }
      if (due.length < BATCH) return expired;
    }
  }

  private async removeOldRawResults(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.RAW_RESULT_RETENTION_DAYS * DAY_MS);
    let removed = 0;
    for (;;) {
      const old = await this.prisma.$queryRaw<Array<{ id: string; rawResultKey: string }>>`
        SELECT e.id, e.raw_result_key AS "rawResultKey" FROM workflow_executions e
        WHERE e.raw_result_key IS NOT NULL AND coalesce(e.completed_at, e.created_at) < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM report_exports x WHERE x.execution_id = e.id AND x.scope = 'raw'
                          AND x.status IN ('pending', 'processing'))
        ORDER BY coalesce(e.completed_at, e.created_at) LIMIT ${BATCH}`;
      for (const execution of old) {
        await this.rawResults.delete(execution.rawResultKey);
        await this.prisma.workflowExecution.update({ where: { id: execution.id }, data: { rawResultKey: null } });
        removed++;
      }
      if (old.length < BATCH) return removed;
    }
  }

  private async removeTemporaries(): Promise<number> {
    const age = Math.max(MIN_TEMPORARY_AGE_MS, this.config.EXPORT_PROCESSING_TIMEOUT_MS);
    const counts = await Promise.all([
      this.storage.removeStaleTemporaries(age),
      this.rawResults.removeStaleTemporaries(age),
      removeStaleRenderTemporaries(renderScratchRoot(this.config), age),
    ]);
    return counts.reduce((sum, count) => sum + count, 0);
  }
}
