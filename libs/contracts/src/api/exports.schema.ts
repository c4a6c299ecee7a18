import { z } from 'zod';
import { EXPORT_FORMATS, EXPORT_SCOPES, EXPORT_STATUSES } from '../export-render.queue';
import { NullableTimestamp, pageOf, Pagination, Timestamp, Uuid } from './common.schema';

/** The PNG renderer's bounds: refused here so a bad width is a 400, not a failed export. */
export const PNG_MIN_WIDTH = 320;
export const PNG_MAX_WIDTH = 4096;

export const CreateExport = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS),
    scope: z.enum(EXPORT_SCOPES).default('dashboard'),
    viewId: Uuid.optional(),
    /** The execution to render; default the one the dashboard shows (raw results too). */
    executionId: Uuid.optional().describe('the execution to render; default: the one the dashboard shows (also for raw)'),
    options: z
      .strictObject({
        width: z.int().min(PNG_MIN_WIDTH).max(PNG_MAX_WIDTH).optional(),
        bom: z.boolean().optional(),
      })
      .default({}),
  })
  .superRefine((body, ctx) => {
    const issue = (path: Array<string>, message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (body.scope === 'raw' && body.format !== 'csv' && body.format !== 'excel') {
      issue(['scope'], `a raw result exports as csv or excel, not ${body.format}; ${body.format} draws the dashboard or one view`);
    }
    if (body.scope === 'view' && !body.viewId) issue(['viewId'], 'required when scope is "view"');
    if (body.scope !== 'view' && body.viewId) issue(['viewId'], 'only with scope "view"');
    if (body.options.width !== undefined && body.format !== 'png') issue(['options', 'width'], 'only for png exports');
    if (body.options.bom !== undefined && body.format !== 'csv') issue(['options', 'bom'], 'only for csv exports');
  });
export type CreateExport = z.infer<typeof CreateExport>;

export const ListExports = Pagination.extend({
  status: z.enum(EXPORT_STATUSES).optional(),
  format: z.enum(EXPORT_FORMATS).optional(),
  reportId: Uuid.optional(),
});
export type ListExports = z.infer<typeof ListExports>;

export const ExportView = z.object({
  id: Uuid,
  reportId: Uuid,
  format: z.enum(EXPORT_FORMATS),
  scope: z.enum(EXPORT_SCOPES),
  viewId: Uuid.nullable(),
  executionId: Uuid.nullable(),
  options: z.record(z.string(), z.unknown()),
  status: z.enum(EXPORT_STATUSES),
  progress: z.int().min(0).max(100),
  fileSizeBytes: z.int().nullable(),
  sha256: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.int(),
  requestedAt: Timestamp,
  startedAt: NullableTimestamp,
  completedAt: NullableTimestamp,
  expiresAt: NullableTimestamp,
  downloadCount: z.int(),
  downloadUrl: z.string().nullable(),
});
export const ExportPage = pageOf(ExportView);
