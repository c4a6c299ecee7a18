import { z } from 'zod';
import { NullableTimestamp } from './common.schema';

/**
 * Export branding (issue 14): an organization's defaults and a report's overrides. The logo is
 * uploaded as base64 JSON, checked here (type by its bytes, not only by what the client says,
 * size, and an SVG's contents) and stored by the gateway in the export storage: renderers never
 * fetch anything from a URL.
 */
export const LOGO_CONTENT_TYPES = ['image/png', 'image/svg+xml'] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];
/** A logo is at most this many bytes once decoded. */
export const LOGO_MAX_BYTES = 512 * 1024;
/** Width or height of a PNG logo, at most (a cover draws it at a few hundred pixels). */
export const LOGO_MAX_PIXELS = 4096;
/**
 * The body limit of a logo upload: twice the base64 of the largest logo, so a logo somewhat over
 * the limit gets a 400 naming `data` and its size; only a body far beyond it is a 413.
 */
export const LOGO_BODY_LIMIT_BYTES = Math.ceil((LOGO_MAX_BYTES * 4) / 3) * 2;

export const AccentColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb, e.g. #0a7d5a')
  .transform((value) => value.toLowerCase());

const Text = (max: number) => z.string().trim().min(1).max(max);

export const UpdateBranding = z.strictObject({
  /** null clears a field (a report then falls back to its organization's). */
  accentColor: AccentColor.nullable().optional(),
  coverTitle: Text(120).nullable().optional(),
  footerText: Text(200).nullable().optional(),
  /** true removes the logo. */
  removeLogo: z.boolean().optional(),
});
export type UpdateBranding = z.infer<typeof UpdateBranding>;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What is wrong with PNG bytes, or null: the signature, an IHDR chunk, and a size a cover can draw. */
export function pngLogoProblem(bytes: Buffer): string | null {
  if (bytes.length < 33 || PNG_SIGNATURE.some((byte, index) => bytes[index] !== byte)) return 'is not a PNG image (its first bytes are not the PNG signature)';
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return 'is not a readable PNG image (no IHDR chunk first)';
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width === 0 || height === 0 || width > LOGO_MAX_PIXELS || height > LOGO_MAX_PIXELS) {
    return `is ${width}×${height} pixels; a logo may be at most ${LOGO_MAX_PIXELS}×${LOGO_MAX_PIXELS}`;
  }
  return null;
}

/**
 * What is wrong with an SVG logo, or null. It must be UTF-8 text with an <svg> root, and hold
 * nothing that runs or reaches out: no script, event handler, foreignObject, entity declaration,
 * stylesheet import, and no link other than to its own fragments or an embedded PNG/JPEG.
 */
export function svgLogoProblem(bytes: Buffer): string | null {
  const text = bytes.toString('utf8');
  if (Buffer.from(text, 'utf8').length !== bytes.length || text.includes('\ufffd')) return 'is not UTF-8 text (an SVG is)';
  if (!/<svg[\s>]/i.test(text)) return 'is not an SVG image (no <svg> element)';
  const forbidden: Array<[RegExp, string]> = [
    [/<script[\s>]/i, 'a <script> element'],
    [/<foreignObject[\s>]/i, 'a <foreignObject> element'],
    [/<!(?:ENTITY|DOCTYPE)/i, 'a DOCTYPE or entity declaration'],
    [/\son[a-z]+\s*=/i, 'an event handler attribute'],
    [/javascript:/i, 'a javascript: link'],
    [/@import/i, 'a stylesheet import'],
    [/url\(\s*['"]?\s*(?!#)/i, 'a url() that is not a fragment of the image itself'],
    [/(?:xlink:)?href\s*=\s*["']\s*(?!#|data:image\/(?:png|jpeg);base64,)/i, 'a link to anything outside the image'],
  ];
  for (const [pattern, what] of forbidden) if (pattern.test(text)) return `holds ${what}; a logo must be a self-contained picture`;
  return null;
}

/** The bytes of a logo upload (`data` is base64), checked against its declared type and LOGO_MAX_BYTES. */
export const UploadLogo = z
  .strictObject({
    contentType: z.enum(LOGO_CONTENT_TYPES),
    data: z.base64('base64-encoded bytes of the image').min(1),
  })
  .transform((body, ctx) => {
    const bytes = Buffer.from(body.data, 'base64');
    if (bytes.length > LOGO_MAX_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: `the logo is ${bytes.length} bytes; at most ${LOGO_MAX_BYTES} (${LOGO_MAX_BYTES / 1024} KB)` });
      return z.NEVER;
    }
    const problem = body.contentType === 'image/png' ? pngLogoProblem(bytes) : svgLogoProblem(bytes);
    if (problem) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: `the logo ${problem}` });
      return z.NEVER;
    }
    return { contentType: body.contentType, bytes };
  });
export type UploadLogo = z.output<typeof UploadLogo>;

export const BrandingLogo = z.object({ contentType: z.enum(LOGO_CONTENT_TYPES), sizeBytes: z.int() });

export const Branding = z.object({
  accentColor: z.string().nullable(),
  coverTitle: z.string().nullable(),
  footerText: z.string().nullable(),
  logo: BrandingLogo.nullable(),
  updatedAt: NullableTimestamp,
});
export type Branding = z.infer<typeof Branding>;

/** A report's own overrides and what its exports wear once the organization's defaults fill the gaps. */
export const ReportBranding = z.object({ report: Branding, effective: Branding });
export type ReportBranding = z.infer<typeof ReportBranding>;
