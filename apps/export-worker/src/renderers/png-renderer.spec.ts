import { buildExportDocument } from '../../test/fixtures/export-document.fixture';
import { decodePng } from './png-decode';
import { PNG_MAX_WIDTH, PNG_MIN_WIDTH, renderPng } from './png-renderer';
import { countColoredPixels, expectExport, verifyExport } from './verify-export';

/** Pixels that are not the white background. */
function countInkedPixels(image: ReturnType<typeof decodePng>, area: { x: number; y: number; width: number; height: number }): number {
  let count = 0;
  for (let y = area.y; y < area.y + area.height; y += 1) {
    for (let x = area.x; x < area.x + area.width; x += 1) {
      const offset = (y * image.width + x) * 4;
      if (image.pixels[offset] < 245 || image.pixels[offset + 1] < 245 || image.pixels[offset + 2] < 245) count += 1;
    }
  }
  return count;
}

describe('renderPng', () => {
  const doc = buildExportDocument();

  it('draws the dashboard as a grid at the requested width, every chart with data in its area', async () => {
    const { buffer, summary } = await renderPng(doc, { width: 1400 });

    const image = decodePng(buffer);
    expect(image.width).toBe(1400);
    expect(image.height).toBe(summary.height);
    expect(image.height).toBeGreaterThan(1000);
    expect(summary.charts.map((chart) => chart.viewKey)).toEqual(['funnel.stages', 'performance.daily', 'attribution.sales_by_campaign']);
    for (const chart of summary.charts) {
      const area = chart.area!;
      expect(area.x + area.width).toBeLessThanOrEqual(image.width);
      expect(area.y + area.height).toBeLessThanOrEqual(image.height);
      expect(countColoredPixels(image, area)).toBeGreaterThan(area.width * area.height * 0.005);
      expect(countInkedPixels(image, area)).toBeGreaterThan(area.width * area.height * 0.01);
    }
    expect(await verifyExport(buffer, summary, expectExport(doc, 'png'))).toMatchObject({ ok: true, details: { width: 1400, charts: 3 } });
  });

  it('draws one chart view on its own', async () => {
    const { buffer, summary } = await renderPng(doc, { width: 800, viewKey: 'attribution.sales_by_campaign' });

    const image = decodePng(buffer);
    expect([image.width, image.height]).toEqual([800, summary.height]);
    expect(summary.chartCount).toBe(1);
    const area = summary.charts[0].area!;
    expect(area.width).toBeGreaterThan(700);
    // Bars are the blue of the palette's first colour.
    expect(countColoredPixels(image, area)).toBeGreaterThan(area.width * area.height * 0.1);
    expect(await verifyExport(buffer, summary, expectExport(doc, 'png', 'attribution.sales_by_campaign'))).toMatchObject({ ok: true });
  });

  it.each([PNG_MIN_WIDTH, PNG_MAX_WIDTH])('renders at the width bound %d', async (width) => {
    const { buffer } = await renderPng(doc, { width, viewKey: 'performance.daily' });
    expect(decodePng(buffer).width).toBe(width);
  });

  it('draws table and metric views without charts', async () => {
    const table = await renderPng(doc, { width: 1000, viewKey: 'performance.campaigns' });
    const image = decodePng(table.buffer);
    expect(table.summary.chartCount).toBe(0);
    expect(countInkedPixels(image, { x: 0, y: 150, width: image.width, height: image.height - 150 })).toBeGreaterThan(10_000);
  });

  it.each([PNG_MIN_WIDTH - 1, PNG_MAX_WIDTH + 1, 800.5, Number.NaN])('refuses width %d', async (width) => {
    await expect(renderPng(doc, { width })).rejects.toThrow(/PNG width must be a whole number of pixels from 320 to 4096/);
  });

  it('refuses a view the report does not have', async () => {
    await expect(renderPng(doc, { width: 800, viewKey: 'nope' })).rejects.toThrow(/has no view "nope"/);
  });
});
