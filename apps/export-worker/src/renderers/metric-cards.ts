import { formatValue } from '@amc-reports/charts';
import type { ValueFormat } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { viewPresentation } from './export-document';

export interface MetricCard {
  viewKey: string;
  label: string;
  value: string;
  /** The card's formula from the metric layer (the PDF's footnote), when it is a catalogue metric. */
  formula?: string;
  /** The number behind `value` (the Excel cover writes it as a number in `format`). */
  raw?: number;
  format?: ValueFormat;
  currency?: string;
}

/**
 * The cards a metric_card view shows. A view either lists one row per metric (x = metric name,
 * first series = value), or rows per period (x = `period`: the latest, then the previous) whose
 * series are the metrics, or one row whose series are the metrics; a value missing from the row
 * falls back to the view's summary. A null value (AMC withheld it) shows as a dash, never as 0;
 * a text card (the frequency bucket where the purchase rate peaks) shows its text.
 */
export function collectMetricCards(views: BuiltView[]): MetricCard[] {
  const cards: MetricCard[] = [];
  for (const view of views) {
    if (viewPresentation(view) !== 'metric') continue;
    const spec = view.chart;
    const rows = view.data.rows;
    const currency = { currency: spec.currency };
    const periodRows = spec.x?.field === 'period';
    if (spec.x && !periodRows && rows.length > 1 && spec.series.length > 0) {
      const series = spec.series[0];
      for (const row of rows) {
        const value = shown(row[series.field]);
        cards.push({
          viewKey: view.key, label: String(row[spec.x.field] ?? series.label), value: formatValue(value, series.format ?? spec.format, currency),
          ...numeric(value, series.format ?? spec.format, spec.currency),
        });
      }
      continue;
    }
    const latest = periodRows ? rows.find((row) => row.period === 'latest') ?? rows[0] : rows[0];
    for (const series of spec.series) {
      const raw = latest?.[series.field] ?? view.data.summary?.[series.field] ?? null;
      const label = spec.series.length === 1 && series.label === series.field ? view.name : series.label;
      const formula = view.data.formulas?.[series.field];
      const value = shown(raw);
      cards.push({
        viewKey: view.key, label, value: formatValue(value, series.format ?? spec.format, currency), ...(formula ? { formula } : {}),
        ...numeric(value, series.format ?? spec.format, spec.currency),
      });
    }
  }
  return cards;
}

/** "2026-10-01 – 2026-10-31 (compared with 2026-09-01 – 2026-09-30)": the window the cards' numbers cover. */
export function cardsWindow(views: BuiltView[]): string | undefined {
  const window = views.find((view) => viewPresentation(view) === 'metric' && view.data.window)?.data.window;
  if (!window) return undefined;
  return window.previous ? `${window.latest} (compared with ${window.previous})` : window.latest;
}

function numeric(value: number | string | null, format: ValueFormat | undefined, currency: string | undefined): Pick<MetricCard, 'raw' | 'format' | 'currency'> {
  return typeof value === 'number' ? { raw: value, ...(format ? { format } : {}), ...(currency ? { currency } : {}) } : {};
}

function shown(value: unknown): number | string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return typeof value === 'string' ? value : null;
}
