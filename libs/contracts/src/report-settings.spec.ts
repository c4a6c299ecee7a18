import type { DashboardType } from './dashboard-view';
import { formatSettingsIssues, parseReportSettings, type RawReportSettings } from './report-settings';

describe('parseReportSettings', () => {
  it.each<DashboardType>(['funnel', 'performance', 'attribution', 'audience'])('fills every default for an empty %s configuration', (type) => {
    const result = parseReportSettings(type, {});
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.settings.visualization).toEqual({ hiddenViews: [] });
    expect(result.settings.aggregation).toMatchObject({ historyLength: 12, spendUnit: 'auto' });
    expect(result.settings.export).toEqual({ retentionDays: 7 });
  });

  it('reads the insight floors and the metric budgets are judged by', () => {
    const result = parseReportSettings('funnel', { visualization: { insights: { minRelativeChange: 0.2, minVolumeShare: 0.1, optimizeFor: 'cpa' } } });
    expect(result.success && result.settings.visualization).toEqual({ hiddenViews: [], insights: { minRelativeChange: 0.2, minVolumeShare: 0.1, optimizeFor: 'cpa' } });
  });

  it('reads the minimum confidence of insights in client exports, and refuses one outside [0, 1]', () => {
    const result = parseReportSettings('funnel', { export: { minInsightConfidence: 0.5 } });
    expect(result.success && result.settings.export).toEqual({ retentionDays: 7, minInsightConfidence: 0.5 });
    const refused = parseReportSettings('funnel', { export: { minInsightConfidence: 1.5 } });
    expect(!refused.success && formatSettingsIssues(refused.issues)).toBe('export.minInsightConfidence: Too big: expected number to be <=1');
  });

  it('treats null settings (a NULL jsonb column) as defaults', () => {
    expect(parseReportSettings('funnel', { visualization: null, aggregation: null, export: null }).success).toBe(true);
  });

  it('reads the PDF paper and orientation with their defaults, and the minimum insight confidence', () => {
    const result = parseReportSettings('performance', { export: { pdf: { pageSize: 'Letter' }, minInsightConfidence: 0.5 } });
    expect(result.success && result.settings.export).toEqual({ retentionDays: 7, pdf: { orientation: 'auto', pageSize: 'Letter' }, minInsightConfidence: 0.5 });
  });

  it('reads funnel stages, column overrides and export choices', () => {
    const result = parseReportSettings('funnel', {
      aggregation: {
        stages: [{ column: 'impressions', label: 'Seen' }, { column: 'purchases' }],
        columns: { campaign: 'campaign_name', impressions: 'impressions' },
        historyLength: 52,
        spendUnit: 'millicents',
      },
      export: { autoExport: ['pdf', 'excel'], retentionDays: 30 },
    });
    expect(result).toEqual({
      success: true,
      settings: {
        visualization: { hiddenViews: [] },
        aggregation: {
          stages: [{ column: 'impressions', label: 'Seen' }, { column: 'purchases' }],
          columns: { campaign: 'campaign_name', impressions: 'impressions' },
          historyLength: 52,
          spendUnit: 'millicents',
          currency: 'USD',
          topCampaigns: 20,
        },
        export: { autoExport: ['pdf', 'excel'], retentionDays: 30 },
      },
    });
  });

  it('reads custom view declarations, turning a single y into a list', () => {
    const result = parseReportSettings('custom', {
      visualization: { views: [{ key: 'sales', title: 'Sales', kind: 'bar', x: 'campaign', y: 'product_sales', filters: [{ column: 'campaign', op: 'in', values: ['A'] }] }] },
    });
    expect(result.success && result.settings.visualization.views[0]).toEqual({
      key: 'sales',
      title: 'Sales',
      kind: 'bar',
      source: 'latest',
      x: 'campaign',
      y: ['product_sales'],
      metrics: [],
      aggregation: 'sum',
      filters: [{ column: 'campaign', op: 'in', values: ['A'] }],
    });
  });

  it.each<[string, DashboardType, RawReportSettings, string]>([
    ['historyLength above 52', 'performance', { aggregation: { historyLength: 53 } }, 'aggregation.historyLength: Too big: expected number to be <=52'],
    ['historyLength of 0', 'performance', { aggregation: { historyLength: 0 } }, 'aggregation.historyLength: Too small: expected number to be >=1'],
    ['a fractional historyLength', 'funnel', { aggregation: { historyLength: 2.5 } }, 'aggregation.historyLength: Invalid input: expected int, received number'],
    ['a single funnel stage', 'funnel', { aggregation: { stages: [{ column: 'impressions' }] } }, 'aggregation.stages: Too small: expected array to have >=2 items'],
    ['an unknown column role', 'funnel', { aggregation: { columns: { impresions: 'x' } } }, 'aggregation.columns: Unrecognized key: "impresions"'],
    ['a currency that is no ISO code', 'funnel', { aggregation: { currency: 'dollars' } }, 'aggregation.currency: use a three-letter ISO 4217 code such as USD or EUR'],
    ['a misspelt setting', 'audience', { aggregation: { topPath: 5 } }, 'aggregation: Unrecognized key: "topPath"'],
    ['retention above 30 days', 'funnel', { export: { retentionDays: 31 } }, 'export.retentionDays: Too big: expected number to be <=30'],
    ['retention of 0 days', 'funnel', { export: { retentionDays: 0 } }, 'export.retentionDays: Too small: expected number to be >=1'],
    ['an unknown export format', 'funnel', { export: { autoExport: ['docx'] } }, 'export.autoExport.0: Invalid option: expected one of "pdf"|"png"|"csv"|"excel"'],
    ['a repeated export format', 'funnel', { export: { autoExport: ['pdf', 'pdf'] } }, 'export.autoExport: each format at most once'],
    ['an unknown paper size', 'funnel', { export: { pdf: { pageSize: 'A3' } } }, 'export.pdf.pageSize: Invalid option: expected one of "A4"|"Letter"'],
    ['a sideways orientation', 'funnel', { export: { pdf: { orientation: 'sideways' } } }, 'export.pdf.orientation: Invalid option: expected one of "auto"|"portrait"|"landscape"'],
    ['a confidence above 1', 'funnel', { export: { minInsightConfidence: 1.5 } }, 'export.minInsightConfidence: Too big: expected number to be <=1'],
    ['a custom dashboard without views', 'custom', {}, 'visualization.views: Invalid input: expected array, received undefined'],
    [
      'repeated custom view keys',
      'custom',
      { visualization: { views: [{ key: 'a', title: 'A', kind: 'metric', y: 'x' }, { key: 'a', title: 'B', kind: 'metric', y: 'y' }] } },
      'visualization.views: view keys must be unique',
    ],
    ['a custom view key with spaces', 'custom', { visualization: { views: [{ key: 'my view', title: 'A', kind: 'metric', y: 'x' }] } }, 'visualization.views.0.key: use lowercase letters'],
    [
      'an in filter without values',
      'custom',
      { visualization: { views: [{ key: 'a', title: 'A', kind: 'metric', y: 'x', filters: [{ column: 'c', op: 'in', value: 'v' }] }] } },
      'visualization.views.0.filters.0.values',
    ],
    ['an insight floor above 100 %', 'funnel', { visualization: { insights: { minVolumeShare: 1.5 } } }, 'visualization.insights.minVolumeShare: Too big'],
    ['budget advice by a metric that is no return or cost', 'funnel', { visualization: { insights: { optimizeFor: 'clicks' } } }, 'visualization.insights.optimizeFor: Invalid option'],
    ['a misspelt insight setting', 'performance', { visualization: { insights: { minRelativeChance: 0.2 } } }, 'visualization.insights: Unrecognized key: "minRelativeChance"'],
    ['an unknown chart kind', 'custom', { visualization: { views: [{ key: 'a', title: 'A', kind: 'donut', y: 'x' }] } }, 'visualization.views.0.kind: Invalid option'],
  ])('rejects %s with an issue naming the field', (_name, type, raw, message) => {
    const result = parseReportSettings(type, raw);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatSettingsIssues(result.issues)).toContain(message);
  });
});
