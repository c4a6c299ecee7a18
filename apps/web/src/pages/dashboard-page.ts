import type { Dashboard } from '../api-types';
import { createDashboardHeader } from '../dashboard/dashboard-header';
import { createViewsSection } from '../dashboard/dashboard-views';
import { createExportPanel, type ExportPanel } from '../dashboard/export-panel';
import { renderInsights, type InsightFeedback } from '../dashboard/insights-list';
import { renderMetricCards } from '../dashboard/metric-cards';
import { createPeriodPicker } from '../dashboard/period-picker';
import { renderRunHistory } from '../dashboard/run-history';
import { createDeliverySection, type DeliverySection } from '../delivery/delivery-section';
import { formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';
import { ApiError } from '../gateway-api';
import { subscribeToReportEvents } from '../live/report-event-stream';
import type { PageCleanup, PageContext } from '../page-context';
import { dashboardQuery, editReportPath, navigate, reportPath, type PeriodSelection } from '../router';
import { renderNotFoundPage } from './not-found-page';

/** Events often come in bursts (dashboard.updated, then insights.generated): one reload serves them. */
const RELOAD_DEBOUNCE_MS = 250;

export interface DashboardPage {
  cleanup: PageCleanup;
  /** Another period in the URL: the same page shows it (charts updated in place, the stream kept). */
  showPeriod(period: PeriodSelection): void;
}

/**
 * One report's dashboard: headline cards, the views, insights, exports and execution history,
 * for the period in the URL (the latest window by default), kept current by the report's event
 * stream without a reload.
 */
export function renderDashboardPage(context: PageContext, reportId: string, initialPeriod: PeriodSelection): DashboardPage {
  let period = initialPeriod;
  const header = createDashboardHeader();
  const picker = createPeriodPicker((selection) => navigate(reportPath(reportId, selection)));
  const cards = h('div', { class: 'metric-cards', attrs: { role: 'region', 'aria-label': 'Headline metrics' } });
  const viewsGrid = h('div', { class: 'views-grid' });
  const views = createViewsSection(viewsGrid);
  const insights = h('div', { class: 'insights-body' });
  const insightsHint = h('span', { class: 'muted small' }, 'Latest execution, most confident first');
  const emptyViews = h('div', { class: 'card empty', attrs: { hidden: true } });
  const history = h('div', { class: 'history-body' });
  const root = h('div', { class: 'dashboard', attrs: { 'aria-busy': 'true' }, dataset: { reportId, liveUpdates: '0' } }, header.element);
  replaceChildren(context.main, root);

  let exportPanel: ExportPanel | null = null;
  let delivery: DeliverySection | null = null;
  let closeStream: (() => void) | null = null;
  let reloadTimer: number | undefined;
  let reloading: Promise<void> = Promise.resolve();
  let lastInsightIds = '';
  // The reader's verdicts go straight to the API; the next reload brings them back with the dashboard.
  const insightFeedback: InsightFeedback = { send: (insightId, verdict) => context.api.setInsightFeedback(insightId, verdict), announce: context.announce };

  const apply = (dashboard: Dashboard, live: boolean): void => {
    header.update(dashboard);
    header.markUpdated(new Date());
    picker.update(dashboard, period);
    renderMetricCards(cards, dashboard.views);
    views.update(dashboard.views);
    emptyViews.hidden = dashboard.views.length > 0;
    emptyViews.textContent = dashboard.period && dashboard.period.state !== 'ok'
      ? 'No views for this period: it has no numbers (see above).'
      : 'No views yet: they are built from the first successful execution.';
    root.dataset.periodState = dashboard.period?.state ?? 'none';
    root.dataset.source = dashboard.source ?? 'stored';
    insightsHint.textContent = dashboard.period?.kind === 'range'
      ? 'A range has no insights of its own: open one execution for its insights'
      : dashboard.period?.kind === 'execution' ? 'The shown execution, most confident first' : 'Latest execution, most confident first';
    // Redrawn only when the set changed, so open "numbers behind" panels stay open across updates.
    const insightIds = dashboard.insights.map((insight) => insight.id).join() || 'none';
    if (insightIds !== lastInsightIds) renderInsights(insights, dashboard.insights, dashboard.history, live, insightFeedback);
    lastInsightIds = insightIds;
    renderRunHistory(history, dashboard.history,
      (executionId) => reportPath(reportId, { show: 'execution', executionId, compare: period.compare === 'execution' ? 'previous' : period.compare }),
      dashboard.period?.executionIds ?? []);
    exportPanel?.setViews(dashboard.views);
    exportPanel?.setExecutions(dashboard.history);
  };

  const reload = (): void => {
    reloadTimer = undefined;
    reloading = reloading.then(async () => {
      if (context.signal.aborted) return;
      try {
        const dashboard = await context.api.getDashboard(reportId, dashboardQuery(period));
        if (context.signal.aborted) return;
        apply(dashboard, true);
        root.dataset.liveUpdates = String(Number(root.dataset.liveUpdates) + 1);
        const run = dashboard.latestRun;
        context.announce(run ? `Dashboard updated: run for ${formatWindow(run.timeWindow)} ${run.status.toLowerCase()}.` : 'Dashboard updated.');
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) renderNotFoundPage(context.main, 'report');
        else if (!(error instanceof ApiError && error.status === 401)) {
          // A period the gateway refuses (an unknown execution, a range too long) says why, where the banner goes.
          header.alert.hidden = false;
          header.alert.dataset.kind = 'error';
          replaceChildren(header.alert, h('p', null, h('strong', null, 'Could not show this period: '), (error as Error).message));
        }
      }
    });
  };
  const scheduleReload = (): void => {
    if (reloadTimer === undefined) reloadTimer = window.setTimeout(reload, RELOAD_DEBOUNCE_MS);
  };

  const build = (dashboard: Dashboard): void => {
    exportPanel = createExportPanel(context.api, reportId, context.announce);
    const layout = h('div', { class: 'dashboard-layout' },
      h('div', { class: 'dashboard-main' },
        h('h2', { class: 'sr-only' }, 'Views'),
        viewsGrid,
        emptyViews),
      h('aside', { class: 'dashboard-aside', attrs: { 'aria-label': 'Exports and insights' } },
        exportPanel.element,
        h('section', { class: 'card insights-card', attrs: { 'aria-labelledby': 'insights-title' } },
          h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'insights-title' } }, 'Insights'), insightsHint),
          insights)));
    const historyCard = h('section', { class: 'card history-card', attrs: { 'aria-labelledby': 'history-title' } },
      h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'history-title' } }, 'Execution history'),
        h('span', { class: 'muted small' }, 'Newest first, failed and unusable runs with their reason; open one to show it')),
      history);
    delivery = createDeliverySection(context.api, reportId, dashboard.report.organizationId, context.announce);
    root.append(header.alert, picker.element, cards, layout, historyCard, delivery.element);
    apply(dashboard, false);
    void showEditControls(context, dashboard, reportId, header.setActions);
    root.setAttribute('aria-busy', 'false');
    closeStream = subscribeToReportEvents(context.api.eventsUrl(reportId), {
      onDashboardUpdated: scheduleReload,
      onInsightsGenerated: scheduleReload,
      onExportFinished: (event) => exportPanel?.onExportEvent(event.exportId),
      onConnectionChange: (state) => header.setLiveState(state),
      onResync: scheduleReload,
    });
  };

  context.api.getDashboard(reportId, dashboardQuery(period)).then((dashboard) => {
    if (!context.signal.aborted) build(dashboard);
  }, (error: unknown) => {
    if (context.signal.aborted || (error instanceof ApiError && error.status === 401)) return;
    if (error instanceof ApiError && error.status === 404) {
      renderNotFoundPage(context.main, 'report');
      return;
    }
    root.append(h('p', { class: 'form-error', attrs: { role: 'alert' } }, `Could not load this dashboard: ${(error as Error).message}`));
  });

  const cleanup = (): void => {
    if (reloadTimer !== undefined) window.clearTimeout(reloadTimer);
    closeStream?.();
    exportPanel?.dispose();
    delivery?.dispose();
    views.dispose();
  };
  return {
    cleanup,
    showPeriod(next) {
      period = next;
      root.setAttribute('aria-busy', 'true');
      reload();
      void reloading.then(() => root.setAttribute('aria-busy', 'false'));
    },
  };
}

/** Editors and owners of the report's organization get "Edit report"; viewers see no controls. */
async function showEditControls(context: PageContext, dashboard: Dashboard, reportId: string, setActions: (element: HTMLElement | null) => void): Promise<void> {
  const organizations = await context.api.listOrganizations().catch(() => ({ items: [] }));
  if (context.signal.aborted) return;
  const role = organizations.items.find((organization) => organization.id === dashboard.report.organizationId)?.role;
  setActions(role === 'owner' || role === 'editor'
    ? h('a', { class: 'button button-small', attrs: { href: `#${editReportPath(reportId)}` } }, 'Edit report')
    : null);
}
