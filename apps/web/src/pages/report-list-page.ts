import type { Dashboard, MyOrganization, ReportSummary } from '../api-types';
import { confidenceBadge, runOutcomePill, typeBadge } from '../components/badges';
import { formatRelative, formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';
import { ApiError, type ReportFilter } from '../gateway-api';
import type { PageCleanup, PageContext } from '../page-context';
import { NEW_REPORT_PATH, reportPath } from '../router';
import { instanceLabel, organizationFilter } from './organization-filter';

/** Dashboards fetched at once for the "last run" and "last insight" columns. */
const SUMMARY_CONCURRENCY = 4;

/** The reader's reports: name, advertiser, dashboard type, last run state and time, last insight. */
export function renderReportListPage(context: PageContext): PageCleanup {
  const body = h('tbody');
  const filterSlot = h('div');
  let organizations: MyOrganization[] = [];
  let filter: ReportFilter = {};
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading your reports…');
  const more = h('div', { class: 'list-footer' });
  const table = h('table', { class: 'data-table report-table', attrs: { 'aria-describedby': 'reports-caption' } },
    h('caption', { class: 'sr-only', attrs: { id: 'reports-caption' } }, 'Your reports with their latest run and insight'),
    h('thead', null, h('tr', null,
      h('th', { attrs: { scope: 'col' } }, 'Report'),
      h('th', { attrs: { scope: 'col' } }, 'Advertiser'),
      h('th', { attrs: { scope: 'col' } }, 'Dashboard'),
      h('th', { attrs: { scope: 'col' } }, 'Last run'),
      h('th', { attrs: { scope: 'col' } }, 'Last insight'))),
    body);
  const actions = h('div', { class: 'page-actions' });
  replaceChildren(context.main,
    h('div', { class: 'page-header' },
      h('div', null, h('h1', null, 'Reports'),
        h('p', { class: 'lead' }, 'Every workflow with reporting on gets a dashboard that updates after each AMC execution.')),
      actions),
    filterSlot,
    h('section', { class: 'card card-flush', attrs: { 'aria-label': 'Reports' } }, status, table, more));

  const loadPage = async (offset: number): Promise<void> => {
    const page = await context.api.listReports(offset, 50, filter);
    if (context.signal.aborted) return;
    if (offset === 0) body.replaceChildren();
    table.hidden = false;
    if (offset === 0 && page.items.length === 0 && (filter.organizationId || filter.amcInstanceId)) {
      replaceChildren(status, 'No reports for this organization or advertiser yet.');
      status.classList.remove('sr-only');
      table.hidden = true;
      return;
    }
    if (offset === 0 && page.items.length === 0) {
      replaceChildren(status, 'No reports yet. Turn reporting on for a workflow ',
        h('code', null, 'PATCH /v1/workflows/:id {"reportEnabled": true}'), ' and its dashboard appears here after the next execution.');
      table.hidden = true;
      return;
    }
    // Kept for screen readers only: the table itself shows the reports.
    status.classList.add('sr-only');
    status.textContent = `${offset + page.items.length} reports`;
    const rows = page.items.map((report) => reportRow(report, organizations));
    body.append(...rows.map((row) => row.element));
    replaceChildren(more, page.nextOffset === null ? null : h('button', {
      class: 'button', attrs: { type: 'button' },
      on: { click: () => void loadPage(page.nextOffset ?? 0).catch(showFailure) },
    }, 'Show more reports'));
    await fillSummaries(context, rows);
  };
  const showFailure = (error: unknown): void => {
    if (context.signal.aborted || (error instanceof ApiError && error.status === 401)) return;
    status.classList.remove('sr-only');
    replaceChildren(status, h('span', { class: 'form-error' }, `Could not load your reports: ${(error as Error).message}`));
  };
  const start = async (): Promise<void> => {
    const mine = await context.api.listOrganizations();
    if (context.signal.aborted) return;
    organizations = mine.items;
    // Editors and owners build reports in the page; viewers see none of the controls.
    if (organizations.some((organization) => organization.role !== 'viewer')) {
      replaceChildren(actions, h('a', { class: 'button button-primary', attrs: { href: `#${NEW_REPORT_PATH}` } }, 'New report'));
    }
    if (organizations.length === 0) {
      // Nothing to list, and the reader should know who can change that.
      replaceChildren(status, mine.message ?? 'You are not a member of any organization yet.');
      table.hidden = true;
      return;
    }
    replaceChildren(filterSlot, organizationFilter(organizations, (next) => {
      filter = next;
      void loadPage(0).catch(showFailure);
    }));
    await loadPage(0);
  };
  void start().catch(showFailure);
  return () => undefined;
}

interface ReportRow {
  report: ReportSummary;
  element: HTMLTableRowElement;
  lastRun: HTMLTableCellElement;
  lastInsight: HTMLTableCellElement;
}

function reportRow(report: ReportSummary, organizations: MyOrganization[]): ReportRow {
  const organization = organizations.find((candidate) => candidate.id === report.organizationId);
  const lastRun = h('td', { class: 'muted' }, 'Loading…');
  const lastInsight = h('td', { class: 'muted insight-cell' }, 'Loading…');
  const element = h('tr', { dataset: { reportId: report.id } },
    h('th', { attrs: { scope: 'row' } },
      h('a', { class: 'report-link', attrs: { href: `#${reportPath(report.id)}` } }, report.name),
      report.isEnabled ? null : h('span', { class: 'tag tag-muted' }, 'Paused')),
    h('td', null, h('div', { class: 'run-cell' }, h('span', null, instanceLabel(organizations, report.amcInstanceId)),
      organizations.length > 1 && organization ? h('span', { class: 'muted small' }, organization.name) : null)),
    h('td', null, typeBadge(report.dashboardType, report.dashboardType)),
    lastRun,
    lastInsight);
  return { report, element, lastRun, lastInsight };
}

async function fillSummaries(context: PageContext, rows: ReportRow[]): Promise<void> {
  const queue = [...rows];
  const worker = async (): Promise<void> => {
    for (let row = queue.shift(); row && !context.signal.aborted; row = queue.shift()) {
      try {
        // The list already carries the headlines; older gateways did not, so fall back to the dashboard.
        const { lastRun, lastInsight } = row.report;
        showSummary(row, lastRun !== undefined
          ? { latestRun: lastRun, insights: lastInsight ? [lastInsight] : [] }
          : await context.api.getDashboard(row.report.id));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return;
        replaceChildren(row.lastRun, 'Unavailable');
        replaceChildren(row.lastInsight, '—');
      }
    }
  };
  await Promise.all(Array.from({ length: SUMMARY_CONCURRENCY }, worker));
}

function showSummary(row: ReportRow, dashboard: Pick<Dashboard, 'latestRun' | 'insights'>): void {
  const run = dashboard.latestRun;
  row.lastRun.classList.remove('muted');
  replaceChildren(row.lastRun, run
    ? h('div', { class: 'run-cell' }, runOutcomePill(run),
      h('span', null, formatWindow(run.timeWindow)),
      h('span', { class: 'muted small', attrs: { title: run.completedAt } }, `finished ${formatRelative(run.completedAt)}`),
      // The dashboard did not take this run: it shows the previous good execution (the banner there says why).
      run.outcome === 'unusable' || run.outcome === 'failed'
        ? h('p', { class: 'run-note small' }, `${run.outcome === 'unusable' ? 'Not usable by this report' : 'Failed'}: the dashboard shows the previous good execution.`,
          run.reason ? h('span', { class: 'muted' }, ` ${run.reason}`) : null)
        : null)
    : h('span', { class: 'muted' }, 'No execution yet'));
  // The latest execution's insights, best first: the first finding (trend, anomaly, …) says more
  // than the headline totals, which the dashboard shows anyway.
  const insight = dashboard.insights.find((candidate) => candidate.type !== 'summary') ?? dashboard.insights[0];
  row.lastInsight.classList.toggle('muted', !insight);
  replaceChildren(row.lastInsight, insight
    ? h('div', { class: 'insight-summary' }, h('p', { class: 'clamp-2' }, insight.text),
      h('div', { class: 'insight-meta' }, typeBadge(insight.type, insight.type), confidenceBadge(insight.confidence)))
    : 'No insights yet');
}
