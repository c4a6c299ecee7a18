import type { Queue } from 'bullmq';
import {
  EXPORT_RENDER_JOB, EXPORT_RENDER_JOB_OPTIONS, exportRenderJobId, INSIGHT_GENERATE_JOB, INSIGHT_GENERATE_JOB_OPTIONS,
  insightGenerateJobId, type ExportRenderJob, type InsightGenerateJob,
} from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';

const AUTO_EXPORT_FORMATS = new Set(['pdf', 'png', 'csv', 'excel']);

export async function enqueueInsights(queue: Queue, configurationId: string, executionId: string, afterReplayOf?: string): Promise<void> {
  const data: InsightGenerateJob = { configurationId, executionId };
  await queue.add(INSIGHT_GENERATE_JOB, data, { ...INSIGHT_GENERATE_JOB_OPTIONS, jobId: insightGenerateJobId(configurationId, executionId, afterReplayOf) });
}

/**
 * A replayed older window changes the history every later execution's insights were computed
 * from (trends, anomalies, comparisons): those sets are regenerated too, newest last.
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
 * Auto exports are requested in the name of the workflow's creator, or — once that user is gone —
 * of an owner of its organization (exports are private to their requester).
 */
async function autoExportRequester(prisma: PrismaClient, workflow: { createdBy: string | null; organizationId: string }): Promise<string | null> {
  if (workflow.createdBy) return workflow.createdBy;
  const owner = await prisma.organizationMember.findFirst({
    where: { organizationId: workflow.organizationId, role: 'owner' }, orderBy: { createdAt: 'asc' }, select: { userId: true },
  });
  return owner?.userId ?? null;
}

/**
 * export_settings.autoExport lists formats exported after every successful execution. One export
 * per (configuration, execution, format): a re-run finds the rows it made and only re-adds their
 * jobs (the job id makes that a no-op).
 */
export async function requestAutoExports(
  prisma: PrismaClient, queue: Queue, configurationId: string, exportSettings: unknown, executionId: string,
  workflow: { createdBy: string | null; organizationId: string },
): Promise<string[]> {
  const requested = (exportSettings as { autoExport?: unknown } | null)?.autoExport;
  const formats = Array.isArray(requested) ? [...new Set(requested.filter((f): f is string => typeof f === 'string' && AUTO_EXPORT_FORMATS.has(f)))] : [];
  const exportIds: string[] = [];
  const ownerId = formats.length > 0 ? await autoExportRequester(prisma, workflow) : null;
  if (!ownerId) return exportIds;
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
