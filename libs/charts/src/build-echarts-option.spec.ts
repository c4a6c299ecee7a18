import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import type { ChartKind, ChartRow, ChartSpec } from './chart-spec';
import { buildEChartsOption } from './build-echarts-option';
import { wrapLabel } from './category-axis';
import { OKABE_ITO_PALETTE, paletteColor } from './palette';

const rows: ChartRow[] = [
  { date: '2026-10-01', impressions: 1000, clicks: 100, ctr: 0.01, flag: true },
  { date: '2026-10-02', impressions: 2000, clicks: null, ctr: null, flag: false },
  { date: '2026-10-03', impressions: 1500, clicks: 300, ctr: 0.02, flag: false },
];

function specFor(kind: ChartKind, overrides: Partial<ChartSpec> = {}): ChartSpec {
  return {
    kind,
    title: `A ${kind} chart`,
    x: { field: 'date', type: kind === 'scatter' ? 'value' : 'category', label: 'Date' },
    series: [
      { field: 'impressions', label: 'Impressions', format: 'integer' },
      { field: 'clicks', label: 'Clicks', format: 'integer' },
    ],
    ...overrides,
  };
}

type AnySeries = Record<string, unknown> & { type: string; encode: Record<string, string> };
const seriesOf = (option: EChartsOption): AnySeries[] => (option.series ?? []) as AnySeries[];

describe('buildEChartsOption', () => {
  const cartesianCases: Array<[ChartKind, string, Record<string, unknown>]> = [
    ['line', 'line', { connectNulls: false }],
    ['area', 'line', { areaStyle: { opacity: 0.25 } }],
    ['bar', 'bar', {}],
    ['stacked-bar', 'bar', { stack: 'total' }],
    ['scatter', 'scatter', { symbolSize: 8 }],
  ];

  it.each(cartesianCases)('draws %s as ECharts %s series encoding x and y from the dataset', (kind, type, extra) => {
    const option = buildEChartsOption(specFor(kind), rows);
    const series = seriesOf(option);
    expect(series).toHaveLength(2);
    for (const [index, field] of ['impressions', 'clicks'].entries()) {
      expect(series[index]).toMatchObject({ type, encode: { x: 'date', y: field }, xAxisIndex: 0, yAxisIndex: 0, ...extra });
    }
    expect(option.dataset).toEqual({
      dimensions: ['date', 'impressions', 'clicks'],
      source: [
        ['2026-10-01', 1000, 100],
        ['2026-10-02', 2000, null],
        ['2026-10-03', 1500, 300],
      ],
      sourceHeader: false,
    });
    expect(option.legend).toBeDefined();
  });

  it('uses a time x axis when the spec says so', () => {
    const option = buildEChartsOption(specFor('line', { x: { field: 'date', type: 'time' } }), rows);
    const [xAxis] = option.xAxis as Array<{ type: string; axisLabel: { formatter: (value: number) => string } }>;
    expect(xAxis.type).toBe('time');
    // Daily axes name the month.
    expect(xAxis.axisLabel.formatter(new Date(2026, 9, 1).getTime())).toBe('Oct 1');
  });

  it('puts a second unit on a second y axis, as a line over bars', () => {
    const spec = specFor('bar', {
      series: [
        { field: 'impressions', label: 'Impressions', format: 'integer' },
        { field: 'ctr', label: 'CTR', format: 'percent', secondaryAxis: true },
      ],
    });
    const option = buildEChartsOption(spec, rows);
    const yAxis = option.yAxis as Array<{ axisLabel: { formatter: (value: number) => string } }>;
    expect(yAxis).toHaveLength(2);
    expect(yAxis[0].axisLabel.formatter(12345)).toBe('12,345');
    expect(yAxis[1].axisLabel.formatter(0.125)).toBe('12.5%'); // ticks drop trailing zeros
    // A narrow range keeps its ticks apart instead of printing "1.15%" for each of them.
    expect([0.0115, 0.01152, 0.01154].map((tick) => yAxis[1].axisLabel.formatter(tick))).toEqual(['1.15%', '1.152%', '1.154%']);
    expect(yAxis[1].axisLabel.formatter(-0.0025)).toBe('-0.25%');
    expect(seriesOf(option)[1]).toMatchObject({ type: 'line', yAxisIndex: 1 });
  });

  it.each<[ChartKind, string]>([
    ['pie', 'pie'],
    ['funnel', 'funnel'],
  ])('draws %s from the first series with item names from x', (kind, type) => {
    const option = buildEChartsOption(specFor(kind), rows);
    const series = seriesOf(option);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ type, encode: { itemName: 'date', value: 'impressions' } });
    const label = series[0].label as { formatter: (params: { name: string; value: unknown[] }) => string };
    expect(label.formatter({ name: '2026-10-02', value: ['2026-10-02', 2000, null] })).toBe('2026-10-02: 2,000');
    expect(option.tooltip).toEqual({ trigger: 'item' });
  });

  it('keeps funnel stages in their declared order', () => {
    expect(seriesOf(buildEChartsOption(specFor('funnel'), rows))[0]).toMatchObject({ sort: 'none' });
  });

  it.each<ChartKind>(['table', 'metric'])('gives %s views a dataset only, no series', (kind) => {
    const option = buildEChartsOption(specFor(kind, { series: [{ field: 'flag', label: 'Flag' }] }), rows);
    expect(Object.keys(option).sort()).toEqual(['animation', 'dataset', 'title']);
    expect(option.dataset).toEqual({
      dimensions: ['date', 'flag'],
      source: [
        ['2026-10-01', 'true'],
        ['2026-10-02', 'false'],
        ['2026-10-03', 'false'],
      ],
      sourceHeader: false,
    });
  });

  it.each<[boolean | undefined, boolean]>([
    [undefined, false],
    [false, false],
    [true, true],
  ])('animation option %p gives animation %p', (requested, expected) => {
    const option = buildEChartsOption(specFor('line'), rows, requested === undefined ? undefined : { animation: requested });
    expect(option.animation).toBe(expected);
  });

  it('names the month on day categories and labels every category, truncated, never broken mid-word', () => {
    const [xAxis] = buildEChartsOption(specFor('line'), rows).xAxis as Array<{ axisLabel: Record<string, unknown> }>;
    const formatter = xAxis.axisLabel.formatter as (value: string, index: number) => string;
    expect([0, 1, 2].map((index) => formatter(rows[index].date as string, index))).toEqual(['Oct 1, 2026', 'Oct 2', 'Oct 3']);
    expect(xAxis.axisLabel).toMatchObject({ interval: 0, overflow: 'truncate' });
  });

  it.each<[string, number, string]>([
    ['Clicks → Detail page views', 14, 'Clicks →\nDetail page\nviews'.split('\n').slice(0, 2).join('\n') + '…'],
    ['Clicks → Add to cart', 12, 'Clicks →\nAdd to cart'],
    ['Holiday_Sponsored_Products', 12, 'Holiday_Spo…'],
    ['Impressions → Clicks', 30, 'Impressions → Clicks'],
  ])('wraps %p between words, never inside one (%i characters a line)', (label, chars, expected) => {
    expect(wrapLabel(label, chars, 2)).toBe(expected);
  });

  it('lays bars with long names down, one labelled line per name', () => {
    const named: ChartRow[] = ['Holiday_Sponsored_Products → Brand_Defense_SB', 'Prospecting_DSP_Display', 'Brand_Defense_SB'].map((path, index) => ({
      path,
      rate: 0.01 * (index + 1),
    }));
    const spec: ChartSpec = { kind: 'bar', title: 'Paths', x: { field: 'path', type: 'category' }, series: [{ field: 'rate', label: 'Rate', format: 'percent' }] };
    const option = buildEChartsOption(spec, named);
    const [yAxis] = option.yAxis as Array<Record<string, unknown>>;
    expect(yAxis).toMatchObject({ type: 'category', inverse: true, axisLabel: { interval: 0, overflow: 'truncate', ellipsis: '…' } });
    expect(seriesOf(option)[0]).toMatchObject({ type: 'bar', encode: { y: 'path', x: 'rate' } });
  });

  it('splits series more than 10× apart in scale into small multiples when there are more than two scales', () => {
    const funnel: ChartRow[] = [1, 2, 3].map((week) => ({
      week: `2026-09-0${week}`,
      impressions: 6_000_000 + week * 100_000,
      clicks: 60_000 + week * 3_000,
      purchases: 4_000 + week * 400,
      rate: 0.0007 + week * 0.0001,
    }));
    const spec: ChartSpec = {
      kind: 'line',
      title: 'Funnel over time',
      x: { field: 'week', type: 'category' },
      series: [
        { field: 'impressions', label: 'Impressions', format: 'integer' },
        { field: 'clicks', label: 'Clicks', format: 'integer' },
        { field: 'purchases', label: 'Purchases', format: 'integer' },
        { field: 'rate', label: 'Purchase rate', format: 'percent' },
      ],
    };
    const option = buildEChartsOption(spec, funnel);
    expect(option.grid).toHaveLength(4);
    expect(seriesOf(option).map((series) => [series.xAxisIndex, series.yAxisIndex])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    expect((option.yAxis as Array<{ name: string; scale: boolean }>).map((axis) => [axis.name, axis.scale])).toEqual([
      ['Impressions', true],
      ['Clicks', true],
      ['Purchases', true],
      ['Purchase rate', true],
    ]);
  });

  it('keeps series within 10× of each other on one axis', () => {
    const option = buildEChartsOption(specFor('line'), rows);
    expect(option.grid).toHaveLength(1);
    expect(seriesOf(option).map((series) => series.yAxisIndex)).toEqual([0, 0]);
  });

  it('keeps a first row without a number (a failed week: a gap) as a category, never as a header row', () => {
    const gapFirst: ChartRow[] = [{ window: '2026-09-21', impressions: null }, { window: '2026-09-28', impressions: 100 }, { window: '2026-10-05', impressions: 120 }];
    const option = buildEChartsOption({ kind: 'line', title: 'History', x: { field: 'window', type: 'category' }, series: [{ field: 'impressions', label: 'Impressions' }] }, gapFirst);
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
    try {
      chart.setOption(option);
      const axis = (chart as unknown as { getModel(): { getComponent(name: string): { axis: { scale: { getOrdinalMeta(): { categories: string[] } } } } } })
        .getModel().getComponent('xAxis').axis;
      expect(axis.scale.getOrdinalMeta().categories).toEqual(['2026-09-21', '2026-09-28', '2026-10-05']);
    } finally {
      chart.dispose();
    }
  });

  it('is deterministic: the same input gives the same option', () => {
    const first = buildEChartsOption(specFor('stacked-bar'), rows);
    const second = buildEChartsOption(specFor('stacked-bar'), rows);
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
  });

  it('formats tooltip values with the series format', () => {
    const spec = specFor('line', { series: [{ field: 'ctr', label: 'CTR', format: 'percent' }] });
    const tooltip = seriesOf(buildEChartsOption(spec, rows))[0].tooltip as { valueFormatter: (value: unknown) => string };
    expect(tooltip.valueFormatter(0.0125)).toBe('1.25%');
  });

  it('labels percent ticks closer than 0.01 % apart without repeating a label', () => {
    const spec = specFor('line', { series: [{ field: 'ctr', label: 'CTR', format: 'percent' }] });
    const axes = buildEChartsOption(spec, rows).yAxis as Array<{ axisLabel: { formatter: (value: number) => string } }>;
    const ticks = [0.00165, 0.0017, 0.00175, 0.0018].map((value) => axes[0].axisLabel.formatter(value));
    expect(ticks).toEqual(['0.165%', '0.17%', '0.175%', '0.18%']);
  });

  it('uses the Okabe-Ito palette', () => {
    expect(buildEChartsOption(specFor('bar'), rows).color).toEqual([...OKABE_ITO_PALETTE]);
    expect(new Set(OKABE_ITO_PALETTE).size).toBe(8);
    expect(paletteColor(9)).toBe(OKABE_ITO_PALETTE[1]);
  });

  it.each<ChartKind>(['line', 'area', 'bar', 'stacked-bar', 'scatter', 'pie', 'funnel'])(
    'renders %s to SVG on the server without errors',
    (kind) => {
      const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 });
      try {
        chart.setOption(buildEChartsOption(specFor(kind), rows));
        const svg = chart.renderToSVGString();
        expect(svg).toContain('<svg');
        expect(svg).toContain(`A ${kind} chart`);
      } finally {
        chart.dispose();
      }
    },
  );
});
