import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { buildExportDocument } from '../../test/fixtures/export-document.fixture';
import { ExportInputError, formatCell, formatTimeWindow, selectViews, viewColumns, viewPresentation } from './export-document';

const view = (overrides: Partial<BuiltView>): BuiltView => ({
  key: 'v',
  name: 'View',
  viewType: 'chart',
  position: 0,
  chart: { kind: 'bar', title: 'View', x: { field: 'campaign', label: 'Campaign', type: 'category' }, series: [{ field: 'sales', label: 'Sales', format: 'currency' }] },
  data: { rows: [{ campaign: 'A', sales: 1, share: 0.5 }] },
  ...overrides,
});

describe('export document helpers', () => {
  it('orders views by position and selects one by key', () => {
    const doc = buildExportDocument();
    doc.views.reverse();
    expect(selectViews(doc).map((candidate) => candidate.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(selectViews(doc, 'funnel.stages').map((candidate) => candidate.key)).toEqual(['funnel.stages']);
    expect(() => selectViews(doc, 'missing')).toThrow(ExportInputError);
  });

  it('exports the x field, each series, then the other data fields of the rows under reader labels', () => {
    expect(viewColumns(view({}))).toEqual([
      { field: 'campaign', label: 'Campaign', kind: 'text' },
      { field: 'sales', label: 'Sales', format: 'currency', currency: undefined, metric: 'sales', kind: 'currency' },
      { field: 'share', label: 'Share', format: 'percent', kind: 'percent' },
    ]);
  });

  it('hides internal fields and labels catalogue metrics and camelCase fields for a reader', () => {
    const history = view({
      chart: { kind: 'line', title: 'H', x: { field: 'window', type: 'category', label: 'Time window' }, series: [{ field: 'sales', label: 'Sales', format: 'currency' }] },
      data: { rows: [{ window: 'w1', executionId: 'e1', filteredRowCount: 2, metric: 'sales', sales: 1, purchasesPerPathOccurrence: 0.2, conversionRate: 0.5, cpc: 1.2 }] },
    });
    expect(viewColumns(history).map((column) => [column.field, column.label, column.kind])).toEqual([
      ['window', 'Time window', 'text'],
      ['sales', 'Sales', 'currency'],
      ['purchasesPerPathOccurrence', 'Purchases per path occurrence', 'ratio'],
      ['conversionRate', 'Conversion rate', 'number'],
      ['cpc', 'Cost per click (CPC)', 'currency'],
    ]);
  });

  it.each([
    ['chart', 'bar', 'chart'],
    ['chart', 'table', 'table'],
    ['chart', 'metric', 'metric'],
    ['table', 'table', 'table'],
    ['metric_card', 'metric', 'metric'],
    ['insight', 'table', 'insight'],
  ] as const)('draws a %s view of kind %s as a %s', (viewType, kind, expected) => {
    expect(viewPresentation(view({ viewType, chart: { kind, title: 'x', series: [] } }))).toBe(expected);
  });

  it.each([
    [null, undefined, '—'],
    [1234.5, 'currency', '$1,234.50'],
    [-5, 'currency', '-$5.00'],
    [0.0123, 'percent', '1.23%'],
    [true, undefined, 'yes'],
    ['two\nlines  here', undefined, 'two lines here'],
  ] as const)('formats the cell %j (%s) as %j for PDF and PNG tables', (value, format, expected) => {
    expect(formatCell(value, { format })).toBe(expected);
  });

  it('shows the time window as UTC dates', () => {
    expect(formatTimeWindow(buildExportDocument().report)).toBe('2025-10-27 – 2025-11-09');
  });
});

describe('formatTimeWindow', () => {
  it("says the days an AMC window covers in its zone, its end exclusive (periods' reading)", () => {
    // New York's Monday midnight to the next Monday's midnight: Sep 28 – Oct 4.
    expect(formatTimeWindow({ timeWindowStart: '2026-09-28T04:00:00.000Z', timeWindowEnd: '2026-10-05T04:00:00.000Z', timeZone: 'America/New_York' }))
      .toBe('2026-09-28 – 2026-10-04');
    // An end at 23:59:59 stays on its day; no zone is UTC.
    expect(formatTimeWindow({ timeWindowStart: '2025-10-27T00:00:00.000Z', timeWindowEnd: '2025-11-09T23:59:59.000Z' })).toBe('2025-10-27 – 2025-11-09');
  });
});
