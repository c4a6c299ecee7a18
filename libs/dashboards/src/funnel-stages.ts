import type { MetricTotals, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { FunnelStage } from '@amc-reports/contracts/src/report-settings';
import { BASE_METRIC_IDS, type BaseMetricId, type DerivedMetric, humanizeColumn, metricLabel, metricValue, ratioMetric, readSums } from '@amc-reports/metrics';
import { UnusableResultError } from '@amc-reports/result-profile';
import { FUNNEL_STAGE_METRICS } from './dashboard-requirements';
import type { MaybeNumber, MetricReader } from './metric-reader';

/** One funnel stage: a base metric of the catalogue, or a column the settings named. */
export interface ResolvedStage {
  /** Field of the stage in view rows: the metric id (`detailPageViews`) or the column name. */
  id: string;
  label: string;
  /** Set for a settings stage: its totals are read from this column as they are. */
  column?: string;
}


/**
 * The settings' stages when given (each must be a numeric column), else impressions → clicks →
 * detail page views → add to cart → purchases, as present.
 */
export function resolveStages(profile: ResultProfile, reader: MetricReader, override: FunnelStage[] | undefined): ResolvedStage[] {
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
      // A column the catalogue knows (new_to_brand_purchases) is that metric, with its label and formulas.
      const metric = BASE_METRIC_IDS.find((id) => reader.frame.columns[id]?.columns.length === 1 && reader.frame.columns[id]?.columns[0] === column);
      if (metric && !stage.label) return { id: metric, label: metricLabel(metric, reader.frame) };
      return { id: metric ?? column, label: stage.label ?? humanizeColumn(column), column };
    });
  }
  const stages = FUNNEL_STAGE_METRICS.filter((id) => reader.has(id)).map((id) => ({ id, label: reader.label(id) }));
  if (stages.length < 2) {
    throw new UnusableResultError(
      'wrong_shape',
      `a funnel needs at least 2 stage columns (impressions, clicks, detail_page_view, add_to_cart, purchases); ` +
        `found ${stages.length === 0 ? 'none' : stages.flatMap((stage) => reader.frame.columns[stage.id as BaseMetricId]?.columns ?? []).join(', ')}. ` +
        `Name the stages in data_aggregation_settings.stages`,
    );
  }
  return stages;
}

/** Stage sums of a bucket, keyed by stage id. */
export function stageSums(stages: readonly ResolvedStage[], reader: MetricReader, totals: MetricTotals | undefined): Record<string, number> {
  const metricSums = readSums(totals, reader.frame);
  const sums: Record<string, number> = {};
  for (const stage of stages) {
    const value = stage.column ? totals?.[stage.column] : metricSums[stage.id];
    if (typeof value === 'number') sums[stage.id] = value;
  }
  return sums;
}

export function stageValues(stages: readonly ResolvedStage[], sums: Record<string, number>): MaybeNumber[] {
  return stages.map((stage) => sums[stage.id] ?? null);
}

/** Stage to stage: the catalogue's ratio when it has one (impressions → clicks is CTR), labelled by what it divides. */
export function stepMetric(from: ResolvedStage, to: ResolvedStage): DerivedMetric {
  const metric = ratioMetric(to.id, from.id);
  return from.column || to.column ? { ...metric, label: `${to.label} (of ${from.label.toLowerCase()})` } : metric;
}

/** The whole funnel: last stage over first (purchases of impressions). */
export function overallMetric(stages: readonly ResolvedStage[]): DerivedMetric {
  return stepMetric(stages[0], stages[stages.length - 1]);
}

export function rateOf(metric: DerivedMetric, sums: Record<string, number>): MaybeNumber {
  return metricValue(metric, sums);
}
