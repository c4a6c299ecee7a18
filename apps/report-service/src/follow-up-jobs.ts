import type { Queue } from 'bullmq';
import {
  DELIVERY_EXECUTION_JOB, DELIVERY_EXECUTION_JOB_OPTIONS, deliveryExecutionJobId, type DeliveryExecutionJob,
  EXPORT_RENDER_JOB, EXPORT_RENDER_JOB_OPTIONS, exportRenderJobId, type ExportRenderJob,
} from '@amc-reports/contracts';
import { ensureAutoExport, type PrismaClient } from '@amc-reports/db';

const AUTO_EXPORT_FORMATS = new Set(['pdf', 'png', 'csv', 'excel']);

/**
 * export_settings.autoExport lists formats exported after every successful execution. One export
 * per (configuration, execution, format): a re-run finds the rows it made and only re-adds their
 * jobs (the job id makes that a no-op).
 */
export async function requestAutoExports(
  prisma: PrismaClient, queue: Queue, configurationId: string, exportSettings: unknown, executionId: string,
): Promise<string[]> {
  const requested = (exportSettings as { autoExport?: unknown } | null)?.autoExport;
  const formats = Array.isArray(requested) ? [...new Set(requested.filter((f): f is string => typeof f === 'string' && AUTO_EXPORT_FORMATS.has(f)))] : [];
  const exportIds: string[] = [];
  for (const format of formats) {
    // Shared with deliveries and share links (one row per configuration, execution and format).
    const row = await ensureAutoExport(prisma, { configurationId, executionId, format });
    if (!row) return exportIds;
    const data: ExportRenderJob = { exportId: row.id };
    await queue.add(EXPORT_RENDER_JOB, data, { ...EXPORT_RENDER_JOB_OPTIONS, jobId: exportRenderJobId(row.id) });
    exportIds.push(row.id);
  }
  return exportIds;
}

/**
 * Last of an execution's follow-ups, for a report with an after_execution subscription
 * (ConfigurationToBuild.deliversAfterExecution): the delivery worker waits for the insights and
 * exports queued above, then sends the report to those subscriptions (reading them again then).
 */
export async function requestExecutionDelivery(queue: Queue, configurationId: string, executionId: string): Promise<void> {
  const data: DeliveryExecutionJob = { configurationId, executionId };
  await queue.add(DELIVERY_EXECUTION_JOB, data, { ...DELIVERY_EXECUTION_JOB_OPTIONS, jobId: deliveryExecutionJobId(configurationId, executionId) });
}
