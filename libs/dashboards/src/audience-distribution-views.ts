import type { ChartRow } from '@amc-reports/charts/src/chart-spec';
import { cleanFloat, metricValue, readSums, shareOf } from '@amc-reports/metrics';
import { describePath, parseFrequencyLowerBound } from './audience-labels';
import { type AudienceContext, realBuckets } from './audience-buckets';
import type { ViewDraft } from './dashboard-build-input';
import { compareText, contextData, contextNotes, filteredRowsNotes, humanizeColumn } from './dashboard-context';
import type { ExtraCard } from './metric-cards-view';
import type { MaybeNumber } from './metric-reader';

/** Buckets ordered by their lower bound ("1", "2", "6-10", "21+"), not alphabetically. */
function frequencyBuckets(context: AudienceContext, column: string) {
  return realBuckets(context.profile.dimensionBreakdowns[column]).sort(
    (a, b) => (parseFrequencyLowerBound(a.key) ?? Infinity) - (parseFrequencyLowerBound(b.key) ?? Infinity) || compareText(a.key, b.key),
  );
}

/** The bucket where purchases per reached user peak: what a frequency cap is set from. */
function peakBucket(context: AudienceContext, column: string): { key: string; rate: number } | null {
  let peak: { key: string; rate: number } | null = null;
  for (const bucket of frequencyBuckets(context, column)) {
    const rate = context.reader.value(bucket.totals, 'purchaseRateOfReach');
    if (rate !== null && (peak === null || rate > peak.rate)) peak = { key: bucket.key, rate };
  }
  return peak;
}

export function peakFrequencyCard(context: AudienceContext, column: string): ExtraCard[] {
  if (!context.reader.has('purchaseRateOfReach')) return [];
  const peak = peakBucket(context, column);
  return [{ series: { field: 'peakPurchaseRateBucket', label: `Frequency with the highest ${context.reader.label('purchaseRateOfReach').toLowerCase()}` }, latest: peak?.key ?? null, previous: null }];
}

export function frequencyView(context: AudienceContext, column: string): ViewDraft {
  const { profile, reader } = context;
  const buckets = frequencyBuckets(context, column);
  const totalReach = cleanFloat(buckets.reduce((sum, bucket) => sum + (reader.value(bucket.totals, 'reach') ?? 0), 0));
  let cumulative = 0;
  const rows: ChartRow[] = buckets.map((bucket) => {
    const sums = readSums(bucket.totals, reader.frame);
    const reach = metricValue('reach', sums);
    cumulative += reach ?? 0;
    return {
      bucket: bucket.key,
      reach,
      shareOfReach: shareOf(reach, totalReach),
      cumulativeShareOfReach: shareOf(cleanFloat(cumulative), totalReach),
      impressions: metricValue('impressions', sums),
      purchases: metricValue('purchases', sums),
      purchaseRateOfReach: metricValue('purchaseRateOfReach', sums),
      filteredRowCount: bucket.filteredRowCount,
    };
  });
  const rate = reader.has('purchaseRateOfReach')
    ? { ...reader.series('purchaseRateOfReach'), secondaryAxis: true }
    : { field: 'cumulativeShareOfReach', label: 'Cumulative share of reach', format: 'percent' as const, secondaryAxis: true };
  const peak = peakBucket(context, column);
  return {
    key: 'audience.frequency',
    name: 'Reach and purchase rate by frequency',
    viewType: 'chart',
    chart: { kind: 'bar', title: 'Reach and purchase rate by frequency', x: { field: 'bucket', type: 'category', label: humanizeColumn(column) }, series: [reader.series('reach'), rate] },
    data: {
      rows,
      filteredRowCount: profile.filteredRowCount,
      summary: {
        reach: totalReach,
        impressions: reader.value(profile.totals, 'impressions'),
        averageFrequency: reader.value(profile.totals, 'averageFrequency'),
        peakPurchaseRate: peak?.rate ?? null,
      },
      formulas: reader.formulas(['reach', 'averageFrequency', ...(reader.has('purchaseRateOfReach') ? ['purchaseRateOfReach'] : [])]),
      notes: [...(peak ? [`purchases per reached user peak at frequency ${peak.key}`] : []), ...contextNotes(context), ...filteredRowsNotes(profile.filteredRowCount)],
      ...contextData(context),
    },
  };
}

/** Converted users of the users on a path when the result counts them, else purchases per occurrence. */
function pathRateMetric(context: AudienceContext): string | null {
  if (context.reader.has('convertedUsersOfPathOccurrences')) return 'convertedUsersOfPathOccurrences';
  return context.reader.has('purchasesPerPathOccurrence') ? 'purchasesPerPathOccurrence' : null;
}

/** Top paths by purchases (else converted users, else occurrences), with each path's purchase rate as a table and a chart. */
export function pathViews(context: AudienceContext, column: string): ViewDraft[] {
  const { profile, reader, aggregation } = context;
  const rankBy = ['purchases', 'convertedUsers', 'pathOccurrences'].find((id) => reader.has(id));
  const rate = pathRateMetric(context);
  const metrics = reader.present(['pathOccurrences', 'impressions', 'convertedUsers', 'purchases', 'sales', 'spend', 'roas']);
  const buckets = realBuckets(profile.dimensionBreakdowns[column]);
  const totalRanked = rankBy ? cleanFloat(buckets.reduce((sum, bucket) => sum + (reader.value(bucket.totals, rankBy) ?? 0), 0)) : null;
  const rows: ChartRow[] = buckets
    .map((bucket) => {
      const described = describePath(bucket.key);
      const ranked: MaybeNumber = rankBy ? reader.value(bucket.totals, rankBy) : bucket.rowCount;
      return {
        row: {
          path: described.text,
          steps: described.steps,
          ...reader.values(bucket.totals, metrics),
          ...(rate ? { [rate]: reader.value(bucket.totals, rate) } : {}),
          share: rankBy ? shareOf(ranked, totalRanked) : null,
        } as ChartRow,
        ranked,
      };
    })
    .sort((a, b) => (b.ranked ?? -1) - (a.ranked ?? -1) || compareText(String(a.row.path), String(b.row.path)))
    .slice(0, aggregation.topPaths)
    .map(({ row }) => row);
  const top = rows[0];
  const rankLabel = rankBy ? reader.label(rankBy).toLowerCase() : 'row count';
  const notes = [`ranked by ${rankLabel}`, ...contextNotes(context), ...filteredRowsNotes(profile.filteredRowCount)];
  const formulas = reader.formulas([...metrics, ...(rate ? [rate] : [])]);
  const views: ViewDraft[] = [
    {
      key: 'audience.paths',
      name: 'Top paths to conversion',
      viewType: 'table',
      chart: {
        kind: 'table',
        title: 'Top paths to conversion',
        x: { field: 'path', type: 'category', label: 'Path' },
        series: [
          { field: 'steps', label: 'Touchpoints', format: 'integer' },
          ...metrics.map((id) => reader.series(id)),
          ...(rate ? [reader.series(rate)] : []),
          { field: 'share', label: `Share of ${rankLabel}`, format: 'percent' },
        ],
        currency: context.frame.currency,
      },
      data: {
        rows,
        filteredRowCount: profile.filteredRowCount,
        summary: { distinctPaths: buckets.length, topPathShare: (top?.share as MaybeNumber) ?? null, topPathPurchases: (top?.purchases as MaybeNumber) ?? null },
        formulas,
        notes,
        ...contextData(context),
      },
    },
  ];
  if (rate) {
    views.push({
      key: 'audience.path-rates',
      name: `${reader.label(rate)} by path`,
      viewType: 'chart',
      chart: { kind: 'bar', title: `${reader.label(rate)} by path`, x: { field: 'path', type: 'category', label: 'Path' }, series: [reader.series(rate)] },
      data: { rows, formulas, notes, ...contextData(context) },
    });
  }
  return views;
}
