import { formatValue } from '@amc-reports/charts';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { viewPresentation } from './export-document';

export interface MetricCard {
  viewKey: string;
  label: string;
  value: string;
}

/**
 * The cards a metric_card view shows. A view either lists one row per metric (x = metric name,
 * first series = value), or rows per period (x = `period`: the latest, then the previous) whose
 * series are the metrics, or one row whose series are the metrics; a value missing from the row
 * falls back to the view's summary. A null value (AMC withheld it) shows as a dash, never as 0.
 */
export function collectMetricCards(views: BuiltView[]): MetricCard[] {
  const cards: MetricCard[] = [];
  for (const view of views) {
    if (viewPresentation(view) !== 'metric') continue;
    const spec = view.chart;
    const rows = view.data.rows;
    const periodRows = spec.x?.field === 'period';
    if (spec.x && !periodRows && rows.length > 1 && spec.series.length > 0) {
      const series = spec.series[0];
      for (const row of rows) {
        cards.push({ viewKey: view.key, label: String(row[spec.x.field] ?? series.label), value: formatValue(numberOrNull(row[series.field]), series.format ?? spec.format) });
      }
      continue;
    }
    const latest = periodRows ? rows.find((row) => row.period === 'latest') ?? rows[0] : rows[0];
    for (const series of spec.series) {
      const raw = latest?.[series.field] ?? view.data.summary?.[series.field] ?? null;
      const label = spec.series.length === 1 && series.label === series.field ? view.name : series.label;
      cards.push({ viewKey: view.key, label, value: formatValue(numberOrNull(raw), series.format ?? spec.format) });
    }
  }
  return cards;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
