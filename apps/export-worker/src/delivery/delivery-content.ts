import { createHash } from 'node:crypto';
import type { ValueFormat } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';

/** One number the dashboard headlines (a metric card, a funnel stage, a view's summary figure). */
export interface MetricValue {
  key: string;
  label: string;
  value: number | null;
  format: ValueFormat;
  /** Shown in the message (cards and stages); summary figures are only there for conditions. */
  shown: boolean;
}

export interface InsightLine {
  type: string;
  text: string;
  confidence: number;
  /** The finding's metric (column or KPI field) and how the wording names it, for "<metric> anomaly". */
  metric: string | null;
  metricLabel: string | null;
  /**
   * Whether a client reads it: at or above the report's `export_settings.minInsightConfidence`
   * (default 0.3) and not a weak finding, as in exports. Messages show only these; conditions
   * (alerts on an insight or an anomaly) judge every insight. Absent means shown.
   */
  clientGrade?: boolean;
}

/** What a delivery says: the report, the execution it reports on, its headline numbers and insights. */
export interface DeliveryContent {
  report: { id: string; name: string; dashboardType: string };
  /** `timeZone`: the event's, in which the window's days are read (AMC's end is exclusive). */
  execution: { id: string; timeWindowStart: Date; timeWindowEnd: Date; timeZone?: string | null; completedAt: Date | null; rowCount: number | null } | null;
  metrics: MetricValue[];
  /** Best first. */
  insights: InsightLine[];
  dashboardUrl: string;
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The headline numbers of a dashboard, read the way the page and the PDF read metric cards: one
 * row per metric, or a `period` row (latest / previous) whose series are the metrics; a funnel
 * without cards headlines its stages. Every view's `summary` figures are kept too (not shown), so
 * a condition can name them (`overallConversionRate < 0.02`).
 */
export function collectDeliveryMetrics(views: readonly BuiltView[]): MetricValue[] {
  const metrics: MetricValue[] = [];
  const seen = new Set<string>();
  const add = (metric: MetricValue) => {
    if (seen.has(metric.key)) return;
    seen.add(metric.key);
    metrics.push(metric);
  };
  for (const view of views) {
    const spec = view.chart;
    const rows = view.data?.rows ?? [];
    if (view.viewType !== 'metric_card' && spec.kind !== 'metric') continue;
    const format = (field: string): ValueFormat => spec.series.find((s) => s.field === field)?.format ?? spec.format ?? 'number';
    if (spec.x && spec.x.field !== 'period' && rows.length > 1 && spec.series[0]) {
      const series = spec.series[0];
      for (const row of rows) {
        const label = String(row[spec.x.field]);
        add({ key: label, label, value: numberOrNull(row[series.field]), format: format(series.field), shown: true });
      }
      continue;
    }
    const latest = spec.x?.field === 'period' ? rows.find((row) => row.period === 'latest') ?? rows[0] : rows[0];
    for (const series of spec.series) {
      add({ key: series.field, label: series.label, value: numberOrNull(latest?.[series.field] ?? view.data?.summary?.[series.field]), format: format(series.field), shown: true });
    }
  }
  if (metrics.length === 0) {
    const funnel = views.find((view) => view.chart.kind === 'funnel' && view.chart.x);
    const series = funnel?.chart.series[0];
    if (funnel?.chart.x && series) {
      for (const row of funnel.data?.rows ?? []) {
        const label = String(row[funnel.chart.x.field]);
        const key = typeof row.column === 'string' ? row.column : label;
        add({ key, label, value: numberOrNull(row[series.field]), format: series.format ?? 'integer', shown: true });
      }
    }
  }
  for (const view of views) {
    for (const [key, value] of Object.entries(view.data?.summary ?? {})) {
      const shownAlready = seen.has(key);
      if (!shownAlready) add({ key, label: key, value: numberOrNull(value), format: /rate|ctr|share/i.test(key) ? 'percent' : 'number', shown: false });
    }
  }
  return metrics;
}

/** Metric names as people write them: case, spaces, dashes and underscores do not matter. */
export const normalizeMetricName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

export function findMetric(metrics: readonly MetricValue[], name: string): MetricValue | undefined {
  const wanted = normalizeMetricName(name);
  return metrics.find((metric) => normalizeMetricName(metric.key) === wanted) ?? metrics.find((metric) => normalizeMetricName(metric.label) === wanted);
}

/**
 * What "only when something changed" compares: the time window, the numbers and the insights a
 * delivery reports (not ids or timestamps, which change with every run whatever the data).
 */
export function contentFingerprint(content: DeliveryContent): string {
  const canonical = JSON.stringify({
    window: content.execution ? [content.execution.timeWindowStart.toISOString(), content.execution.timeWindowEnd.toISOString()] : null,
    metrics: content.metrics.map((metric) => [metric.key, metric.value]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    insights: content.insights.map((insight) => [insight.type, insight.text, insight.confidence]).sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
