import type { PrismaClient } from '@amc-reports/db';
import { ObjectNotFoundError, type ObjectStorage } from '@amc-reports/storage';
import type { ExportBranding, ExportLogo } from './renderers/export-document';

/** A stored logo is read whole (the gateway bounds its size); a larger object is not ours. */
const MAX_LOGO_BYTES = 2 * 1024 * 1024;

async function readLogo(storage: ObjectStorage, key: string, contentType: string): Promise<ExportLogo | undefined> {
  if (contentType !== 'image/png' && contentType !== 'image/svg+xml') return undefined;
  let stream;
  try {
    stream = await storage.read(key);
  } catch (error) {
    // A logo removed from storage makes an unbranded export, not a failed one.
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_LOGO_BYTES) {
      stream.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return { contentType, data: Buffer.concat(chunks) };
}

/**
 * The branding an export of the report wears: the organization's defaults, each field overridden
 * by the report's own when it has one. The logo comes from the export storage, where the gateway
 * put it after checking it: nothing is fetched from a URL while rendering.
 */
export async function loadExportBranding(prisma: PrismaClient, storage: ObjectStorage, reportId: string, organizationId: string): Promise<ExportBranding | undefined> {
  const rows = await prisma.exportBranding.findMany({
    where: { organizationId, OR: [{ reportConfigurationId: null }, { reportConfigurationId: reportId }] },
  });
  if (rows.length === 0) return undefined;
  const organization = rows.find((row) => row.reportConfigurationId === null);
  const report = rows.find((row) => row.reportConfigurationId === reportId);
  const pick = <K extends 'accentColor' | 'coverTitle' | 'footerText'>(field: K) => report?.[field] ?? organization?.[field] ?? undefined;
  const logoRow = report?.logoKey ? report : organization?.logoKey ? organization : undefined;
  const logo = logoRow?.logoKey && logoRow.logoContentType ? await readLogo(storage, logoRow.logoKey, logoRow.logoContentType) : undefined;
  const branding: ExportBranding = {
    ...(pick('accentColor') ? { accentColor: pick('accentColor')! } : {}),
    ...(pick('coverTitle') ? { coverTitle: pick('coverTitle')! } : {}),
    ...(pick('footerText') ? { footerText: pick('footerText')! } : {}),
    ...(logo ? { logo } : {}),
  };
  return Object.keys(branding).length > 0 ? branding : undefined;
}
