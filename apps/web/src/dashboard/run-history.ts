import { formatValue } from '@amc-reports/charts';
import type { RunState } from '../api-types';
import { runStatusPill } from '../components/badges';
import { formatMoment, formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';

/** Every recent execution of the workflow, newest first, failed ones with AMC's reason. */
export function renderRunHistory(container: HTMLElement, history: RunState[]): void {
  if (history.length === 0) {
    replaceChildren(container, h('p', { class: 'empty' }, 'No executions yet.'));
    return;
  }
  const rows = history.map((run) => h('tr', { class: run.superseded ? 'superseded' : undefined, dataset: { executionId: run.executionId, status: run.status } },
    h('th', { attrs: { scope: 'row' } }, formatWindow(run.timeWindow),
      run.superseded ? h('span', { class: 'tag tag-muted', attrs: { title: 'A newer execution of the same window replaced this one (late attributed conversions).' } }, 'Replaced') : null),
    h('td', null, runStatusPill(run.status)),
    h('td', null, formatMoment(run.completedAt)),
    h('td', { class: 'numeric' }, formatValue(run.rowCount, 'integer')),
    h('td', { class: 'numeric' }, formatValue(run.filteredRowCount, 'integer')),
    h('td', { class: 'reason' }, run.error ? h('span', null, run.error.code ? h('code', null, run.error.code) : null, ' ', run.error.message) : h('span', { class: 'muted' }, '—'))));
  replaceChildren(container, h('div', { class: 'table-scroll', attrs: { tabindex: 0, role: 'region', 'aria-label': 'Execution history' } },
    h('table', { class: 'data-table history-table' },
      h('caption', { class: 'sr-only' }, 'Execution history, newest first'),
      h('thead', null, h('tr', null,
        h('th', { attrs: { scope: 'col' } }, 'Time window'),
        h('th', { attrs: { scope: 'col' } }, 'Status'),
        h('th', { attrs: { scope: 'col' } }, 'Finished'),
        h('th', { class: 'numeric', attrs: { scope: 'col' } }, 'Rows'),
        h('th', { class: 'numeric', attrs: { scope: 'col' } }, 'Withheld rows'),
        h('th', { attrs: { scope: 'col' } }, 'Reason'))),
      h('tbody', null, ...rows))));
}
