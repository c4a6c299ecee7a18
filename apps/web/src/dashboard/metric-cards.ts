import { formatValue, type ChartRow, type ValueFormat } from '@amc-reports/charts';
import type { DashboardView } from '../api-types';
import { h, replaceChildren } from '../dom';

export interface MetricCard {
  label: string;
  value: number | null;
  previous: number | null;
  format: ValueFormat;
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The headline numbers. metric_card views give them as the export worker reads them (one row per
 * metric, or one row of metrics with a "previous" row beside the latest); a dashboard without
 * such a view (a funnel) headlines its funnel stages and overall conversion. The previous value
 * comes from the view itself or from the last-but-one point of a history view.
 */
export function collectMetricCards(views: DashboardView[]): MetricCard[] {
  const cards: MetricCard[] = [];
  for (const view of views.filter((v) => v.viewType === 'metric_card' || v.chart.kind === 'metric')) {
    const { chart } = view;
    const rows = view.data?.rows ?? [];
    const summary = view.data?.summary ?? {};
    const format = (field: string): ValueFormat => chart.series.find((s) => s.field === field)?.format ?? chart.format ?? 'number';
    const periods = chart.x ? new Map(rows.map((row) => [String(row[chart.x!.field]), row])) : new Map<string, ChartRow>();
    if (chart.x && rows.length > 1 && !periods.has('latest')) {
      const series = chart.series[0];
      for (const row of rows) cards.push({ label: String(row[chart.x.field]), value: numberOrNull(row[series.field]), previous: null, format: format(series.field) });
      continue;
    }
    const latest = periods.get('latest') ?? rows[0];
    const previous = periods.get('previous');
    for (const series of chart.series) {
      cards.push({
        label: series.label,
        value: numberOrNull(latest?.[series.field] ?? summary[series.field]),
        previous: numberOrNull(previous?.[series.field]),
        format: format(series.field),
      });
    }
  }
  return cards.length > 0 ? cards : funnelHeadlines(views);
}

function funnelHeadlines(views: DashboardView[]): MetricCard[] {
  const funnel = views.find((view) => view.chart.kind === 'funnel' && view.chart.x);
  if (!funnel?.chart.x) return [];
  const history = views.find((view) => (view.data?.history?.length ?? 0) > 1)?.data?.rows ?? [];
  const before = history.length > 1 ? history[history.length - 2] : null;
  const series = funnel.chart.series[0];
  const cards: MetricCard[] = (funnel.data?.rows ?? []).map((row) => ({
    label: String(row[funnel.chart.x!.field]),
    value: numberOrNull(row[series.field]),
    previous: before && typeof row.column === 'string' ? numberOrNull(before[row.column]) : null,
    format: series.format ?? 'integer',
  }));
  const overall = funnel.data?.summary?.overallConversionRate;
  if (overall !== undefined) {
    cards.push({ label: 'Overall conversion', value: numberOrNull(overall), previous: numberOrNull(before?.overallConversionRate), format: 'percent' });
  }
  return cards;
}

/** "▲ 12.4% vs previous run"; rates change in percentage points. Arrows and words, not colour alone. */
function changeText(card: MetricCard): { text: string; direction: 'up' | 'down' | 'flat' } | null {
  if (card.value === null || card.previous === null) return null;
  const difference = card.value - card.previous;
  const direction = difference > 0 ? 'up' : difference < 0 ? 'down' : 'flat';
  const arrow = direction === 'up' ? '▲' : direction === 'down' ? '▼' : '■';
  if (card.format === 'percent') return { text: `${arrow} ${formatValue(Math.abs(difference) * 100, 'number')} pp`, direction };
  if (card.previous === 0) return null;
  return { text: `${arrow} ${formatValue(Math.abs(difference / card.previous), 'percent')}`, direction };
}

export function renderMetricCards(container: HTMLElement, views: DashboardView[]): void {
  const cards = collectMetricCards(views);
  container.hidden = cards.length === 0;
  replaceChildren(container, ...cards.map((card) => {
    const change = changeText(card);
    return h('div', { class: 'metric-card', attrs: { role: 'listitem' } },
      h('p', { class: 'metric-label' }, card.label),
      h('p', { class: 'metric-value' }, formatValue(card.value, card.format)),
      change
        ? h('p', { class: `metric-change metric-${change.direction}` }, change.text, h('span', { class: 'metric-change-label' }, ' vs previous run'))
        : h('p', { class: 'metric-change metric-none' }, card.previous === null ? 'No earlier run to compare' : ''));
  }));
}
