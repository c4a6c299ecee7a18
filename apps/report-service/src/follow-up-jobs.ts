import type { Queue } from 'bullmq';
import { EXPORT_RENDER_JOB, EXPORT_RENDER_JOB_OPTIONS, exportRenderJobId, type ExportRenderJob } from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';

const AUTO_EXPORT_FORMATS = new Set(['pdf', 'png', 'csv', 'excel']);

/**
 * A replayed older window changes the history every later execution's insights were computed
 * from (trends, anomalies, comparisons): those sets are regenerated too. The regeneration pass
 * finds which ones really changed; these are the ones recorded as waiting for it.
 */
export async function laterUsableExecutions(prisma: PrismaClient, workflowId: string, windowStart: Date): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM workflow_executions
    WHERE workflow_id = ${workflowId}::uuid AND time_window_start > ${windowStart} AND status = 'SUCCEEDED'
      AND superseded_by IS NULL AND result_profile IS NOT NULL AND (error_code IS NULL OR error_code = 'REPORT_UNUSABLE')
    ORDER BY time_window_start LIMIT 52`;
  return rows.map((row) => row.id);
}

/**
 * export_settings.autoExport lists formats exported after every successful execution, requested
 * for the workflow's owner. One export per (configuration, execution, format): a re-run finds the
 * rows it made and only re-adds their jobs (the job id makes that a no-op).
 */
export async function requestAutoExports(
  prisma: PrismaClient, queue: Queue, configurationId: string, exportSettings: unknown, executionId: string, ownerId: string,
): Promise<string[]> {
  const requested = (exportSettings as { autoExport?: unknown } | null)?.autoExport;
  const formats = Array.isArray(requested) ? [...new Set(requested.filter((f): f is string => typeof f === 'string' && AUTO_EXPORT_FORMATS.has(f)))] : [];
  const exportIds: string[] = [];
  for (const format of formats) {
    const existing = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM report_exports WHERE report_configuration_id = ${configurationId}::uuid AND execution_id = ${executionId}::uuid
        AND format = ${format} AND options->>'auto' = 'true' LIMIT 1`;
    const id = existing[0]?.id ?? (await prisma.reportExport.create({
      data: { reportConfigurationId: configurationId, userId: ownerId, format, scope: 'dashboard', executionId, options: { auto: true } },
      select: { id: true },
    })).id;
    const data: ExportRenderJob = { exportId: id };
    await queue.add(EXPORT_RENDER_JOB, data, { ...EXPORT_RENDER_JOB_OPTIONS, jobId: exportRenderJobId(id) });
    exportIds.push(id);
  }
  return exportIds;
}
