import type { ChartRow, ChartSpec } from '@amc-reports/charts/src/chart-spec';
import * as echarts from 'echarts';
import { countChartDataElements, countPlottableValues, renderChartSvg, separateLabelHalos } from './chart-svg';

const rows: ChartRow[] = [
  { day: 'Mon', clicks: 120, spend: 40.5 },
  { day: 'Tue', clicks: 180, spend: 52 },
  { day: 'Wed', clicks: 90, spend: 31.25 },
];
const spec = (kind: ChartSpec['kind']): ChartSpec => ({
  kind,
  title: `Clicks (${kind})`,
  x: { field: 'day', type: 'category' },
  series: [
    { field: 'clicks', label: 'Clicks', format: 'integer' },
    { field: 'spend', label: 'Spend', format: 'currency' },
  ],
});

describe('renderChartSvg', () => {
  it.each(['line', 'bar', 'stacked-bar', 'area', 'scatter', 'pie', 'funnel'] as const)('draws a %s chart as SVG with data shapes in the bundled font', (kind) => {
    const svg = renderChartSvg(spec(kind), rows, { width: 600, height: 320 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('width="600" height="320"');
    expect(svg).toContain('font-family:Noto Sans JP');
    expect(svg).not.toContain('sans-serif');
    expect(countChartDataElements(svg)).toBeGreaterThanOrEqual(3);
  });

  it('hides the chart title when the page draws its own heading', () => {
    expect(renderChartSvg(spec('bar'), rows, { width: 600, height: 320 })).toContain('Clicks (bar)');
    expect(renderChartSvg(spec('bar'), rows, { width: 600, height: 320, showTitle: false })).not.toContain('Clicks (bar)');
  });

  it('draws a "no data" note and no shapes for a view without rows', () => {
    const svg = renderChartSvg(spec('line'), [], { width: 600, height: 320 });
    expect(svg).toContain('No data for this period');
    expect(countChartDataElements(svg)).toBe(0);
  });

  it('counts no shapes when the rows hold none of the series fields', () => {
    const svg = renderChartSvg(spec('bar'), [{ day: 'Mon' }, { day: 'Tue' }], { width: 600, height: 320 });
    expect(countChartDataElements(svg)).toBe(0);
    expect(countPlottableValues(spec('bar'), [{ day: 'Mon' }])).toBe(0);
  });

  it('splits label halos into a stroke copy under a stroke-free label (no renderer honours paint-order)', () => {
    // What ECharts writes for a label inside a coloured shape (a pie or bar label with a halo).
    const label = '<text x="10" y="20" fill="#eee" stroke="#0072B2" stroke-width="2" paint-order="stroke">Mon: 120</text>';
    const svg = separateLabelHalos(`<svg>${label}</svg>`);
    expect(svg).not.toContain('paint-order');
    const halo = /<text[^>]* fill="(#[0-9A-Fa-f]+)" stroke="\1" stroke-width="2"[^>]*>Mon: 120<\/text><text(?![^>]*stroke)[^>]* fill="#eee">Mon: 120<\/text>/;
    expect(svg).toMatch(halo);
  });

  it('draws funnel labels beside the stages, readable on the narrow ones', () => {
    const funnel: ChartSpec = { kind: 'funnel', title: 'Funnel', x: { field: 'day', type: 'category' }, series: [{ field: 'clicks', label: 'Clicks' }] };
    const svg = renderChartSvg(funnel, rows, { width: 600, height: 320 });
    expect(svg).not.toContain('paint-order');
    expect(svg).toMatch(/<text[^>]*text-anchor="start"[^>]*fill="#1f2430">Wed: 90<\/text>/);
  });

  describe('disposal', () => {
    const prototype = Object.getPrototypeOf(echarts.init(null, null, { renderer: 'svg', ssr: true, width: 10, height: 10 })) as echarts.ECharts;
    afterEach(() => jest.restoreAllMocks());

    it('disposes the ECharts instance after every render', () => {
      const dispose = jest.spyOn(prototype, 'dispose');
      renderChartSvg(spec('bar'), rows, { width: 300, height: 200 });
      renderChartSvg(spec('pie'), rows, { width: 300, height: 200 });
      expect(dispose).toHaveBeenCalledTimes(2);
    });

    it('disposes the instance even when rendering throws', () => {
      const dispose = jest.spyOn(prototype, 'dispose');
      jest.spyOn(prototype, 'renderToSVGString').mockImplementation(() => {
        throw new Error('boom');
      });
      expect(() => renderChartSvg(spec('bar'), rows, { width: 300, height: 200 })).toThrow('boom');
      expect(dispose).toHaveBeenCalledTimes(1);
    });
  });
});
