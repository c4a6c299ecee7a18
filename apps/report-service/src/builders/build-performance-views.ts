import type { ChartRow, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { UnusableResultError } from '../profile/unusable-result.error';
import type { DashboardBuildInput, ViewDraft } from './dashboard-build-input';
import {
  bucketLabel,
  compareText,
  filteredRowsNotes,
  finalizeViews,
  humanizeColumn,
  prepareDashboard,
  readerForExecution,
  spendNotes,
  toHistoryRef,
  windowLabel,
} from './dashboard-context';
import { availableKpis, computeKpis, type KpiDefinition, type MetricReader, relativeChange } from './metric-values';

const TREND_CANDIDATES: ReadonlyArray<{ volumes: string[]; rate: string }> = [
  { volumes: ['sales', 'spend'], rate: 'roas' },
  { volumes: ['purchases'], rate: 'conversionRate' },
  { volumes: ['impressions', 'clicks'], rate: 'ctr' },
];

/** Performance dashboard (DESIGN §6): metric cards, history across executions, daily series, top campaigns. */
export function buildPerformanceViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('performance', input);
  const { profile, reader, aggregation, history } = context;
  const kpis = availableKpis(reader);
  if (kpis.length === 0) {
    throw new UnusableResultError(
      'wrong_shape',
      `a performance dashboard needs impressions, clicks, spend, purchases or sales columns; the result has ${profile.metrics.join(', ')}`,
    );
  }
  const notes = [...filteredRowsNotes(profile.filteredRowCount), ...spendNotes(context.spendUnit)];
  const series = (definitions: readonly KpiDefinition[], secondary?: string): ChartSeries[] =>
    definitions.map((kpi) => ({ field: kpi.field, label: kpi.label, format: kpi.format, ...(kpi.field === secondary ? { secondaryAxis: true } : {}) }));
  const trend = pickTrendSeries(kpis);

  const latest = computeKpis(reader, profile.totals, kpis);
  const previousExecution = history.length >= 2 ? history[history.length - 2] : null;
  const previous = previousExecution
    ? computeKpis(readerForExecution(context, previousExecution), previousExecution.profile.totals, kpis)
    : null;
  const cardRows: ChartRow[] = [{ period: 'latest', ...latest }];
  if (previous) cardRows.push({ period: 'previous', ...previous });
  const changes = previous ? Object.fromEntries(kpis.map((kpi) => [`${kpi.field}Change`, relativeChange(latest[kpi.field], previous[kpi.field])])) : {};

  const views: ViewDraft[] = [
    {
      key: 'performance.cards',
      name: 'Key metrics',
      viewType: 'metric_card',
      chart: { kind: 'metric', title: 'Key metrics', x: { field: 'period', type: 'category' }, series: series(kpis) },
      data: {
        rows: cardRows,
        filteredRowCount: profile.filteredRowCount,
        summary: { ...latest, ...changes, rowCount: profile.rowCount, filteredRowCount: profile.filteredRowCount },
        history: previousExecution ? [toHistoryRef(previousExecution), toHistoryRef(context.latest)] : [toHistoryRef(context.latest)],
        notes,
      },
    },
  ];

  const historyRows: ChartRow[] = history.map((execution) => ({
    window: windowLabel(execution),
    executionId: execution.executionId,
    ...computeKpis(readerForExecution(context, execution), execution.profile.totals, kpis),
    filteredRowCount: execution.profile.filteredRowCount,
  }));
  views.push({
    key: 'performance.history',
    name: 'Performance over time',
    viewType: 'chart',
    chart: {
      kind: 'line',
      title: 'Performance over time',
      x: { field: 'window', type: 'category', label: 'Time window' },
      series: series(trend, trend.find((kpi) => kpi.format === 'percent' || kpi.format === 'ratio')?.field),
    },
    data: { rows: historyRows, history: history.map(toHistoryRef), notes: spendNotes(context.spendUnit) },
  });

  if (profile.dateColumn && profile.dateSeries.length > 0) {
    const dailyRows: ChartRow[] = profile.dateSeries.map((bucket) => ({
      date: bucket.date,
      ...computeKpis(reader, bucket.totals, kpis),
      filteredRowCount: bucket.filteredRowCount ?? 0,
    }));
    views.push({
      key: 'performance.daily',
      name: 'Performance by day',
      viewType: 'chart',
      chart: {
        kind: 'line',
        title: 'Performance by day',
        x: { field: 'date', type: 'time', label: humanizeColumn(profile.dateColumn) },
        series: series(trend, trend.find((kpi) => kpi.format === 'percent' || kpi.format === 'ratio')?.field),
      },
      data: { rows: dailyRows, notes },
    });
  }

  const campaignColumn = context.columns.dimensions.campaign;
  if (campaignColumn && profile.dimensionBreakdowns[campaignColumn]) {
    const rows = topCampaignRows(reader, profile.dimensionBreakdowns[campaignColumn], kpis, aggregation.topCampaigns);
    views.push({
      key: 'performance.campaigns',
      name: 'Top campaigns',
      viewType: 'table',
      chart: {
        kind: 'table',
        title: 'Top campaigns',
        x: { field: 'campaign', type: 'category', label: humanizeColumn(campaignColumn) },
        series: [...series(kpis), { field: 'filteredRowCount', label: 'Withheld rows', format: 'integer' }],
      },
      data: { rows, filteredRowCount: profile.filteredRowCount, notes },
    });
  }
  return finalizeViews(views, context.visualization.hiddenViews);
}

/** Money and return when the result has them, else conversions, else delivery. */
function pickTrendSeries(kpis: readonly KpiDefinition[]): KpiDefinition[] {
  const byField = new Map(kpis.map((kpi) => [kpi.field, kpi]));
  for (const candidate of TREND_CANDIDATES) {
    const volumes = candidate.volumes.map((field) => byField.get(field));
    if (volumes.every((kpi) => kpi !== undefined)) {
      const rate = byField.get(candidate.rate);
      return [...(volumes as KpiDefinition[]), ...(rate ? [rate] : [])];
    }
  }
  return kpis.slice(0, 2);
}

/** Ranked by sales, else purchases, else impressions; the folded `__other__` bucket is left out. */
function topCampaignRows(
  reader: MetricReader,
  buckets: ReadonlyArray<{ key: string; totals: Record<string, number>; filteredRowCount: number }>,
  kpis: readonly KpiDefinition[],
  limit: number,
): ChartRow[] {
  const rankBy = (['sales', 'purchases', 'impressions', 'clicks', 'spend'] as const).find((role) => reader.has(role)) ?? 'impressions';
  return buckets
    .filter((bucket) => bucket.key !== OTHER_BUCKET_KEY)
    .map((bucket) => ({
      rank: reader.value(bucket.totals, rankBy) ?? -1,
      row: { campaign: bucketLabel(bucket.key), ...computeKpis(reader, bucket.totals, kpis), filteredRowCount: bucket.filteredRowCount } as ChartRow,
    }))
    .sort((a, b) => b.rank - a.rank || compareText(String(a.row.campaign), String(b.row.campaign)))
    .slice(0, limit)
    .map(({ row }) => row);
}
