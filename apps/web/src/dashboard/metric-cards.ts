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
  /** The compared window also when it has no numbers (failed, missing): said, never skipped over. */
  comparison?: { window: string; state: string; reason?: string };
  /** Why a card reads "—" for a period (reach is not added across weeks): the view's notes. */
  notes?: string[];
  cards: MetricCard[];
}

const GAP_WORDS: Record<string, string> = { failed: 'failed', unusable: 'not usable by this report', missing: 'has no execution', pending: 'is not finished' };

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
    const comparison = view.data?.comparison;
    if (cards.length > 0) {
      groups.push({
        title: view.name, ...(view.data?.window ? { window: view.data.window } : {}),
        ...(comparison ? { comparison: { window: comparison.window, state: comparison.state, ...(comparison.reason ? { reason: comparison.reason } : {}) } } : {}),
        ...(view.data?.notes?.length ? { notes: view.data.notes } : {}), cards,
      });
    }
  }
  return groups;
}

/**
 * "▲ 12.4% (+1,234)": Δ % and Δ; rates change in percentage points. Arrows and words, not colour
 * alone. The page computes no metric: Δ is the difference of two values the views carry.
 */
function changeText(card: MetricCard): { text: string; direction: 'up' | 'down' | 'flat' } | null {
  if (typeof card.value !== 'number' || typeof card.previous !== 'number') return null;
  const difference = card.value - card.previous;
  const direction = difference > 0 ? 'up' : difference < 0 ? 'down' : 'flat';
  const arrow = direction === 'up' ? '▲' : direction === 'down' ? '▼' : '■';
  if (card.format === 'percent') return { text: `${arrow} ${formatValue(Math.abs(difference) * 100, 'number')} pp`, direction };
  const change = relativeChange(card.value, card.previous);
  const sign = difference > 0 ? '+' : difference < 0 ? '−' : '±';
  const delta = `${sign}${formatValue(Math.abs(difference), card.format, { currency: card.currency })}`;
  return change === null ? { text: `${arrow} ${delta}`, direction } : { text: `${arrow} ${formatValue(Math.abs(change), 'percent')} (${delta})`, direction };
}

/** good / bad / neutral from the catalogue's direction: colour backs up the arrow, never replaces it. */
function tone(card: MetricCard, direction: 'up' | 'down' | 'flat'): string {
  if (direction === 'flat' || card.upIsGood === null) return 'neutral';
  return (direction === 'up') === card.upIsGood ? 'good' : 'bad';
}

function renderCard(card: MetricCard, group: CardGroup): HTMLElement {
  const previousWindow = group.window?.previous;
  const gap = group.comparison && group.comparison.state !== 'ok' ? group.comparison : null;
  const change = gap ? null : changeText(card);
  const value = typeof card.value === 'string' ? card.value : formatValue(card.value, card.format, { currency: card.currency });
  const comparedWith = previousWindow ? ` vs ${previousWindow}` : ' vs previous run';
  const noChange = gap
    ? `No comparison: ${gap.window} ${GAP_WORDS[gap.state] ?? gap.state}`
    : typeof card.value === 'string' ? '' : card.previous === null ? (group.comparison ? `No value in ${group.comparison.window}` : 'No earlier run to compare') : '';
  return h('div', { class: 'metric-card', attrs: { role: 'listitem', ...(card.formula ? { title: card.formula } : {}) } },
    h('p', { class: `metric-label${card.formula ? ' has-formula' : ''}` }, card.label),
    h('p', { class: 'metric-value' }, value),
    change
      ? h('p', { class: `metric-change metric-${change.direction}`, dataset: { tone: tone(card, change.direction) } }, change.text, h('span', { class: 'metric-change-label' }, comparedWith))
      : h('p', { class: 'metric-change metric-none' }, noChange),
    card.formula ? h('p', { class: 'sr-only' }, card.formula) : null);
}

/** ", compared with 2026-11-09 – 2026-11-15", or why not: ", not compared: 2026-11-09 – 2026-11-15 failed (reason)". */
function windowComparison(group: CardGroup): string {
  const comparison = group.comparison;
  if (comparison && comparison.state !== 'ok') {
    return `, not compared: ${comparison.window} ${GAP_WORDS[comparison.state] ?? comparison.state}${comparison.reason ? ` (${comparison.reason})` : ''}`;
  }
  const previous = group.window?.previous;
  return previous ? `, compared with ${previous}${comparison?.reason ? ` (${comparison.reason})` : ''}` : '';
}

export function renderMetricCards(container: HTMLElement, views: DashboardView[]): void {
  const groups = collectMetricCards(views);
  container.hidden = groups.length === 0;
  replaceChildren(container, ...groups.map((group) =>
    h('section', { class: 'metric-group', attrs: { 'aria-label': group.title } },
      group.window ? h('p', { class: 'metric-window muted small' }, `${group.title} · ${group.window.latest}${windowComparison(group)}`) : null,
      h('div', { class: 'metric-grid', attrs: { role: 'list' } }, ...group.cards.map((card) => renderCard(card, group))),
      group.notes && group.cards.some((card) => card.value === null)
        ? h('details', { class: 'metric-notes note' }, h('summary', null, 'Why some cards read —'), h('ul', { class: 'formula-list' }, ...group.notes.map((note) => h('li', null, note))))
        : null)));
}
