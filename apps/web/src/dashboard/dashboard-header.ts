import type { Dashboard } from '../api-types';
import { runOutcomePill, typeBadge } from '../components/badges';
import { formatMoment, formatRelative, formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';
import { alertFor, periodLine } from './period-notices';

export interface DashboardHeader {
  element: HTMLElement;
  alert: HTMLElement;
  update(dashboard: Dashboard): void;
  /** Controls only editors and owners see (edit the report). */
  setActions(actions: HTMLElement | null): void;
  setLiveState(state: 'connecting' | 'live' | 'reconnecting' | 'offline'): void;
  markUpdated(at: Date): void;
}

const LIVE_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Live updates stopped: reload the page' } as const;

/** Breadcrumb, report name, type, workflow, the latest run's state, and whether live updates flow. */
export function createDashboardHeader(): DashboardHeader {
  const title = h('h1', null, 'Loading report…');
  const meta = h('div', { class: 'header-meta' });
  const run = h('div', { class: 'latest-run', attrs: { 'aria-label': 'Latest run' } });
  const period = h('p', { class: 'period-line', attrs: { 'aria-live': 'polite' } });
  const actions = h('div', { class: 'header-actions' });
  const live = h('span', { class: 'live-indicator', dataset: { state: 'connecting' }, attrs: { title: 'Updates arrive without reloading the page' } },
    h('span', { class: 'live-dot', attrs: { 'aria-hidden': 'true' } }), LIVE_TEXT.connecting);
  const updated = h('span', { class: 'muted small updated-at' });
  const alert = h('div', { class: 'run-alert', attrs: { hidden: true, role: 'alert' } });
  const element = h('div', { class: 'page-header dashboard-header' },
    h('div', { class: 'header-main' },
      h('nav', { class: 'breadcrumb', attrs: { 'aria-label': 'Breadcrumb' } }, h('a', { attrs: { href: '#/reports' } }, 'Reports'), h('span', { attrs: { 'aria-hidden': 'true' } }, ' / ')),
      title, meta, period),
    h('div', { class: 'header-side' }, h('div', { class: 'live-row' }, actions, live, updated), run));

  return {
    element,
    alert,
    update(dashboard) {
      const { report, latestRun } = dashboard;
      title.textContent = report.name;
      document.title = `${report.name} · AMC Reports`;
      replaceChildren(meta,
        typeBadge(`${report.dashboardType} dashboard`, report.dashboardType),
        report.workflow ? h('span', { class: 'muted' }, 'Workflow: ', h('strong', null, report.workflow.name)) : null,
        report.isEnabled ? null : h('span', { class: 'tag tag-muted' }, 'Reporting paused'));
      // A late re-run of an older window is the latest run, not the window the cards show: both are named.
      const shown = dashboard.period?.timeWindow;
      const olderWindow = latestRun && shown && latestRun.timeWindow.firstDay !== undefined && latestRun.timeWindow.firstDay < (shown.firstDay ?? '');
      replaceChildren(run, latestRun
        ? h('div', { class: 'latest-run-line' },
          h('span', { class: 'muted small' }, 'Latest run'),
          runOutcomePill(latestRun),
          h('span', { class: 'run-window', dataset: { executionId: latestRun.executionId } }, formatWindow(latestRun.timeWindow)),
          olderWindow ? h('span', { class: 'tag tag-muted' }, 'an older window') : null,
          h('span', { class: 'muted small', attrs: { title: formatMoment(latestRun.completedAt) } }, `finished ${formatRelative(latestRun.completedAt)}`))
        : h('span', { class: 'muted' }, 'No execution yet: the dashboard fills in after the first one.'));
      replaceChildren(period, ...periodLine(dashboard));
      const banner = alertFor(dashboard);
      alert.hidden = !banner;
      alert.dataset.kind = banner?.kind ?? '';
      replaceChildren(alert, banner?.element ?? null);
    },
    setActions(element) {
      replaceChildren(actions, element);
    },
    setLiveState(state) {
      live.dataset.state = state;
      live.lastChild!.textContent = LIVE_TEXT[state];
    },
    markUpdated(at) {
      updated.textContent = `Updated ${at.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })}`;
    },
  };
}
