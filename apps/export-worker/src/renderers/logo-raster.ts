import { renderAsync } from '@resvg/resvg-js';
import type { ExportLogo } from './export-document';
import { resvgFontOptions } from './fonts';

/** The box a logo is fitted into on the Excel cover, in pixels. */
const BOX = { width: 240, height: 80 };

export interface RasterLogo {
  png: Buffer;
  width: number;
  height: number;
}

function fit(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(BOX.width / width, BOX.height / height, 1);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * A logo as a PNG with its display size: spreadsheets take raster images only, so an SVG logo
 * is drawn by resvg (bundled fonts, nothing loaded from anywhere) at twice the box for sharpness.
 */
export async function rasteriseLogo(logo: ExportLogo): Promise<RasterLogo> {
  if (logo.contentType === 'image/png') {
    // IHDR: width and height are the first two 32-bit fields after the 8-byte signature and chunk header.
    return { png: logo.data, ...fit(logo.data.readUInt32BE(16), logo.data.readUInt32BE(20)) };
  }
  const image = await renderAsync(logo.data, { fitTo: { mode: 'width', value: BOX.width * 2 }, font: resvgFontOptions() });
  return { png: image.asPng(), ...fit(image.width, image.height) };
}
