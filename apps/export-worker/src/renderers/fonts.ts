import { readFileSync } from 'node:fs';

/**
 * One font family everywhere (PDF text, SVG charts, PNG rasterising) so a campaign name in
 * Japanese renders the same in every format and never falls back to a system font that may be
 * missing on a worker host. Noto Sans JP covers Latin, kana and the common CJK ideographs.
 */
export const REPORT_FONT_FAMILY = 'Noto Sans JP';

/** Names the fonts are registered under in pdfkit (svg-to-pdfkit asks for them through its fontCallback). */
export const PDF_FONT_REGULAR = 'NotoSansJP';
export const PDF_FONT_BOLD = 'NotoSansJP-Bold';

const FONT_PACKAGE = '@expo-google-fonts/noto-sans-jp';

export function regularFontPath(): string {
  return require.resolve(`${FONT_PACKAGE}/400Regular/NotoSansJP_400Regular.ttf`);
}

export function boldFontPath(): string {
  return require.resolve(`${FONT_PACKAGE}/700Bold/NotoSansJP_700Bold.ttf`);
}

export interface ReportFonts {
  regular: Buffer;
  bold: Buffer;
}

let cachedFonts: ReportFonts | undefined;

/** The TTF files are ~5 MB each: read them once per process, not once per export. */
export function loadReportFonts(): ReportFonts {
  cachedFonts ??= { regular: readFileSync(regularFontPath()), bold: readFileSync(boldFontPath()) };
  return cachedFonts;
}

/** resvg font options: only the bundled family, never the host's fonts, so a PNG is the same on every machine. */
export function resvgFontOptions(): { loadSystemFonts: false; fontFiles: string[]; defaultFontFamily: string } {
  return { loadSystemFonts: false, fontFiles: [regularFontPath(), boldFontPath()], defaultFontFamily: REPORT_FONT_FAMILY };
}

/** The slice of fontkit (pdfkit's font engine) used to measure and outline text for PNGs. */
export interface FontkitGlyph {
  id: number;
  path: { toSVG(): string };
}
export interface FontkitFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string): { glyphs: FontkitGlyph[]; positions: Array<{ xAdvance: number; xOffset: number; yOffset: number }>; advanceWidth: number };
}
// fontkit ships no types; it comes with pdfkit, which embeds fonts through it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fontkit = require('fontkit') as { create(buffer: Buffer): FontkitFont };

let cachedFaces: { regular: FontkitFont; bold: FontkitFont } | undefined;

export function fontkitFaces(): { regular: FontkitFont; bold: FontkitFont } {
  if (!cachedFaces) {
    const fonts = loadReportFonts();
    cachedFaces = { regular: fontkit.create(fonts.regular), bold: fontkit.create(fonts.bold) };
  }
  return cachedFaces;
}
