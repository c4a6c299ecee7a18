import type { ChartRow, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { MetricTotals, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { FunnelStage } from '@amc-reports/contracts/src/report-settings';
import { UnusableResultError } from '../profile/unusable-result.error';
import type { DetectedColumns } from './column-detection';
import type { DashboardBuildInput, ViewDraft } from './dashboard-build-input';
import {
  bucketLabel,
  filteredRowsNotes,
  finalizeViews,
  humanizeColumn,
  prepareDashboard,
  toHistoryRef,
  windowLabel,
} from './dashboard-context';
import { type MaybeNumber, ratio } from './metric-values';

interface ResolvedStage {
  column: string;
  label: string;
}

/** Funnel dashboard (DESIGN §6): stages, conversion and drop-off, per campaign, per execution. */
export function buildFunnelViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('funnel', input);
  const { profile, columns, aggregation, history } = context;
  const stages = resolveStages(profile, columns, aggregation.stages);
  const stageValues = (totals: MetricTotals | undefined): MaybeNumber[] =>
    stages.map((stage) => (totals && totals[stage.column] !== undefined ? totals[stage.column] : null));

  const latestValues = stageValues(profile.totals);
  const overallRate = ratio(latestValues[latestValues.length - 1], latestValues[0]);
  const stageRows: ChartRow[] = stages.map((stage, index) => {
    const value = latestValues[index];
    const previous = index === 0 ? null : latestValues[index - 1];
    return {
      stage: stage.label,
      column: stage.column,
      value,
      rateFromPrevious: ratio(value, previous),
      rateFromFirst: ratio(value, latestValues[0]),
      dropOff: value === null || previous === null ? null : previous - value,
      dropOffRate: index === 0 ? null : dropOffRate(value, previous),
    };
  });
  const stepRows: ChartRow[] = stages.slice(1).map((stage, index) => ({
    step: `${stages[index].label} → ${stage.label}`,
    rate: ratio(latestValues[index + 1], latestValues[index]),
    dropOffRate: dropOffRate(latestValues[index + 1], latestValues[index]),
  }));
  const weakest = stepRows.reduce<ChartRow | null>(
    (worst, row) => (row.rate !== null && (worst === null || (row.rate as number) < (worst.rate as number)) ? row : worst),
    null,
  );
  const filteredNotes = filteredRowsNotes(profile.filteredRowCount);
  const stageSeries: ChartSeries[] = stages.map((stage) => ({ field: stage.column, label: stage.label, format: 'integer' }));

  const views: ViewDraft[] = [
    {
      key: 'funnel.stages',
      name: 'Conversion funnel',
      viewType: 'chart',
      chart: {
        kind: 'funnel',
        title: 'Conversion funnel',
        x: { field: 'stage', type: 'category' },
        series: [{ field: 'value', label: 'Total', format: 'integer' }],
      },
      data: {
        rows: stageRows,
        filteredRowCount: profile.filteredRowCount,
        summary: {
          overallConversionRate: overallRate,
          ...Object.fromEntries(stages.map((stage, index) => [stage.column, latestValues[index]])),
          rowCount: profile.rowCount,
          filteredRowCount: profile.filteredRowCount,
        },
        notes: filteredNotes,
      },
    },
    {
      key: 'funnel.conversion-rates',
      name: 'Stage-to-stage conversion',
      viewType: 'chart',
      chart: {
        kind: 'bar',
        title: 'Stage-to-stage conversion',
        x: { field: 'step', type: 'category' },
        series: [{ field: 'rate', label: 'Conversion rate', format: 'percent' }],
      },
      data: {
        rows: stepRows,
        summary: {
          overallConversionRate: overallRate,
          weakestStepRate: weakest ? (weakest.rate as number) : null,
          weakestStepIndex: weakest ? stepRows.indexOf(weakest) : null,
        },
      },
    },
  ];

  const campaignColumn = columns.dimensions.campaign;
  const campaignBuckets = campaignColumn ? profile.dimensionBreakdowns[campaignColumn] : undefined;
  if (campaignColumn && campaignBuckets) {
    const rows = campaignBuckets.map((bucket) => {
      const values = stageValues(bucket.totals);
      return {
        campaign: bucketLabel(bucket.key),
        ...Object.fromEntries(stages.map((stage, index) => [stage.column, values[index]])),
        overallConversionRate: ratio(values[values.length - 1], values[0]),
        filteredRowCount: bucket.filteredRowCount,
      } as ChartRow;
    });
    // Largest first by the last stage; withheld campaigns (no values) last, still listed.
    const lastField = stages[stages.length - 1].column;
    rows.sort((a, b) => ((b[lastField] as number | null) ?? -1) - ((a[lastField] as number | null) ?? -1));
    views.push({
      key: 'funnel.campaigns',
      name: 'Funnel by campaign',
      viewType: 'table',
      chart: {
        kind: 'table',
        title: 'Funnel by campaign',
        x: { field: 'campaign', type: 'category', label: humanizeColumn(campaignColumn) },
        series: [
          ...stageSeries,
          { field: 'overallConversionRate', label: 'Overall conversion', format: 'percent' },
          { field: 'filteredRowCount', label: 'Withheld rows', format: 'integer' },
        ],
      },
      data: { rows: rows.slice(0, aggregation.topCampaigns), filteredRowCount: profile.filteredRowCount, notes: filteredNotes },
    });
  }

  const historyRows: ChartRow[] = history.map((execution) => {
    const values = stageValues(execution.profile.totals);
    const rates = Object.fromEntries(stages.slice(1).map((stage, index) => [`rate_${stage.column}`, ratio(values[index + 1], values[index])]));
    return {
      window: windowLabel(execution),
      executionId: execution.executionId,
      ...Object.fromEntries(stages.map((stage, index) => [stage.column, values[index]])),
      ...rates,
      overallConversionRate: ratio(values[values.length - 1], values[0]),
      filteredRowCount: execution.profile.filteredRowCount,
    };
  });
  const historyRefs = history.map(toHistoryRef);
  views.push(
    {
      key: 'funnel.history',
      name: 'Funnel over time',
      viewType: 'chart',
      chart: {
        kind: 'line',
        title: 'Funnel over time',
        x: { field: 'window', type: 'category', label: 'Time window' },
        series: [...stageSeries, { field: 'overallConversionRate', label: 'Overall conversion', format: 'percent', secondaryAxis: true }],
      },
      data: { rows: historyRows, history: historyRefs },
    },
    {
      key: 'funnel.history-rates',
      name: 'Stage conversion over time',
      viewType: 'chart',
      chart: {
        kind: 'line',
        title: 'Stage conversion over time',
        x: { field: 'window', type: 'category', label: 'Time window' },
        series: stages.slice(1).map((stage, index) => ({
          field: `rate_${stage.column}`,
          label: `${stages[index].label} → ${stage.label}`,
          format: 'percent' as const,
        })),
      },
      data: { rows: historyRows, history: historyRefs },
    },
  );
  return finalizeViews(views, context.visualization.hiddenViews);
}

function dropOffRate(value: MaybeNumber, previous: MaybeNumber): MaybeNumber {
  const rate = ratio(value, previous);
  return rate === null ? null : 1 - rate;
}

const DEFAULT_STAGE_LABELS = {
  impressions: 'Impressions',
  clicks: 'Clicks',
  detailPageViews: 'Detail page views',
  addToCart: 'Add to cart',
  purchases: 'Purchases',
} as const;

/**
 * The settings' stages when given (each must be a numeric column), else impressions → clicks (or
 * detail page views when there are no clicks) → add to cart → purchases, as present.
 */
export function resolveStages(profile: ResultProfile, columns: DetectedColumns, override: FunnelStage[] | undefined): ResolvedStage[] {
  if (override) {
    const metrics = new Map(profile.metrics.map((name) => [name.toLowerCase(), name]));
    return override.map((stage) => {
      const column = metrics.get(stage.column.toLowerCase());
      if (!column) {
        throw new UnusableResultError(
          'wrong_shape',
          `funnel stage "${stage.column}" is not a numeric column of the result (numeric columns: ${profile.metrics.join(', ')})`,
        );
      }
      return { column, label: stage.label ?? humanizeColumn(column) };
    });
  }
  const roles = ['impressions', columns.metrics.clicks ? 'clicks' : 'detailPageViews', 'addToCart', 'purchases'] as const;
  const stages = roles.flatMap((role) => {
    const column = columns.metrics[role];
    return column ? [{ column, label: DEFAULT_STAGE_LABELS[role] }] : [];
  });
  if (stages.length < 2) {
    throw new UnusableResultError(
      'wrong_shape',
      `a funnel needs at least 2 stage columns (impressions, clicks or detail_page_view, add_to_cart, purchases); ` +
        `found ${stages.length === 0 ? 'none' : stages.map((stage) => stage.column).join(', ')}. ` +
        `Name the stages in data_aggregation_settings.stages`,
    );
  }
  return stages;
}
