import { exportFileKind, type ExportFormat, type ExportScope } from '@amc-reports/contracts';

/** The download's content type: a dashboard CSV is a ZIP of one CSV per view. */
export function contentTypeOf(format: ExportFormat, scope: string): string {
  return exportFileKind(format, scope as ExportScope).contentType;
}

/** Characters Windows, macOS or a shell treat specially in a file name. */
const RESERVED = /[\\/:*?"<>|]/g;
/** Control and format characters (a right-to-left override could disguise "fdp.exe" as "exe.pdf"). */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const MAX_NAME_CHARACTERS = 120;

/**
 * A download's file name from the report name (user text): control and format characters,
 * path separators and reserved characters go, whitespace collapses, leading / trailing dots and
 * spaces are trimmed, and the length is bounded (by characters, never splitting one).
 */
export function sanitiseFileName(name: string): string {
  const cleaned = name.normalize('NFC').replace(INVISIBLE, ' ').replace(RESERVED, '_').replace(/\s+/g, ' ').replace(/^[\s.]+|[\s.]+$/g, '');
  const bounded = Array.from(cleaned).slice(0, MAX_NAME_CHARACTERS).join('').replace(/[\s.]+$/, '');
  return bounded || 'export';
}

export interface DownloadNaming {
  reportName: string;
  format: ExportFormat;
  scope: string;
  completedAt: Date | null;
}

/** "Holiday funnel 2026-09-14.pdf", "Holiday funnel raw 2026-09-14.csv", "Holiday funnel 2026-09-14.zip" (dashboard CSV). */
export function exportFileName(naming: DownloadNaming): string {
  const parts = [sanitiseFileName(naming.reportName)];
  if (naming.scope === 'raw') parts.push('raw');
  if (naming.completedAt) parts.push(naming.completedAt.toISOString().slice(0, 10));
  return `${parts.join(' ')}.${exportFileKind(naming.format, naming.scope as ExportScope).extension}`;
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 with
 * RFC 5987): browsers use the UTF-8 name, old clients the ASCII one with accents folded.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(fileName)}`;
}

function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}
