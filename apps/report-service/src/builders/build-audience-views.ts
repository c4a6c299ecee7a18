import type { ChartRow } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { DimensionBucket } from '@amc-reports/contracts/src/result-profile';
import { NULL_BUCKET_KEY, OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { UnusableResultError } from '../profile/unusable-result.error';
import { cleanFloat } from '../profile/metric-accumulator';
import { describePath, parseChannelCount, parseFrequencyLowerBound } from './audience-labels';
import type { DashboardBuildInput, ViewDraft } from './dashboard-build-input';
import type { DashboardContext } from './dashboard-context';
import {
  bucketLabel,
  compareText,
  filteredRowsNotes,
  finalizeViews,
  humanizeColumn,
  prepareDashboard,
  readerForExecution,
  toHistoryRef,
  windowLabel,
} from './dashboard-context';
import { type MaybeNumber, type MetricReader, ratio } from './metric-values';

type AudienceContext = DashboardContext<'audience'>;

/**
 * Audience dashboard (DESIGN §6): segment sizes and overlap (exposure groups), reach and frequency
 * distribution, top paths to conversion, reach over executions; each as the result allows.
 */
export function buildAudienceViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('audience', input);
  const { columns, profile, reader } = context;
  const { exposureGroup, frequencyBucket, path } = columns.dimensions;
  if (!exposureGroup && !frequencyBucket && !path && !reader.has('reach')) {
    throw new UnusableResultError(
      'wrong_shape',
      'an audience dashboard needs an exposure_group, frequency_bucket or path column, or a reach column (user_reach, reach, users_in_bucket)',
    );
  }
  const views: ViewDraft[] = [];
  if (exposureGroup) views.push(...segmentViews(context, exposureGroup));
  if (frequencyBucket) views.push(frequencyView(context, frequencyBucket));
  if (path) views.push(pathView(context, path));
  if (reader.has('reach') && (exposureGroup || frequencyBucket)) views.push(reachHistoryView(context, exposureGroup ?? frequencyBucket!));
  if (views.length === 0) {
    throw new UnusableResultError(
      'wrong_shape',
      `an audience dashboard found reach (${columns.metrics.reach}) but no segment, frequency or path column`,
    );
  }
  return finalizeViews(views, context.visualization.hiddenViews);
}

const realBuckets = (buckets: readonly DimensionBucket[] | undefined) =>
  (buckets ?? []).filter((bucket) => bucket.key !== OTHER_BUCKET_KEY && bucket.key !== NULL_BUCKET_KEY);

/** Exposure groups are disjoint by construction ("DSP only", "DSP + Sponsored Products"), so their reach adds up. */
function segmentViews(context: AudienceContext, column: string): ViewDraft[] {
  const { profile, reader } = context;
  const buckets = realBuckets(profile.dimensionBreakdowns[column]);
  const totalReach = sumOf(buckets.map((bucket) => reader.value(bucket.totals, 'reach')));
  const converters = (bucket: DimensionBucket) => reader.value(bucket.totals, reader.has('convertedUsers') ? 'convertedUsers' : 'purchases');
  const totalConverted = sumOf(buckets.map(converters));
  const overallRate = ratio(totalConverted, totalReach);
  const rows = buckets
    .map((bucket) => {
      const reach = reader.value(bucket.totals, 'reach');
      const rate = ratio(converters(bucket), reach);
      return {
        segment: bucketLabel(bucket.key),
        channels: parseChannelCount(bucket.key),
        reach,
        shareOfReach: ratio(reach, totalReach),
        converted: converters(bucket),
        conversionRate: rate,
        rateIndex: ratio(rate, overallRate),
        filteredRowCount: bucket.filteredRowCount,
      };
    })
    .sort((a, b) => (b.reach ?? -1) - (a.reach ?? -1) || compareText(a.segment, b.segment));
  const group = (single: boolean) => rows.filter((row) => row.channels !== null && (row.channels === 1) === single);
  const groupReach = (single: boolean) => sumOf(group(single).map((row) => row.reach));
  const groupRate = (single: boolean) => ratio(sumOf(group(single).map((row) => row.converted)), groupReach(single));
  const convertedLabel = reader.has('convertedUsers') ? 'Converted users' : 'Purchases';
  const notes = filteredRowsNotes(profile.filteredRowCount);
  return [
    {
      key: 'audience.segments',
      name: 'Segment sizes',
      viewType: 'chart',
      chart: {
        kind: 'bar',
        title: 'Segment sizes',
        x: { field: 'segment', type: 'category', label: humanizeColumn(column) },
        series: [
          { field: 'reach', label: 'Reach', format: 'integer' },
          ...(totalConverted !== null ? [{ field: 'conversionRate', label: 'Conversion rate', format: 'percent' as const, secondaryAxis: true }] : []),
        ],
      },
      data: { rows, filteredRowCount: profile.filteredRowCount, summary: { totalReach, totalConverted, conversionRate: overallRate }, notes },
    },
    {
      key: 'audience.overlap',
      name: 'Audience overlap',
      viewType: 'table',
      chart: {
        kind: 'table',
        title: 'Audience overlap',
        x: { field: 'segment', type: 'category', label: humanizeColumn(column) },
        series: [
          { field: 'channels', label: 'Channels', format: 'integer' },
          { field: 'reach', label: 'Reach', format: 'integer' },
          { field: 'shareOfReach', label: 'Share of reach', format: 'percent' },
          { field: 'converted', label: convertedLabel, format: 'integer' },
          { field: 'conversionRate', label: 'Conversion rate', format: 'percent' },
          { field: 'rateIndex', label: 'Index vs all', format: 'ratio' },
        ],
      },
      data: {
        rows,
        summary: {
          singleChannelReach: groupReach(true),
          multiChannelReach: groupReach(false),
          multiChannelShareOfReach: ratio(groupReach(false), totalReach),
          singleChannelConversionRate: groupRate(true),
          multiChannelConversionRate: groupRate(false),
        },
        notes: ['channels counted from the segment name ("A + B" = 2, "All three" = 3, "A only" = 1)', ...notes],
      },
    },
  ];
}

/** Buckets are ordered by their lower bound ("1", "2", "6-10", "21+"), not alphabetically. */
function frequencyView(context: AudienceContext, column: string): ViewDraft {
  const { profile, reader } = context;
  const buckets = realBuckets(profile.dimensionBreakdowns[column]).sort(
    (a, b) => (parseFrequencyLowerBound(a.key) ?? Infinity) - (parseFrequencyLowerBound(b.key) ?? Infinity) || compareText(a.key, b.key),
  );
  const totalReach = sumOf(buckets.map((bucket) => reader.value(bucket.totals, 'reach')));
  const totalImpressions = sumOf(buckets.map((bucket) => reader.value(bucket.totals, 'impressions')));
  let cumulative = 0;
  const rows: ChartRow[] = buckets.map((bucket) => {
    const reach = reader.value(bucket.totals, 'reach');
    cumulative += reach ?? 0;
    return {
      bucket: bucketLabel(bucket.key),
      reach,
      shareOfReach: ratio(reach, totalReach),
      cumulativeShareOfReach: ratio(cleanFloat(cumulative), totalReach),
      impressions: reader.value(bucket.totals, 'impressions'),
      purchases: reader.value(bucket.totals, 'purchases'),
      conversionRate: ratio(reader.value(bucket.totals, 'purchases'), reach),
      filteredRowCount: bucket.filteredRowCount,
    };
  });
  const rateSeries = reader.has('purchases')
    ? { field: 'conversionRate', label: 'Purchases per reached user', format: 'percent' as const, secondaryAxis: true }
    : { field: 'cumulativeShareOfReach', label: 'Cumulative share of reach', format: 'percent' as const, secondaryAxis: true };
  return {
    key: 'audience.frequency',
    name: 'Reach by frequency',
    viewType: 'chart',
    chart: {
      kind: 'bar',
      title: 'Reach by frequency',
      x: { field: 'bucket', type: 'category', label: humanizeColumn(column) },
      series: [{ field: 'reach', label: 'Reach', format: 'integer' }, rateSeries],
    },
    data: {
      rows,
      filteredRowCount: profile.filteredRowCount,
      summary: { totalReach, totalImpressions, averageFrequency: ratio(totalImpressions, totalReach) },
      notes: filteredRowsNotes(profile.filteredRowCount),
    },
  };
}

/** Top paths by purchases (else converted users, else occurrences). */
function pathView(context: AudienceContext, column: string): ViewDraft {
  const { profile, reader, aggregation } = context;
  const rankRole = (['purchases', 'convertedUsers', 'pathOccurrences'] as const).find((role) => reader.has(role));
  const buckets = realBuckets(profile.dimensionBreakdowns[column]);
  const totalRanked = rankRole ? sumOf(buckets.map((bucket) => reader.value(bucket.totals, rankRole))) : null;
  const rows: ChartRow[] = buckets
    .map((bucket) => {
      const described = describePath(bucket.key);
      const occurrences = reader.value(bucket.totals, 'pathOccurrences');
      const purchases = reader.value(bucket.totals, 'purchases');
      return {
        path: described.text,
        steps: described.steps,
        occurrences,
        purchases,
        convertedUsers: reader.value(bucket.totals, 'convertedUsers'),
        sales: reader.value(bucket.totals, 'sales'),
        purchasesPerOccurrence: ratio(purchases, occurrences),
        share: rankRole ? ratio(reader.value(bucket.totals, rankRole), totalRanked) : null,
        rank: rankRole ? reader.value(bucket.totals, rankRole) : bucket.rowCount,
      };
    })
    .sort((a, b) => (b.rank ?? -1) - (a.rank ?? -1) || compareText(a.path, b.path))
    .slice(0, aggregation.topPaths)
    .map(({ rank: _rank, ...row }) => row);
  const top = rows[0];
  return {
    key: 'audience.paths',
    name: 'Top paths to conversion',
    viewType: 'table',
    chart: {
      kind: 'table',
      title: 'Top paths to conversion',
      x: { field: 'path', type: 'category', label: 'Path' },
      series: [
        { field: 'steps', label: 'Touchpoints', format: 'integer' },
        { field: 'occurrences', label: 'Occurrences', format: 'integer' },
        { field: 'purchases', label: 'Purchases', format: 'integer' },
        { field: 'sales', label: 'Sales', format: 'currency' },
        { field: 'share', label: 'Share', format: 'percent' },
      ],
    },
    data: {
      rows,
      filteredRowCount: profile.filteredRowCount,
      summary: {
        distinctPaths: buckets.length,
        topPathShare: (top?.share as MaybeNumber) ?? null,
        topPathPurchases: (top?.purchases as MaybeNumber) ?? null,
      },
      notes: [
        `ranked by ${rankRole ? humanizeColumn(context.columns.metrics[rankRole]!) : 'row count'}`,
        ...filteredRowsNotes(profile.filteredRowCount),
      ],
    },
  };
}

function reachHistoryView(context: AudienceContext, segmentColumn: string): ViewDraft {
  const rows: ChartRow[] = context.history.map((execution) => {
    const reader: MetricReader = readerForExecution(context, execution);
    const buckets = realBuckets(execution.profile.dimensionBreakdowns[segmentColumn]);
    const reach =
      buckets.length > 0
        ? sumOf(buckets.map((bucket) => reader.value(bucket.totals, 'reach')))
        : reader.value(execution.profile.totals, 'reach');
    return {
      window: windowLabel(execution),
      executionId: execution.executionId,
      reach,
      filteredRowCount: execution.profile.filteredRowCount,
    };
  });
  return {
    key: 'audience.reach-history',
    name: 'Reach over time',
    viewType: 'chart',
    chart: {
      kind: 'line',
      title: 'Reach over time',
      x: { field: 'window', type: 'category', label: 'Time window' },
      series: [{ field: 'reach', label: 'Reach', format: 'integer' }],
    },
    data: {
      rows,
      history: context.history.map(toHistoryRef),
      notes: [`reach summed over the disjoint ${humanizeColumn(segmentColumn).toLowerCase()} rows`],
    },
  };
}

/** Sum of the known values; null when none is known (unknown is not zero). */
function sumOf(values: readonly (MaybeNumber | undefined)[]): MaybeNumber {
  const known = values.filter((value): value is number => typeof value === 'number');
  return known.length === 0 ? null : cleanFloat(known.reduce((sum, value) => sum + value, 0));
}
