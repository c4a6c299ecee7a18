import type { Dashboard } from '../api-types';
import { runStatusPill, typeBadge } from '../components/badges';
import { formatMoment, formatRelative, formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';

export interface DashboardHeader {
  element: HTMLElement;
  alert: HTMLElement;
  update(dashboard: Dashboard): void;
  setLiveState(state: 'connecting' | 'live' | 'reconnecting' | 'offline'): void;
  markUpdated(at: Date): void;
}

function failedVerb(status: string): string {
  if (status === 'CANCELLED') return 'was cancelled';
  if (status === 'FAILED') return 'failed';
  return `is ${status.toLowerCase()}`;
}

const LIVE_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Live updates stopped: reload the page' } as const;

/** Breadcrumb, report name, type, workflow, the latest run's state, and whether live updates flow. */
export function createDashboardHeader(): DashboardHeader {
  const title = h('h1', null, 'Loading report…');
  const meta = h('div', { class: 'header-meta' });
  const run = h('div', { class: 'latest-run', attrs: { 'aria-label': 'Latest run' } });
  const live = h('span', { class: 'live-indicator', dataset: { state: 'connecting' }, attrs: { title: 'Updates arrive without reloading the page' } },
    h('span', { class: 'live-dot', attrs: { 'aria-hidden': 'true' } }), LIVE_TEXT.connecting);
  const updated = h('span', { class: 'muted small updated-at' });
  const alert = h('div', { class: 'run-alert', attrs: { hidden: true, role: 'alert' } });
  const element = h('div', { class: 'page-header dashboard-header' },
    h('div', { class: 'header-main' },
      h('nav', { class: 'breadcrumb', attrs: { 'aria-label': 'Breadcrumb' } }, h('a', { attrs: { href: '#/reports' } }, 'Reports'), h('span', { attrs: { 'aria-hidden': 'true' } }, ' / ')),
      title, meta),
    h('div', { class: 'header-side' }, h('div', { class: 'live-row' }, live, updated), run));

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
      replaceChildren(run, latestRun
        ? h('div', { class: 'latest-run-line' },
          h('span', { class: 'muted small' }, 'Latest run'),
          runStatusPill(latestRun.status),
          h('span', { class: 'run-window', dataset: { executionId: latestRun.executionId } }, formatWindow(latestRun.timeWindow)),
          h('span', { class: 'muted small', attrs: { title: formatMoment(latestRun.completedAt) } }, `finished ${formatRelative(latestRun.completedAt)}`))
        : h('span', { class: 'muted' }, 'No execution yet: the dashboard fills in after the first one.'));
      const failed = latestRun && latestRun.status !== 'SUCCEEDED' ? latestRun : null;
      alert.hidden = !failed;
      replaceChildren(alert, failed ? h('p', null,
        h('strong', null, `The latest run (${formatWindow(failed.timeWindow)}) ${failedVerb(failed.status)}.`),
        ` ${failed.error ? `${failed.error.code ? `${failed.error.code}: ` : ''}${failed.error.message}` : 'AMC gave no reason.'}`,
        ' The views below show the last successful run.') : null);
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
