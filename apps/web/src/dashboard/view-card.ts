import { formatValue } from '@amc-reports/charts';
import type { DashboardView } from '../api-types';
import { h, replaceChildren } from '../dom';

/** One dashboard view on the page; updated in place when a new execution lands. */
export interface ViewPanel {
  element: HTMLElement;
  update(view: DashboardView): void;
  dispose(): void;
}

export interface ViewCardParts {
  element: HTMLElement;
  body: HTMLElement;
  setFootnotes(view: DashboardView): void;
}

/** The card around a view: its name as a heading, the body, and its notes (withheld rows first). */
/** "2026-11-23 – 2026-11-29 vs 2026-11-16 – 2026-11-22": both windows named on every view that compares. */
function windowCaption(view: DashboardView): string {
  const window = view.data?.window;
  const comparison = view.data?.comparison;
  if (!window?.latest) return '';
  if (comparison && comparison.state !== 'ok') return `${window.latest} · not compared: ${comparison.window} ${comparison.state === 'missing' ? 'has no execution' : comparison.state}`;
  return window.previous ? `${window.latest} vs ${window.previous}` : window.latest;
}

export function createViewCard(view: DashboardView, wide: boolean): ViewCardParts {
  const headingId = `view-${view.id ?? view.key.replace(/[^a-z0-9-]/gi, '-')}-title`;
  const footnotes = h('div', { class: 'view-notes' });
  const caption = h('p', { class: 'view-window muted small' });
  const body = h('div', { class: 'view-body' });
  const element = h('section', {
    class: `card view-card${wide ? ' view-wide' : ''}`,
    attrs: { 'aria-labelledby': headingId },
    dataset: { viewKey: view.key, viewType: view.viewType },
  }, h('header', { class: 'card-header' }, h('h3', { attrs: { id: headingId } }, view.name), caption), body, footnotes);
  return {
    element,
    body,
    setFootnotes(current) {
      caption.textContent = windowCaption(current);
      const withheld = current.data?.filteredRowCount ?? 0;
      const notes = current.data?.notes ?? [];
      const formulas = Object.values(current.data?.formulas ?? {});
      replaceChildren(footnotes,
        withheld > 0 ? h('p', { class: 'note note-withheld' },
          `${formatValue(withheld, 'integer')} result ${withheld === 1 ? 'row was' : 'rows were'} withheld by AMC's privacy thresholds: ${withheld === 1 ? 'it is' : 'they are'} counted here, never summed as zero.`) : null,
        ...notes.filter((note) => !(withheld > 0 && /withheld|filtered/i.test(note))).map((note) => h('p', { class: 'note' }, note)),
        // Each number's formula, from the metric layer (also the tooltip of its column header).
        formulas.length > 0
          ? h('details', { class: 'note formulas' }, h('summary', null, 'How these numbers are computed'), h('ul', { class: 'formula-list' }, ...formulas.map((formula) => h('li', null, formula))))
          : null);
    },
  };
}
