import { formatValue } from '@amc-reports/charts';
import type { RunState } from '../api-types';
import { runOutcomePill } from '../components/badges';
import { formatMoment, formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';

/**
 * Every recent execution of the workflow, newest first, failed ones with AMC's reason and those
 * this report could not use with why; each opens as the dashboard's period (`openPath`). On a
 * narrow screen the reason moves under the window, so it stays in view beside the first column.
 */
export function renderRunHistory(container: HTMLElement, history: RunState[], openPath?: (executionId: string) => string, shownIds: string[] = []): void {
  if (history.length === 0) {
    replaceChildren(container, h('p', { class: 'empty' }, 'No executions yet.'));
    return;
  }
  const reasonOf = (run: RunState) => (run.error ? h('span', null, run.error.code ? h('code', null, run.error.code) : null, ' ', run.error.message) : null);
  const rows = history.map((run) => h('tr', {
    class: [run.superseded ? 'superseded' : '', shownIds.includes(run.executionId) ? 'shown' : ''].filter(Boolean).join(' ') || undefined,
    dataset: { executionId: run.executionId, status: run.status, outcome: run.outcome ?? '' },
  },
    h('th', { attrs: { scope: 'row' } },
      openPath ? h('a', { class: 'run-link', attrs: { href: `#${openPath(run.executionId)}`, title: 'Show this execution' } }, formatWindow(run.timeWindow)) : formatWindow(run.timeWindow),
      run.superseded ? h('span', { class: 'tag tag-muted', attrs: { title: 'A newer execution of the same window replaced this one (late attributed conversions).' } }, 'Replaced') : null,
      shownIds.includes(run.executionId) ? h('span', { class: 'tag tag-shown' }, 'Shown') : null,
      run.error ? h('p', { class: 'reason-inline' }, reasonOf(run)) : null),
    h('td', null, runOutcomePill(run)),
    h('td', null, formatMoment(run.completedAt)),
    h('td', { class: 'numeric' }, formatValue(run.rowCount, 'integer')),
    h('td', { class: 'numeric' }, formatValue(run.filteredRowCount, 'integer')),
    h('td', { class: 'reason' }, reasonOf(run) ?? h('span', { class: 'muted' }, '—'))));
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
