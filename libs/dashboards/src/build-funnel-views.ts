import type { ChartRow, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { DimensionBucket } from '@amc-reports/contracts/src/result-profile';
import { cleanFloat, describeFormula, formatForUnit, type MetricFrame } from '@amc-reports/metrics';
import type { DashboardBuildInput, ViewDraft } from './dashboard-build-input';
import {
  bucketLabel,
  contextData,
  contextNotes,
  type DashboardContext,
  filteredRowsNotes,
  finalizeViews,
  humanizeColumn,
  prepareDashboard,
  readerForExecution,
  toHistoryRef,
  windowLabel,
} from './dashboard-context';
import { FUNNEL_OUTCOME_METRICS as OUTCOME_METRICS } from './dashboard-requirements';
import { buildCardsView } from './metric-cards-view';
import { overallMetric, rateOf, type ResolvedStage, resolveStages, stageSums, stageValues, stepMetric } from './funnel-stages';

type FunnelContext = DashboardContext<'funnel'>;


/** Funnel dashboard (DESIGN §6): stages, stage-to-stage rates and drop-off, by campaign and ad product, per execution. */
export function buildFunnelViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('funnel', input);
  const { profile, reader, aggregation, history } = context;
  const stages = resolveStages(profile, reader, aggregation.stages);
  const overall = overallMetric(stages);
  const steps = stages.slice(1).map((stage, index) => stepMetric(stages[index], stage));
  const outcomes = reader.present([...OUTCOME_METRICS]);
  const latestSums = stageSums(stages, reader, profile.totals);
  const latestValues = stageValues(stages, latestSums);
  const notes = [...contextNotes(context), ...filteredRowsNotes(profile.filteredRowCount)];
  const formulas = {
    ...Object.fromEntries([overall, ...steps].map((metric) => [metric.id, stageFormula(metric, stages, reader.frame)])),
    ...reader.formulas([...stages.filter((stage) => !stage.column).map((stage) => stage.id), ...outcomes]),
  };
  const stageSeries: ChartSeries[] = stages.map((stage) => ({ field: stage.id, label: stage.label, format: 'number', ...(stage.column ? {} : { metric: stage.id }) }));
  const overallSeries: ChartSeries = { field: overall.id, label: overall.label, format: 'percent', metric: overall.id };

  const stageRows: ChartRow[] = stages.map((stage, index) => {
    const value = latestValues[index];
    const previous = index === 0 ? null : latestValues[index - 1];
    const rate = index === 0 ? null : rateOf(steps[index - 1], latestSums);
    return {
      stage: stage.label,
      metric: stage.id,
      value,
      rateFromPrevious: rate,
      rateFromFirst: index === 0 ? null : rateOf(stepMetric(stages[0], stage), latestSums),
      dropOff: value === null || previous === null ? null : cleanFloat(previous - value),
      dropOffRate: rate === null ? null : cleanFloat(1 - rate),
    };
  });
  const stepRows: ChartRow[] = steps.map((metric, index) => ({
    step: `${stages[index].label} → ${stages[index + 1].label}`,
    metric: metric.id,
    rate: rateOf(metric, latestSums),
    dropOffRate: stageRows[index + 1].dropOffRate,
  }));
  const weakest = stepRows.reduce<ChartRow | null>(
    (worst, row) => (row.rate !== null && (worst === null || (row.rate as number) < (worst.rate as number)) ? row : worst),
    null,
  );

  const views: ViewDraft[] = [
    buildCardsView(context, { key: 'funnel.cards', name: 'Key metrics', metrics: [...stages.filter((stage) => !stage.column).map((stage) => stage.id), overall, ...outcomes] }),
    {
      key: 'funnel.stages',
      name: 'Conversion funnel',
      viewType: 'chart',
      chart: {
        kind: 'funnel',
        title: 'Conversion funnel',
        x: { field: 'stage', type: 'category' },
        series: [{ field: 'value', label: 'Total', format: 'number' }],
      },
      data: {
        rows: stageRows,
        filteredRowCount: profile.filteredRowCount,
        summary: {
          [overall.id]: rateOf(overall, latestSums),
          ...Object.fromEntries(stages.map((stage, index) => [stage.id, latestValues[index]])),
          rowCount: profile.rowCount,
          filteredRowCount: profile.filteredRowCount,
        },
        formulas,
        notes,
        ...contextData(context),
      },
    },
    {
      key: 'funnel.conversion-rates',
      name: 'Stage-to-stage rates',
      viewType: 'chart',
      chart: {
        kind: 'bar',
        title: 'Stage-to-stage rates',
        x: { field: 'step', type: 'category', label: 'Step (next stage ÷ stage)' },
        series: [{ field: 'rate', label: 'Next stage ÷ stage', format: 'percent' }],
      },
      data: {
        rows: stepRows,
        summary: {
          [overall.id]: rateOf(overall, latestSums),
          weakestStepRate: weakest ? (weakest.rate as number) : null,
          weakestStepIndex: weakest ? stepRows.indexOf(weakest) : null,
        },
        formulas,
        notes: contextNotes(context),
        ...contextData(context),
      },
    },
  ];

  const breakdownSeries: ChartSeries[] = [...stageSeries, overallSeries, ...outcomes.map((id) => reader.series(id))];
  const breakdownRow = (bucket: DimensionBucket, labelField: string): ChartRow => {
    const sums = stageSums(stages, reader, bucket.totals);
    return {
      [labelField]: bucketLabel(bucket.key),
      ...Object.fromEntries(stages.map((stage) => [stage.id, sums[stage.id] ?? null])),
      [overall.id]: rateOf(overall, sums),
      ...reader.values(bucket.totals, outcomes),
      filteredRowCount: bucket.filteredRowCount,
    };
  };
  const lastStage = stages[stages.length - 1].id;
  const byLastStage = (a: ChartRow, b: ChartRow) => ((b[lastStage] as number | null) ?? -1) - ((a[lastStage] as number | null) ?? -1);
  const breakdownTable = (key: string, name: string, column: string, field: string, limit: number): ViewDraft => ({
    key,
    name,
    viewType: 'table',
    chart: {
      kind: 'table',
      title: name,
      x: { field, type: 'category', label: humanizeColumn(column) },
      series: [...breakdownSeries, { field: 'filteredRowCount', label: 'Withheld rows', format: 'integer' }],
      currency: context.frame.currency,
    },
    data: {
      // Largest first by the last stage; withheld keys (no values) last, still listed.
      rows: (profile.dimensionBreakdowns[column] ?? []).map((bucket) => breakdownRow(bucket, field)).sort(byLastStage).slice(0, limit),
      filteredRowCount: profile.filteredRowCount,
      formulas,
      notes,
      ...contextData(context),
    },
  });
  const { campaign, adProduct } = context.dimensions;
  if (campaign && profile.dimensionBreakdowns[campaign]) {
    views.push(breakdownTable('funnel.campaigns', 'Funnel by campaign', campaign, 'campaign', aggregation.topCampaigns));
  }
  if (adProduct && profile.dimensionBreakdowns[adProduct]) {
    views.push(breakdownTable('funnel.ad-products', 'Funnel by ad product', adProduct, 'adProduct', 100));
  }
  views.push(...historyViews(context, stages, stageSeries, overallSeries, steps, formulas));
  return finalizeViews(views, context.visualization.hiddenViews);
}

function historyViews(
  context: FunnelContext,
  stages: ResolvedStage[],
  stageSeries: ChartSeries[],
  overallSeries: ChartSeries,
  steps: ReturnType<typeof stepMetric>[],
  formulas: Record<string, string>,
): ViewDraft[] {
  const overall = overallMetric(stages);
  const historyRows: ChartRow[] = context.history.map((execution) => {
    const sums = stageSums(stages, readerForExecution(context, execution), execution.profile.totals);
    return {
      window: windowLabel(execution),
      executionId: execution.executionId,
      ...Object.fromEntries(stages.map((stage) => [stage.id, sums[stage.id] ?? null])),
      ...Object.fromEntries(steps.map((metric) => [metric.id, rateOf(metric, sums)])),
      [overall.id]: rateOf(overall, sums),
      filteredRowCount: execution.profile.filteredRowCount,
    };
  });
  const history = context.history.map(toHistoryRef);
  const common = { formulas, notes: contextNotes(context), ...contextData(context) };
  return [
    {
      key: 'funnel.history',
      name: 'Funnel over time',
      viewType: 'chart',
      chart: { kind: 'line', title: 'Funnel over time', x: { field: 'window', type: 'category', label: 'Time window' }, series: [...stageSeries, overallSeries] },
      data: { rows: historyRows, history, ...common },
    },
    {
      key: 'funnel.history-rates',
      name: 'Stage-to-stage rates over time',
      viewType: 'chart',
      chart: {
        kind: 'line',
        title: 'Stage-to-stage rates over time',
        x: { field: 'window', type: 'category', label: 'Time window' },
        series: steps.map((metric) => ({ field: metric.id, label: metric.label, format: formatForUnit(metric.unit), metric: metric.id })),
      },
      data: { rows: historyRows, history, ...common },
    },
  ];
}

/** A stage rate's formula: the catalogue's wording when both stages are catalogue metrics, else the stage names. */
function stageFormula(metric: ReturnType<typeof stepMetric>, stages: readonly ResolvedStage[], frame: MetricFrame): string {
  const from = stages.find((stage) => stage.id === metric.denominator);
  const to = stages.find((stage) => stage.id === metric.numerator);
  if (!from?.column && !to?.column) return describeFormula(metric, frame);
  const source = (stage: ResolvedStage | undefined) => (stage?.column ? `sum of ${stage.column}` : describeFormula(stage?.id ?? '', frame));
  return `${metric.label} = ${to?.label} ÷ ${from?.label}; ${to?.label}: ${source(to)}; ${from?.label}: ${source(from)}. Sums over rows, then divided.`;
}
