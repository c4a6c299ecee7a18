import { renderAsync } from '@resvg/resvg-js';
import { api } from '@amc-reports/contracts';
import { composeDashboardSvg } from './dashboard-svg';
import { type DrawnChart, type ExportDocument, ExportInputError, type RenderSummary, selectViews } from './export-document';
import { resvgFontOptions } from './fonts';
import { REPORT_COLORS } from './report-style';
import { printableDocument } from './printable-text';
import { outlineSvgText } from './svg-text-outline';

/** Requested widths outside these bounds are refused (the API refuses them first): too small to read, or too many pixels to hold. */
export const { PNG_MIN_WIDTH, PNG_MAX_WIDTH } = api;
/** A very long dashboard at a large width would need hundreds of MB of RGBA; refuse past this height. */
export const PNG_MAX_HEIGHT = 16_384;

export interface PngRenderOptions {
  /** One view; the whole dashboard as a grid when absent. */
  viewKey?: string;
  /** Output width in pixels, PNG_MIN_WIDTH..PNG_MAX_WIDTH. */
  width: number;
}

export interface PngRender {
  buffer: Buffer;
  summary: RenderSummary;
}

/**
 * A PNG of one view or of the dashboard grid: the page is composed as SVG at a layout width near
 * the request (so text stays readable), then rasterised by resvg at exactly the requested width
 * with only the bundled font. resvg renders on its own thread, off the event loop.
 */
export async function renderPng(source: ExportDocument, options: PngRenderOptions): Promise<PngRender> {
  // Names may hold tabs, bidi controls or characters the font lacks: drawn as printableText.
  const doc = printableDocument(source);
  const width = options.width;
  if (!Number.isInteger(width) || width < PNG_MIN_WIDTH || width > PNG_MAX_WIDTH) {
    throw new ExportInputError(`PNG width must be a whole number of pixels from ${PNG_MIN_WIDTH} to ${PNG_MAX_WIDTH}, got ${width}`);
  }
  const single = options.viewKey !== undefined;
  const views = selectViews(doc, options.viewKey);
  const layoutWidth = single ? clamp(width, 640, 1200) : clamp(width, 960, 1600);
  const page = composeDashboardSvg(doc, views, { width: layoutWidth, single });
  const scale = width / layoutWidth;
  if (page.height * scale > PNG_MAX_HEIGHT) {
    throw new ExportInputError(`the PNG would be ${Math.ceil(page.height * scale)} px tall (limit ${PNG_MAX_HEIGHT}); ask for a smaller width or a single view`);
  }
  const outline = { missingGlyphs: 0 };
  const image = await renderAsync(outlineSvgText(page.svg, outline), {
    fitTo: { mode: 'width', value: width },
    font: resvgFontOptions(),
    background: REPORT_COLORS.background,
    shapeRendering: 2,
    textRendering: 1,
  });
  const charts: DrawnChart[] = page.charts.map((chart) => ({ ...chart, area: chart.area && scaleArea(chart.area, scale) }));
  return {
    buffer: image.asPng(),
    summary: {
      format: 'png', chartCount: charts.length, rowCount: 0, width: image.width, height: image.height, charts, missingGlyphs: outline.missingGlyphs,
      numbersDrawn: page.numbers,
    },
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Whole pixels inside the scaled rectangle (rounded inwards, so anti-aliased edges stay out). */
function scaleArea(area: { x: number; y: number; width: number; height: number }, scale: number) {
  const x = Math.ceil(area.x * scale);
  const y = Math.ceil(area.y * scale);
  return { x, y, width: Math.floor((area.x + area.width) * scale) - x, height: Math.floor((area.y + area.height) * scale) - y };
}
