import { createHash, randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import {
  EXPORT_RENDER_JOB, EXPORT_RENDER_JOB_OPTIONS, exportFileKind, exportRenderJobId, type DeliveryChannel, type DeliveryFileFormat,
  type DeliveryFormat, type ExportRenderJob,
} from '@amc-reports/contracts';
import { ensureAutoExport, type PrismaClient } from '@amc-reports/db';
import type { ObjectStorage } from '@amc-reports/storage';
import type { OutgoingAttachment } from './channels/delivery-channel';
import type { MessageFile } from './compose-message';

/** A completed export a delivery can send: the shared auto export of (report, execution, format). */
export interface ReadyExport {
  format: DeliveryFileFormat;
  exportId: string;
  storageKey: string;
  sizeBytes: number;
  expiresAt: Date | null;
}

export type FileReadiness =
  | { state: 'ready'; exports: ReadyExport[] }
  | { state: 'waiting'; formats: string[] }
  | { state: 'failed'; reason: string };

/** Delivered files are dashboard exports: a dashboard CSV is a ZIP of one CSV per view (exportFileKind, one table for all). */
const fileKind = (format: DeliveryFileFormat) => exportFileKind(format, 'dashboard');
const CONTENT_TYPES: Record<DeliveryFileFormat, string> = {
  pdf: 'application/pdf', png: 'image/png', csv: 'text/csv; charset=utf-8',
  excel: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const fileFormats = (formats: readonly DeliveryFormat[]): DeliveryFileFormat[] =>
  formats.filter((format): format is DeliveryFileFormat => format !== 'link');

/**
 * Makes sure the exports a delivery attaches exist (requesting the ones missing, rendered by this
 * same worker's export.render processor) and says whether they are all done. A failed export
 * fails the delivery: a report that promised a PDF is not sent without one, and not with a blank.
 */
export async function ensureDeliveryExports(
  prisma: PrismaClient, exportQueue: Queue, configurationId: string, executionId: string, formats: readonly DeliveryFileFormat[],
): Promise<FileReadiness> {
  const ready: ReadyExport[] = [];
  const waiting: string[] = [];
  for (const format of formats) {
    const row = await ensureAutoExport(prisma, { configurationId, executionId, format });
    if (!row) return { state: 'failed', reason: 'the report has no member who could own its exports' };
    if (row.status === 'pending' || row.status === 'processing') {
      // A no-op when the job is queued or running already (same job id).
      const data: ExportRenderJob = { exportId: row.id };
      await exportQueue.add(EXPORT_RENDER_JOB, data, { ...EXPORT_RENDER_JOB_OPTIONS, jobId: exportRenderJobId(row.id) });
      waiting.push(format);
      continue;
    }
    const stored = await prisma.reportExport.findUniqueOrThrow({
      where: { id: row.id }, select: { status: true, error: true, storageKey: true, fileSizeBytes: true, expiresAt: true },
    });
    if (stored.status === 'failed') return { state: 'failed', reason: `the ${format} export failed: ${stored.error ?? 'no reason recorded'}` };
    if (stored.status !== 'completed' || !stored.storageKey) return { state: 'failed', reason: `the ${format} export is ${stored.status}` };
    ready.push({ format, exportId: row.id, storageKey: stored.storageKey, sizeBytes: Number(stored.fileSizeBytes ?? 0), expiresAt: stored.expiresAt });
  }
  return waiting.length > 0 ? { state: 'waiting', formats: waiting } : { state: 'ready', exports: ready };
}

/** `weekly-funnel-2026-11-01.pdf`: the report's name as a safe file name, and the window's last day. */
export function deliveryFileName(reportName: string, windowEnd: Date | null, format: DeliveryFileFormat): string {
  const slug = reportName.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/[\s_]+/g, '-').toLowerCase().slice(0, 80) || 'report';
  return `${slug}${windowEnd ? `-${windowEnd.toISOString().slice(0, 10)}` : ''}.${fileKind(format).extension}`;
}

export interface FilePlan {
  files: MessageFile[];
  attachments: OutgoingAttachment[];
}

export interface FilePlanSettings {
  attachmentMaxBytes: number;
  linkTtlDays: number;
  publicUrl: string;
}

/**
 * E-mail attaches files while they fit under the limit together, smallest first; the rest become
 * expiring download links (never a truncated CSV, as peers do). Slack and webhooks always link.
 */
export async function planFiles(
  prisma: PrismaClient, storage: ObjectStorage, settings: FilePlanSettings,
  input: { deliveryId: string; channel: DeliveryChannel; reportName: string; windowEnd: Date | null; exports: ReadyExport[] },
): Promise<FilePlan> {
  const files: MessageFile[] = [];
  const attachments: OutgoingAttachment[] = [];
  let attachedBytes = 0;
  for (const ready of [...input.exports].sort((a, b) => a.sizeBytes - b.sizeBytes)) {
    const fileName = deliveryFileName(input.reportName, input.windowEnd, ready.format);
    const fits = input.channel === 'email' && attachedBytes + ready.sizeBytes <= settings.attachmentMaxBytes;
    if (fits) {
      attachedBytes += ready.sizeBytes;
      attachments.push({ fileName, contentType: fileKind(ready.format).contentType, sizeBytes: ready.sizeBytes, open: () => storage.read(ready.storageKey) });
      files.push({ format: ready.format, fileName, sizeBytes: ready.sizeBytes, as: 'attachment' });
      continue;
    }
    const link = await createDownloadLink(prisma, settings, input.deliveryId, ready);
    files.push({
      format: ready.format, fileName, sizeBytes: ready.sizeBytes, as: 'link', url: link.url, expiresAt: link.expiresAt,
      reason: input.channel === 'email' ? `attached it would take the e-mail past its ${formatLimit(settings.attachmentMaxBytes)} attachment limit, so it is a download link` : undefined,
    });
  }
  // The order people chose (pdf before csv…), not the packing order.
  const order = input.exports.map((ready) => ready.format);
  files.sort((a, b) => order.indexOf(a.format as DeliveryFileFormat) - order.indexOf(b.format as DeliveryFileFormat));
  return { files, attachments };
}

const formatLimit = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`);

/**
 * An unguessable link to one stored export, kept as its SHA-256 only; it works until the export
 * itself expires or DELIVERY_LINK_TTL_DAYS, whichever is first. A retry replaces the links of
 * its delivery (their tokens cannot be recovered to reuse them).
 */
async function createDownloadLink(prisma: PrismaClient, settings: FilePlanSettings, deliveryId: string, ready: ReadyExport): Promise<{ url: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const ttlEnd = new Date(Date.now() + settings.linkTtlDays * 86_400_000);
  const expiresAt = ready.expiresAt && ready.expiresAt < ttlEnd ? ready.expiresAt : ttlEnd;
  await prisma.$transaction([
    prisma.downloadLink.deleteMany({ where: { deliveryId, exportId: ready.exportId } }),
    prisma.downloadLink.create({ data: { exportId: ready.exportId, deliveryId, tokenSha256: createHash('sha256').update(token).digest('hex'), expiresAt } }),
  ]);
  return { url: `${settings.publicUrl}/v1/download-links/${token}`, expiresAt };
}
