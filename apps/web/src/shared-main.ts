import './styles.css';
import type { ExportFormat, SharedDashboard, SharedExport } from './api-types';
import { mountAppShell } from './app-shell';
import { runStatusPill, typeBadge } from './components/badges';
import { createViewsSection } from './dashboard/dashboard-views';
import { renderInsights } from './dashboard/insights-list';
import { renderMetricCards } from './dashboard/metric-cards';
import { renderRunHistory } from './dashboard/run-history';
import { formatMoment, formatWindow } from './display-format';
import { h, replaceChildren } from './dom';
import { errorMessage } from './gateway-api';

/**
 * The read-only dashboard a client share link opens (/share/<token>): no sign-in, no editing,
 * no ids — the token in the address is the only handle, and every call is made with it.
 */
const token = location.pathname.split('/').filter(Boolean)[1] ?? '';
const base = `/v1/shared/${encodeURIComponent(token)}`;
const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'pdf', label: 'PDF' }, { format: 'png', label: 'PNG' }, { format: 'csv', label: 'CSV' }, { format: 'excel', label: 'Excel' },
];
const POLL_MS = 1_000;

class SharedApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${base}${path}`, { ...init, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new SharedApiError(response.status, errorMessage(body) ?? `${response.status} ${response.statusText}`);
  return body as T;
}

const shell = mountAppShell(document.getElementById('app')!);
shell.showUser(null, null);

function showProblem(title: string, message: string): void {
  replaceChildren(shell.main, h('div', { class: 'card shared-problem', attrs: { role: 'alert' } }, h('h1', null, title), h('p', null, message)));
  shell.focusHeading();
}

function exportButtons(): HTMLElement {
  const status = h('span', { class: 'small muted', attrs: { role: 'status' } });
  const downloads = h('span', { class: 'shared-downloads' });
  const follow = async (format: ExportFormat, label: string): Promise<void> => {
    let state = await call<SharedExport>('/exports', { method: 'POST', body: JSON.stringify({ format }) });
    while (state.status === 'pending' || state.status === 'processing') {
      status.textContent = `${label}: rendering… ${state.progress}%`;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      state = await call<SharedExport>(`/exports/${format}`);
    }
    if (state.status !== 'completed' || !state.downloadUrl) {
      status.textContent = `${label}: ${state.status}${state.error ? ` — ${state.error}` : ''}`;
      return;
    }
    status.textContent = `${label} is ready.`;
    downloads.querySelector(`[data-format="${format}"]`)?.remove();
    downloads.append(h('a', { class: 'button button-small', attrs: { href: state.downloadUrl, download: '' }, dataset: { format } }, `Download ${label}`));
  };
  return h('div', { class: 'shared-exports', attrs: { 'aria-label': 'Downloads' } },
    h('span', { class: 'field-label' }, 'Export'),
    ...FORMATS.map(({ format, label }) => h('button', {
      class: 'button button-small', attrs: { type: 'button' }, dataset: { export: format },
      on: { click: () => void follow(format, label).catch((error: Error) => (status.textContent = `${label}: ${error.message}`)) },
    }, label)),
    downloads, status);
}

function render(dashboard: SharedDashboard): void {
  document.title = `${dashboard.report.name} — shared dashboard`;
  const cards = h('div', { class: 'metric-cards', attrs: { role: 'list', 'aria-label': 'Headline metrics' } });
  const viewsGrid = h('div', { class: 'views-grid' });
  const insights = h('div', { class: 'insights-body' });
  const history = h('div', { class: 'history-body' });
  const run = dashboard.latestRun;
  replaceChildren(shell.main, h('div', { class: 'dashboard shared-dashboard', attrs: { 'aria-busy': 'false' } },
    h('div', { class: 'page-header dashboard-header' },
      h('div', { class: 'header-main' }, h('h1', null, dashboard.report.name),
        h('div', { class: 'header-meta' }, typeBadge(dashboard.report.dashboardType, dashboard.report.dashboardType),
          run ? h('span', { class: 'latest-run-line' }, runStatusPill(run.status), h('span', { class: 'run-window' }, formatWindow(run.timeWindow))) : null))),
    h('div', { class: 'shared-banner' },
      h('span', null, `Shared read-only dashboard · this link works until ${formatMoment(dashboard.share.expiresAt)}`),
      dashboard.share.allowExports ? exportButtons() : null),
    cards,
    h('div', { class: 'dashboard-layout' },
      h('div', { class: 'dashboard-main' }, viewsGrid),
      h('aside', { class: 'dashboard-aside' }, h('section', { class: 'card insights-card', attrs: { 'aria-labelledby': 'insights-title' } },
        h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'insights-title' } }, 'Insights')), insights))),
    h('section', { class: 'card history-card', attrs: { 'aria-labelledby': 'history-title' } },
      h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'history-title' } }, 'Execution history')), history)));
  renderMetricCards(cards, dashboard.views);
  createViewsSection(viewsGrid).update(dashboard.views);
  renderInsights(insights, dashboard.insights, dashboard.history);
  renderRunHistory(history, dashboard.history);
  shell.focusHeading();
}

call<SharedDashboard>('/dashboard').then(render, (error: unknown) => {
  if (error instanceof SharedApiError && error.status === 410) showProblem('This link is no longer available', error.message);
  else if (error instanceof SharedApiError && error.status === 404) showProblem('No such link', 'Check that the address was copied completely.');
  else showProblem('The dashboard could not be loaded', (error as Error).message);
});
