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
