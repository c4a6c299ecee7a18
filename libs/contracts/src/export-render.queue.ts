import { z } from 'zod';
import { retryingJobOptions } from './job-options';

export const EXPORT_RENDER_QUEUE = 'export.render' as const;
export const EXPORT_RENDER_JOB = 'export.render' as const;

export const EXPORT_FORMATS = ['pdf', 'png', 'csv', 'excel'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_SCOPES = ['dashboard', 'view', 'raw'] as const;
export type ExportScope = (typeof EXPORT_SCOPES)[number];
export const EXPORT_STATUSES = ['pending', 'processing', 'completed', 'failed', 'expired'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export const ExportRenderJob = z.object({
  exportId: z.string().uuid(),
});
export type ExportRenderJob = z.infer<typeof ExportRenderJob>;

export const exportRenderJobId = (exportId: string): string => `exp-${exportId}`;
export const EXPORT_RENDER_JOB_OPTIONS = retryingJobOptions(3, 5_000);

export interface ExportFileKind {
  extension: string;
  contentType: string;
}

/**
 * The file an export makes, by format and scope: one view's (or a raw result's) CSV is a table,
 * the whole dashboard's is a ZIP of one CSV per view with a README (issue 14). The worker names
 * stored files, the gateway serves downloads and delivery attaches them by this one table.
 */
export function exportFileKind(format: ExportFormat, scope: ExportScope): ExportFileKind {
  switch (format) {
    case 'pdf':
      return { extension: 'pdf', contentType: 'application/pdf' };
    case 'png':
      return { extension: 'png', contentType: 'image/png' };
    case 'csv':
      return scope === 'dashboard' ? { extension: 'zip', contentType: 'application/zip' } : { extension: 'csv', contentType: 'text/csv; charset=utf-8' };
    case 'excel':
      return { extension: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }
}
