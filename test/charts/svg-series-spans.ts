/**
 * Test helper: reads an ECharts SVG back into what a reader sees of each line series — the
 * vertical pixels its line covers within its plot area. Lines are the paths drawn inside a plot
 * area's clip group; a series is told apart by its stroke colour (libs/charts gives each series of
 * a chart its own palette colour).
 */
export interface SeriesSpan {
  color: string;
  /** Vertical extent of the line, in px. */
  span: number;
  /** Height of the plot area (the series' axis), in px. */
  axisHeight: number;
  share: number;
}

const CLIP_RECT = /<clipPath id="([^"]+)">\s*<path d="M[\d.-]+ [\d.-]+l[\d.-]+ 0l0 ([\d.]+)/g;
const CLIPPED_GROUP = /<g clip-path="url\(#([^)]+)\)">([\s\S]*?)<\/g>/g;
const LINE = /<path d="(M[^"]+)"[^>]*stroke="(#[0-9A-Fa-f]{6})"/g;

function yCoordinates(d: string): number[] {
  const numbers = d.replace(/[MLCZ]/g, ' ').trim().split(/[\s,]+/).map(Number);
  return numbers.filter((_, index) => index % 2 === 1);
}

export function lineSeriesSpans(svg: string): SeriesSpan[] {
  const clipHeights = new Map([...svg.matchAll(CLIP_RECT)].map((match) => [match[1], Number(match[2])]));
  const spans: SeriesSpan[] = [];
  for (const group of svg.matchAll(CLIPPED_GROUP)) {
    const axisHeight = clipHeights.get(group[1]);
    if (!axisHeight) continue;
    for (const line of group[2].matchAll(LINE)) {
      const ys = yCoordinates(line[1]);
      if (ys.length < 2) continue;
      const span = Math.max(...ys) - Math.min(...ys);
      spans.push({ color: line[2].toUpperCase(), span, axisHeight, share: span / axisHeight });
    }
  }
  return spans;
}
