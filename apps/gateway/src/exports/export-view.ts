export interface ExportRow {
  id: string;
  reportConfigurationId: string;
  format: string;
  scope: string;
  viewId: string | null;
  executionId: string | null;
  options: unknown;
  status: string;
  progress: number;
  fileSizeBytes: bigint | null;
  sha256: string | null;
  error: string | null;
  attempts: number;
  requestedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  expiresAt: Date | null;
  downloadCount: number;
}

/** Completed but past expires_at reads as expired before exports.cleanup gets to it: downloads already answer 410. */
export function effectiveStatus(row: Pick<ExportRow, 'status' | 'expiresAt'>, now: Date): string {
  return row.status === 'completed' && row.expiresAt !== null && row.expiresAt <= now ? 'expired' : row.status;
}

/** The API's view of an export row (sizes as numbers; a download link once there is a file). */
export function toExportView(row: ExportRow, now = new Date()) {
  const status = effectiveStatus(row, now);
  return {
    id: row.id,
    reportId: row.reportConfigurationId,
    format: row.format,
    scope: row.scope,
    viewId: row.viewId,
    executionId: row.executionId,
    options: row.options,
    status,
    progress: row.progress,
    fileSizeBytes: row.fileSizeBytes === null ? null : Number(row.fileSizeBytes),
    sha256: row.sha256,
    error: row.error,
    attempts: row.attempts,
    requestedAt: row.requestedAt,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    expiresAt: row.expiresAt,
    downloadCount: row.downloadCount,
    downloadUrl: status === 'completed' ? `/v1/exports/${row.id}/download` : null,
  };
}

/** A 429 / 503 that tells the client when to come back. It lives in common/ (the webhook answers it too). */
export { RetryLaterException, RetryLaterFilter } from '../common/retry-later';
