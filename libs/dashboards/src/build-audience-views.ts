import type { ChartRow } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { DimensionBucket } from '@amc-reports/contracts/src/result-profile';
import { addSums, indexTo, metricValue, readSums, shareOf, upliftOver } from '@amc-reports/metrics';
import { UnusableResultError } from '@amc-reports/result-profile';
import { parseChannelCount } from './audience-labels';
import { frequencyView, pathViews, peakFrequencyCard } from './audience-distribution-views';
import { type AudienceContext, realBuckets } from './audience-buckets';
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
import { AUDIENCE_CARD_METRICS } from './dashboard-requirements';
import { buildCardsView } from './metric-cards-view';

/**
 * Audience dashboard (DESIGN §6): segment sizes and overlap (exposure groups), reach and frequency
 * distribution, paths to conversion, reach over executions; each as the result allows.
 */
export function buildAudienceViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('audience', input);
  const { dimensions, reader } = context;
  const { exposureGroup, frequencyBucket, path } = dimensions;
  if (!exposureGroup && !frequencyBucket && !path && !reader.has('reach')) {
    throw new UnusableResultError(
      'wrong_shape',
      'an audience dashboard needs an exposure_group, frequency_bucket or path column, or a reach column (user_reach, reach, users_in_bucket)',
    );
  }
  const views: ViewDraft[] = [];
  if (exposureGroup) views.push(...segmentViews(context, exposureGroup));
  if (frequencyBucket) views.push(frequencyView(context, frequencyBucket));
  if (path) views.push(...pathViews(context, path));
  if (reader.has('reach') && (exposureGroup || frequencyBucket)) views.push(reachHistoryView(context, exposureGroup ?? frequencyBucket!));
  if (views.length === 0) {
    throw new UnusableResultError('wrong_shape', `an audience dashboard found reach (${reader.frame.columns.reach?.columns.join(', ')}) but no segment, frequency or path column`);
  }
  const peak = frequencyBucket ? peakFrequencyCard(context, frequencyBucket) : [];
  const cards = buildCardsView(context, { key: 'audience.cards', name: 'Key metrics', metrics: AUDIENCE_CARD_METRICS, extraCards: peak });
  return finalizeViews([cards, ...views], context.visualization.hiddenViews);
}

/** Converted users over reach when the result counts them, else purchases over reach. */
function audienceRateMetric(context: AudienceContext): 'convertedUsersOfReach' | 'purchaseRateOfReach' | null {
  if (context.reader.has('convertedUsersOfReach')) return 'convertedUsersOfReach';
  return context.reader.has('purchaseRateOfReach') ? 'purchaseRateOfReach' : null;
}

/**
 * Exposure groups are disjoint by construction ("DSP only", "DSP + Sponsored Products"), so their
 * reach adds up. Each group's rate is indexed to all groups blended and to the single-channel
 * groups blended: the uplift of being reached on more channels.
 */
function segmentViews(context: AudienceContext, column: string): ViewDraft[] {
  const { profile, reader } = context;
  const buckets = realBuckets(profile.dimensionBreakdowns[column]);
  const rate = audienceRateMetric(context);
  const converted = rate === 'convertedUsersOfReach' ? 'convertedUsers' : 'purchases';
  const sumsOf = (bucket: DimensionBucket) => readSums(bucket.totals, reader.frame);
  const all = addSums(buckets.map(sumsOf));
  const channels = (bucket: DimensionBucket) => parseChannelCount(bucket.key);
  const single = addSums(buckets.filter((bucket) => channels(bucket) === 1).map(sumsOf));
  const multi = addSums(buckets.filter((bucket) => (channels(bucket) ?? 0) > 1).map(sumsOf));
  const rateOf = (sums: ReturnType<typeof sumsOf>) => (rate ? metricValue(rate, sums) : null);
  const rows: ChartRow[] = buckets
    .map((bucket) => {
      const sums = sumsOf(bucket);
      return {
        segment: bucketLabel(bucket.key),
        channels: channels(bucket),
        reach: metricValue('reach', sums),
        shareOfReach: shareOf(metricValue('reach', sums), metricValue('reach', all)),
        [converted]: metricValue(converted, sums),
        ...(rate ? { [rate]: rateOf(sums), indexVsAll: indexTo(rateOf(sums), rateOf(all)), upliftVsSingleChannel: upliftOver(rateOf(sums), rateOf(single)) } : {}),
        filteredRowCount: bucket.filteredRowCount,
      };
    })
    .sort((a, b) => ((b.reach as number | null) ?? -1) - ((a.reach as number | null) ?? -1) || compareText(String(a.segment), String(b.segment)));
  const notes = [...contextNotes(context), ...filteredRowsNotes(profile.filteredRowCount)];
  const formulas = reader.formulas(['reach', converted, ...(rate ? [rate] : [])]);
  const rateSeries = rate ? [reader.series(rate)] : [];
  return [
    {
      key: 'audience.segments',
      name: 'Segment sizes',
      viewType: 'chart',
      chart: { kind: 'bar', title: 'Segment sizes', x: { field: 'segment', type: 'category', label: humanizeColumn(column) }, series: [reader.series('reach'), ...rateSeries.map((series) => ({ ...series, secondaryAxis: true }))] },
      data: {
        rows,
        filteredRowCount: profile.filteredRowCount,
        summary: { reach: metricValue('reach', all), [converted]: metricValue(converted, all), ...(rate ? { [rate]: rateOf(all) } : {}) },
        formulas,
        notes,
        ...contextData(context),
      },
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
          reader.series('reach'),
          { field: 'shareOfReach', label: 'Share of reach', format: 'percent' },
          reader.series(converted),
          ...rateSeries,
          ...(rate
            ? [
                { field: 'indexVsAll', label: 'Index vs all groups (rate ÷ all groups\' rate)', format: 'ratio' as const },
                { field: 'upliftVsSingleChannel', label: 'Uplift vs single-channel groups (rate ÷ their rate − 1)', format: 'percent' as const },
              ]
            : []),
        ],
      },
      data: {
        rows,
        summary: {
          singleChannelReach: metricValue('reach', single),
          multiChannelReach: metricValue('reach', multi),
          multiChannelShareOfReach: shareOf(metricValue('reach', multi), metricValue('reach', all)),
          singleChannelRate: rateOf(single),
          multiChannelRate: rateOf(multi),
          multiChannelUplift: upliftOver(rateOf(multi), rateOf(single)),
        },
        formulas,
        notes: ['channels counted from the segment name ("A + B" = 2, "All three" = 3, "A only" = 1)', ...notes],
        ...contextData(context),
      },
    },
  ];
}

function reachHistoryView(context: AudienceContext, segmentColumn: string): ViewDraft {
  const rows: ChartRow[] = context.history.map((execution) => {
    const reader = readerForExecution(context, execution);
    const buckets = realBuckets(execution.profile.dimensionBreakdowns[segmentColumn]);
    const totals = buckets.length > 0 ? addSums(buckets.map((bucket) => readSums(bucket.totals, reader.frame))) : readSums(execution.profile.totals, reader.frame);
    return { window: windowLabel(execution), executionId: execution.executionId, reach: metricValue('reach', totals), filteredRowCount: execution.profile.filteredRowCount };
  });
  return {
    key: 'audience.reach-history',
    name: 'Reach over time',
    viewType: 'chart',
    chart: { kind: 'line', title: 'Reach over time', x: { field: 'window', type: 'category', label: 'Time window' }, series: [context.reader.series('reach')] },
    data: {
      rows,
      history: context.history.map(toHistoryRef),
      formulas: context.reader.formulas(['reach']),
      notes: [`reach summed over the disjoint ${humanizeColumn(segmentColumn).toLowerCase()} rows`],
    },
  };
}
