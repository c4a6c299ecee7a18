import type { Dashboard } from '../api-types';
import { createDashboardHeader } from '../dashboard/dashboard-header';
import { createViewsSection } from '../dashboard/dashboard-views';
import { createExportPanel, type ExportPanel } from '../dashboard/export-panel';
import { renderInsights } from '../dashboard/insights-list';
import { renderMetricCards } from '../dashboard/metric-cards';
import { renderRunHistory } from '../dashboard/run-history';
import { createDeliverySection, type DeliverySection } from '../delivery/delivery-section';
import { formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';
import { ApiError } from '../gateway-api';
import { subscribeToReportEvents } from '../live/report-event-stream';
import type { PageCleanup, PageContext } from '../page-context';
import { renderNotFoundPage } from './not-found-page';

/** Events often come in bursts (dashboard.updated, then insights.generated): one reload serves them. */
const RELOAD_DEBOUNCE_MS = 250;

/**
 * One report's dashboard: headline cards, the views, insights, exports and execution history,
 * kept current by the report's event stream without a reload.
 */
export function renderDashboardPage(context: PageContext, reportId: string): PageCleanup {
  const header = createDashboardHeader();
  const cards = h('div', { class: 'metric-cards', attrs: { role: 'region', 'aria-label': 'Headline metrics' } });
  const viewsGrid = h('div', { class: 'views-grid' });
  const views = createViewsSection(viewsGrid);
  const insights = h('div', { class: 'insights-body' });
  const history = h('div', { class: 'history-body' });
  const root = h('div', { class: 'dashboard', attrs: { 'aria-busy': 'true' }, dataset: { reportId, liveUpdates: '0' } }, header.element);
  replaceChildren(context.main, root);

  let exportPanel: ExportPanel | null = null;
  let delivery: DeliverySection | null = null;
  let closeStream: (() => void) | null = null;
  let reloadTimer: number | undefined;
  let reloading: Promise<void> = Promise.resolve();
  let lastInsightIds = '';

  const apply = (dashboard: Dashboard, live: boolean): void => {
    header.update(dashboard);
    header.markUpdated(new Date());
    renderMetricCards(cards, dashboard.views);
    views.update(dashboard.views);
    // Redrawn only when the set changed, so open "numbers behind" panels stay open across updates.
    const insightIds = dashboard.insights.map((insight) => insight.id).join() || 'none';
    if (insightIds !== lastInsightIds) renderInsights(insights, dashboard.insights, dashboard.history, live);
    lastInsightIds = insightIds;
    renderRunHistory(history, dashboard.history);
    exportPanel?.setViews(dashboard.views);
  };

  const reload = (): void => {
    reloadTimer = undefined;
    reloading = reloading.then(async () => {
      if (context.signal.aborted) return;
      try {
        const dashboard = await context.api.getDashboard(reportId);
        if (context.signal.aborted) return;
        apply(dashboard, true);
        root.dataset.liveUpdates = String(Number(root.dataset.liveUpdates) + 1);
        const run = dashboard.latestRun;
        context.announce(run ? `Dashboard updated: run for ${formatWindow(run.timeWindow)} ${run.status.toLowerCase()}.` : 'Dashboard updated.');
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) renderNotFoundPage(context.main, 'report');
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
        dashboard.views.length === 0 ? h('div', { class: 'card empty' }, 'No views yet: they are built from the first successful execution.') : null),
      h('aside', { class: 'dashboard-aside', attrs: { 'aria-label': 'Exports and insights' } },
        exportPanel.element,
        h('section', { class: 'card insights-card', attrs: { 'aria-labelledby': 'insights-title' } },
          h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'insights-title' } }, 'Insights'),
            h('span', { class: 'muted small' }, 'Latest execution, most confident first')),
          insights)));
    const historyCard = h('section', { class: 'card history-card', attrs: { 'aria-labelledby': 'history-title' } },
      h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'history-title' } }, 'Execution history'),
        h('span', { class: 'muted small' }, 'Newest first, failed runs with their reason')),
      history);
    delivery = createDeliverySection(context.api, reportId, dashboard.report.organizationId, context.announce);
    root.append(header.alert, cards, layout, historyCard, delivery.element);
    apply(dashboard, false);
    root.setAttribute('aria-busy', 'false');
    closeStream = subscribeToReportEvents(context.api.eventsUrl(reportId), {
      onDashboardUpdated: scheduleReload,
      onInsightsGenerated: scheduleReload,
      onExportFinished: (event) => exportPanel?.onExportEvent(event.exportId),
      onConnectionChange: (state) => header.setLiveState(state),
      onResync: scheduleReload,
    });
  };

  context.api.getDashboard(reportId).then((dashboard) => {
    if (!context.signal.aborted) build(dashboard);
  }, (error: unknown) => {
    if (context.signal.aborted || (error instanceof ApiError && error.status === 401)) return;
    if (error instanceof ApiError && error.status === 404) {
      renderNotFoundPage(context.main, 'report');
      return;
    }
    root.append(h('p', { class: 'form-error', attrs: { role: 'alert' } }, `Could not load this dashboard: ${(error as Error).message}`));
  });

  return () => {
    if (reloadTimer !== undefined) window.clearTimeout(reloadTimer);
    closeStream?.();
    exportPanel?.dispose();
    delivery?.dispose();
    views.dispose();
  };
}
