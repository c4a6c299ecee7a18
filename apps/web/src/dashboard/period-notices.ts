import type { ComparisonView, Dashboard, PeriodView, WindowGapView } from '../api-types';
import { formatWindow } from '../display-format';
import { h } from '../dom';

const GAP_WORDS: Record<WindowGapView['state'], string> = {
  failed: 'failed', unusable: 'not usable by this report', missing: 'no execution', pending: 'not finished',
};
const KIND_WORDS: Record<PeriodView['kind'], string> = { latest: 'the latest window', execution: 'one execution', range: 'a range' };
const COMPARISON_WORDS: Record<ComparisonView['comparison'], string> = {
  previous: 'the window before', year: 'the same window a year earlier', execution: 'the chosen execution',
};
const RANGE_COMPARISON_WORDS: Record<ComparisonView['comparison'], string> = {
  previous: 'the period before', year: 'the same period a year earlier', execution: 'the chosen execution',
};
const comparedAs = (comparison: ComparisonView) => (comparison.kind === 'range' ? RANGE_COMPARISON_WORDS : COMPARISON_WORDS)[comparison.comparison];

function gapText(gap: WindowGapView): string {
  return `${formatWindow(gap.timeWindow)} (${GAP_WORDS[gap.state]}${gap.reason ? `: ${gap.reason}` : ''})`;
}

/** Why a window has no numbers, in a few words: "failed: PrivacyThresholdNotMet: …". */
function stateText(view: PeriodView): string {
  const words = view.state === 'ok' ? '' : GAP_WORDS[view.state];
  return view.reason ? `${words}: ${view.reason}` : words;
}

/**
 * "Showing Nov 23 – Nov 29, 2026 (the latest window) · compared with Nov 16 – Nov 22, 2026 (the
 * window before)": the header names the window the cards show, and the one they are compared
 * with, also when that one is a gap; a range says which windows its totals miss.
 */
export function periodLine(dashboard: Dashboard): Node[] {
  const period = dashboard.period;
  if (!period) return [];
  const executions = period.kind === 'range' ? ` · ${period.executionIds.length} execution${period.executionIds.length === 1 ? '' : 's'} added up` : '';
  const parts: Node[] = [
    h('span', { class: 'period-shown' }, 'Showing ', h('strong', { dataset: { window: 'shown' } }, formatWindow(period.timeWindow)), ` (${KIND_WORDS[period.kind]}${executions})`),
  ];
  if (period.replacedBy) parts.push(h('span', { class: 'tag tag-muted', attrs: { title: 'A newer execution of the same window replaced this one (late attributed conversions).' } }, 'Replaced by a re-run'));
  const comparison = dashboard.comparison;
  if (comparison) {
    parts.push(comparison.state === 'ok'
      ? h('span', { class: 'period-compared' }, ' · compared with ', h('strong', { dataset: { window: 'compared' } }, formatWindow(comparison.timeWindow)), ` (${comparedAs(comparison)})`)
      : h('span', { class: 'period-compared period-gap' }, ' · no comparison: ', h('strong', { dataset: { window: 'compared' } }, formatWindow(comparison.timeWindow)),
        ` (${comparedAs(comparison)}) ${stateText(comparison)}`));
  }
  if (period.gaps.length > 0) parts.push(h('span', { class: 'period-gaps' }, ` · not in these totals: ${period.gaps.map(gapText).join('; ')}`));
  if (comparison && comparison.state === 'ok' && comparison.gaps.length > 0) {
    parts.push(h('span', { class: 'period-gaps' }, ` · the compared period misses ${comparison.gaps.map(gapText).join('; ')}`));
  }
  if (period.excluded.length > 0) {
    parts.push(h('span', { class: 'period-gaps' }, ` · left out: ${period.excluded.map((entry) => `${entry.window} (${entry.reason})`).join('; ')}`));
  }
  return parts;
}

export interface Banner {
  kind: 'failed' | 'unusable' | 'pending' | 'period';
  element: HTMLElement;
}

/**
 * The banner over the dashboard: a latest run it cannot show — failed in AMC, or a result this
 * report cannot use (what was wrong, what the report expected) — and which window it shows instead;
 * or a chosen window that has no numbers.
 */
export function alertFor(dashboard: Dashboard): Banner | null {
  const problem = dashboard.problem;
  const lines: HTMLElement[] = [];
  let kind: Banner['kind'] | null = null;
  if (problem) {
    kind = problem.outcome;
    const window = formatWindow(problem.timeWindow);
    const reason = `${problem.code ? `${problem.code}: ` : ''}${problem.message}`;
    const showing = problem.showing
      ? h('span', { class: 'banner-showing' }, ' The dashboard shows the previous good execution: ', h('strong', null, formatWindow(problem.showing)), '.')
      : h('span', { class: 'banner-showing' }, ' There is no earlier good execution to show.');
    if (problem.outcome === 'unusable') {
      lines.push(h('p', { class: 'banner-unusable' },
        h('strong', null, `The latest run (${window}) finished in AMC, but this report cannot use its result.`),
        ' ', h('span', { class: 'banner-reason' }, `What was wrong: ${problem.message}.`),
        problem.expected ? h('span', { class: 'banner-expected' }, ` What the report expected: ${problem.expected}.`) : null,
        showing));
    } else if (problem.outcome === 'failed') {
      lines.push(h('p', { class: 'banner-failed' }, h('strong', null, `The latest run (${window}) failed.`), ' ', h('span', { class: 'banner-reason' }, reason), showing));
    } else {
      lines.push(h('p', { class: 'banner-pending' }, h('strong', null, `The latest run (${window}) is not finished yet.`), showing));
    }
  }
  const period = dashboard.period;
  if (period && period.state !== 'ok') {
    kind ??= 'period';
    lines.push(h('p', { class: 'banner-period' },
      h('strong', null, `${period.kind === 'range' ? 'This range' : 'This execution'} (${formatWindow(period.timeWindow)}) has no numbers to show: ${GAP_WORDS[period.state]}.`),
      period.reason ? h('span', { class: 'banner-reason' }, ` ${period.reason}`) : null));
  }
  return kind ? { kind, element: h('div', { class: 'banner-lines' }, ...lines) } : null;
}
