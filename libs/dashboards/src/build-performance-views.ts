import type { ChartRow, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { DimensionBucket } from '@amc-reports/contracts/src/result-profile';
import { OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { UnusableResultError } from '@amc-reports/result-profile';
import type { DashboardBuildInput, ViewDraft } from './dashboard-build-input';
import {
  bucketLabel,
  compareText,
  contextData,
  contextNotes,
  filteredRowsNotes,
  finalizeViews,
  humanizeColumn,
  prepareDashboard,
  readerForExecution,
  toHistoryRef,
  windowLabel,
} from './dashboard-context';
import { PERFORMANCE_METRICS, PERFORMANCE_VOLUMES } from './dashboard-requirements';
import { buildCardsView } from './metric-cards-view';
import type { MetricReader } from './metric-reader';


/** Money and return when the result has them, else conversions, else delivery. */
const TREND_CANDIDATES: ReadonlyArray<readonly string[]> = [
  ['sales', 'spend', 'roas'],
  ['purchases', 'purchaseRateOfClicks'],
  ['impressions', 'clicks', 'ctr'],
];

/** Performance dashboard (DESIGN §6): metric cards naming their window, history across executions, daily series, top campaigns. */
export function buildPerformanceViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('performance', input);
  const { profile, reader, aggregation, history } = context;
  const metrics = reader.present([...PERFORMANCE_METRICS]);
  if (!metrics.some((id) => (PERFORMANCE_VOLUMES as readonly string[]).includes(id))) {
    throw new UnusableResultError(
      'wrong_shape',
      `a performance dashboard needs impressions, clicks, spend, purchases or sales columns; the result has ${profile.metrics.join(', ')}`,
    );
  }
  const notes = [...contextNotes(context), ...filteredRowsNotes(profile.filteredRowCount)];
  const trend = pickTrend(reader, metrics);
  const trendSeries: ChartSeries[] = trend.map((id) => reader.series(id));
  const formulas = reader.formulas(metrics);
  const common = { formulas, ...contextData(context) };

  const views: ViewDraft[] = [buildCardsView(context, { key: 'performance.cards', name: 'Key metrics', metrics })];
  views.push({
    key: 'performance.history',
    name: 'Performance over time',
    viewType: 'chart',
    chart: {
      kind: 'line',
      title: 'Performance over time',
      x: { field: 'window', type: 'category', label: 'Time window' },
      series: trendSeries,
      currency: context.frame.currency,
    },
    data: {
      rows: history.map((execution) => ({
        window: windowLabel(execution),
        executionId: execution.executionId,
        ...readerForExecution(context, execution).values(execution.profile.totals, metrics),
        filteredRowCount: execution.profile.filteredRowCount,
      })),
      history: history.map(toHistoryRef),
      notes: contextNotes(context),
      ...common,
    },
  });

  if (profile.dateColumn && profile.dateSeries.length > 0) {
    views.push({
      key: 'performance.daily',
      name: 'Performance by day',
      viewType: 'chart',
      chart: {
        kind: 'line',
        title: 'Performance by day',
        x: { field: 'date', type: 'time', label: humanizeColumn(profile.dateColumn) },
        series: trendSeries,
        currency: context.frame.currency,
      },
      data: {
        rows: profile.dateSeries.map((bucket) => ({ date: bucket.date, ...reader.values(bucket.totals, metrics), filteredRowCount: bucket.filteredRowCount ?? 0 })),
        notes,
        ...common,
      },
    });
  }

  const campaignColumn = context.dimensions.campaign;
  if (campaignColumn && profile.dimensionBreakdowns[campaignColumn]) {
    views.push({
      key: 'performance.campaigns',
      name: 'Top campaigns',
      viewType: 'table',
      chart: {
        kind: 'table',
        title: 'Top campaigns',
        x: { field: 'campaign', type: 'category', label: humanizeColumn(campaignColumn) },
        series: [...metrics.map((id) => reader.series(id)), { field: 'filteredRowCount', label: 'Withheld rows', format: 'integer' }],
        currency: context.frame.currency,
      },
      data: { rows: topCampaignRows(reader, profile.dimensionBreakdowns[campaignColumn], metrics, aggregation.topCampaigns), filteredRowCount: profile.filteredRowCount, notes, ...common },
    });
  }
  return finalizeViews(views, context.visualization.hiddenViews);
}

function pickTrend(reader: MetricReader, metrics: readonly string[]): string[] {
  for (const candidate of TREND_CANDIDATES) {
    const [first, ...rest] = candidate;
    if (reader.has(first) && reader.has(rest[0])) return candidate.filter((id) => reader.has(id));
  }
  return metrics.slice(0, 2);
}

/** Ranked by sales, else purchases, else impressions; the folded `__other__` bucket is left out. */
function topCampaignRows(reader: MetricReader, buckets: readonly DimensionBucket[], metrics: readonly string[], limit: number): ChartRow[] {
  const rankBy = ['sales', 'purchases', 'impressions', 'clicks', 'spend'].find((id) => reader.has(id)) ?? 'impressions';
  return buckets
    .filter((bucket) => bucket.key !== OTHER_BUCKET_KEY)
    .map((bucket) => ({
      rank: reader.value(bucket.totals, rankBy) ?? -1,
      row: { campaign: bucketLabel(bucket.key), ...reader.values(bucket.totals, metrics), filteredRowCount: bucket.filteredRowCount } as ChartRow,
    }))
    .sort((a, b) => b.rank - a.rank || compareText(String(a.row.campaign), String(b.row.campaign)))
    .slice(0, limit)
    .map(({ row }) => row);
}
