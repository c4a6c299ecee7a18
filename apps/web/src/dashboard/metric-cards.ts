import { formatValue, type ChartRow, type ValueFormat } from '@amc-reports/charts';
import { findMetric, relativeChange } from '@amc-reports/metrics';
import type { DashboardView } from '../api-types';
import { h, replaceChildren } from '../dom';

export interface MetricCard {
  label: string;
  /** A number, or text for a card that names something (the frequency where the purchase rate peaks). */
  value: number | string | null;
  previous: number | string | null;
  format: ValueFormat;
  currency?: string;
  /** The metric layer's formula with the result's columns: the card's tooltip. */
  formula?: string;
  /** From the catalogue: a rise is good news (true), bad news (false) or neither (null). */
  upIsGood: boolean | null;
}

export interface CardGroup {
  title: string;
  /** "2026-10-01 – 2026-10-31", and the window the cards are compared with. */
  window?: { latest: string; previous?: string };
  cards: MetricCard[];
}

const shown = (value: unknown): number | string | null =>
  (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string' ? (value as number | string) : null;

/**
 * The headline numbers, as the builders laid them out in metric_card views (the latest execution
 * and the previous usable one side by side, or one row per metric). The page computes nothing:
 * values, labels and formulas come from the views, which the metric layer wrote.
 */
export function collectMetricCards(views: DashboardView[]): CardGroup[] {
  const groups: CardGroup[] = [];
  for (const view of views.filter((v) => v.viewType === 'metric_card' || v.chart.kind === 'metric')) {
    const { chart } = view;
    const rows = view.data?.rows ?? [];
    const summary = view.data?.summary ?? {};
    const formulas = view.data?.formulas ?? {};
    const cards: MetricCard[] = [];
    const format = (field: string): ValueFormat => chart.series.find((s) => s.field === field)?.format ?? chart.format ?? 'number';
    const periods = chart.x ? new Map(rows.map((row) => [String(row[chart.x!.field]), row])) : new Map<string, ChartRow>();
    if (chart.x && rows.length > 1 && !periods.has('latest')) {
      const series = chart.series[0];
      for (const row of rows) {
        cards.push({ label: String(row[chart.x.field]), value: shown(row[series.field]), previous: null, format: format(series.field), currency: chart.currency, upIsGood: null });
      }
    } else {
      const latest = periods.get('latest') ?? rows[0];
      const previous = periods.get('previous');
      for (const series of chart.series) {
        cards.push({
          label: series.label,
          value: shown(latest?.[series.field] ?? summary[series.field]),
          previous: shown(previous?.[series.field]),
          format: format(series.field),
          currency: chart.currency,
          ...(formulas[series.field] ? { formula: formulas[series.field] } : {}),
          upIsGood: series.metric ? (findMetric(series.metric)?.upIsGood ?? null) : null,
        });
      }
    }
    if (cards.length > 0) groups.push({ title: view.name, ...(view.data?.window ? { window: view.data.window } : {}), cards });
  }
  return groups;
}

/** "▲ 12.4% vs previous run"; rates change in percentage points. Arrows and words, not colour alone. */
function changeText(card: MetricCard): { text: string; direction: 'up' | 'down' | 'flat' } | null {
  if (typeof card.value !== 'number' || typeof card.previous !== 'number') return null;
  const difference = card.value - card.previous;
  const direction = difference > 0 ? 'up' : difference < 0 ? 'down' : 'flat';
  const arrow = direction === 'up' ? '▲' : direction === 'down' ? '▼' : '■';
  if (card.format === 'percent') return { text: `${arrow} ${formatValue(Math.abs(difference) * 100, 'number')} pp`, direction };
  const change = relativeChange(card.value, card.previous);
  return change === null ? null : { text: `${arrow} ${formatValue(Math.abs(change), 'percent')}`, direction };
}

/** good / bad / neutral from the catalogue's direction: colour backs up the arrow, never replaces it. */
function tone(card: MetricCard, direction: 'up' | 'down' | 'flat'): string {
  if (direction === 'flat' || card.upIsGood === null) return 'neutral';
  return (direction === 'up') === card.upIsGood ? 'good' : 'bad';
}

function renderCard(card: MetricCard, previousWindow: string | undefined): HTMLElement {
  const change = changeText(card);
  const value = typeof card.value === 'string' ? card.value : formatValue(card.value, card.format, { currency: card.currency });
  const comparedWith = previousWindow ? ` vs ${previousWindow}` : ' vs previous run';
  return h('div', { class: 'metric-card', attrs: { role: 'listitem', ...(card.formula ? { title: card.formula } : {}) } },
    h('p', { class: `metric-label${card.formula ? ' has-formula' : ''}` }, card.label),
    h('p', { class: 'metric-value' }, value),
    change
      ? h('p', { class: `metric-change metric-${change.direction}`, dataset: { tone: tone(card, change.direction) } }, change.text, h('span', { class: 'metric-change-label' }, comparedWith))
      : h('p', { class: 'metric-change metric-none' }, typeof card.value === 'string' ? '' : card.previous === null ? 'No earlier run to compare' : ''),
    card.formula ? h('p', { class: 'sr-only' }, card.formula) : null);
}

export function renderMetricCards(container: HTMLElement, views: DashboardView[]): void {
  const groups = collectMetricCards(views);
  container.hidden = groups.length === 0;
  replaceChildren(container, ...groups.map((group) =>
    h('section', { class: 'metric-group', attrs: { 'aria-label': group.title } },
      group.window ? h('p', { class: 'metric-window muted small' }, `${group.title} · ${group.window.latest}${group.window.previous ? `, compared with ${group.window.previous}` : ''}`) : null,
      h('div', { class: 'metric-grid', attrs: { role: 'list' } }, ...group.cards.map((card) => renderCard(card, group.window?.previous))))));
}
