import { parseReportSettings } from '@amc-reports/contracts/src/report-settings';
import type { DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import type { ReportDetail, ReportPreview } from '../api-types';
import { createViewsSection } from '../dashboard/dashboard-views';
import { renderMetricCards } from '../dashboard/metric-cards';
import { formatWindow } from '../display-format';
import { h, replaceChildren } from '../dom';
import { apiProblems, clearProblems, focusField, showProblems, zodProblems, type FieldProblem } from '../forms/form-fields';
import { ApiError } from '../gateway-api';
import type { PageCleanup, PageContext } from '../page-context';
import { reportPath } from '../router';
import { createSettingsForm, type SettingsDraft } from '../settings/settings-form';
import { renderNotFoundPage } from './not-found-page';

const PREVIEW_DEBOUNCE_MS = 400;
const API_NAMES: Record<string, string> = { visualizationSettings: 'visualization', dataAggregationSettings: 'aggregation', exportSettings: 'export' };

/** The draft checked by the API's own schema (libs/contracts parseReportSettings): the same errors, at the same fields. */
function validate(draft: SettingsDraft): FieldProblem[] {
  const problems: FieldProblem[] = draft.name.trim() === '' ? [{ path: 'name', message: 'give the report a name' }] : [];
  const parsed = parseReportSettings(draft.dashboardType as DashboardType, { visualization: draft.visualization, aggregation: draft.aggregation, export: draft.export });
  return parsed.success ? problems : [...problems, ...zodProblems(parsed.issues)];
}

/**
 * A report's settings for editors and owners: dashboard type, the result's columns mapped to
 * metrics and stages, spend unit and currency, custom views, hidden views and export defaults,
 * with a live preview on the latest result's profile. Viewers see the settings' summary only.
 */
export function renderReportSettingsPage(context: PageContext, reportId: string): PageCleanup {
  const status = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading the report…');
  const title = h('h1', null, 'Report settings');
  replaceChildren(context.main, h('div', { class: 'page-header' }, h('div', null,
    h('nav', { class: 'breadcrumb', attrs: { 'aria-label': 'Breadcrumb' } }, h('a', { attrs: { href: '#/reports' } }, 'Reports'), ' / ',
      h('a', { attrs: { href: `#${reportPath(reportId)}` } }, 'Dashboard'), ' / '),
    title)), status);
  let disposeViews = (): void => undefined;
  Promise.all([context.api.getReport(reportId), context.api.getDashboard(reportId), context.api.listOrganizations()]).then(([report, dashboard, organizations]) => {
    if (context.signal.aborted) return;
    title.textContent = `${report.name}: settings`;
    document.title = `${report.name} settings · AMC Reports`;
    const role = organizations.items.find((organization) => organization.id === dashboard.report.organizationId)?.role;
    if (role !== 'owner' && role !== 'editor') {
      status.classList.remove('muted');
      status.textContent = `Only editors and owners can change this report; your role is ${role ?? 'none'}. The dashboard shows what it reads.`;
      return;
    }
    status.remove();
    disposeViews = buildEditor(context, report);
  }, (error: unknown) => {
    if (context.signal.aborted || (error instanceof ApiError && error.status === 401)) return;
    if (error instanceof ApiError && error.status === 404) renderNotFoundPage(context.main, 'report');
    else status.textContent = `Could not load the report: ${(error as Error).message}`;
  });
  return () => disposeViews();
}

function buildEditor(context: PageContext, report: ReportDetail): () => void {
  const form = createSettingsForm(report);
  const general = h('p', { class: 'form-error', attrs: { role: 'alert' } });
  const saved = h('p', { class: 'save-status', attrs: { role: 'status' } });
  const save = h('button', { class: 'button button-primary', attrs: { type: 'submit' } }, 'Save settings');
  form.element.append(general, h('div', { class: 'form-actions' }, save, h('a', { class: 'button', attrs: { href: `#${reportPath(report.id)}` } }, 'Open the dashboard'), saved));

  const previewState = h('div', { class: 'preview-state', attrs: { role: 'status', 'aria-live': 'polite' } }, 'Loading the preview…');
  const previewCards = h('div', { class: 'metric-cards' });
  const previewGrid = h('div', { class: 'views-grid preview-grid' });
  const previewViews = createViewsSection(previewGrid);
  const preview = h('section', { class: 'card preview-card', attrs: { 'aria-labelledby': 'preview-title' } },
    h('header', { class: 'card-header' }, h('h2', { attrs: { id: 'preview-title' } }, 'Preview on the latest result'), previewState),
    previewCards, previewGrid);
  context.main.append(h('div', { class: 'settings-layout' }, h('div', { class: 'card' }, form.element), preview));

  let timer: number | undefined;
  let inFlight: AbortController | null = null;
  const refresh = (): void => {
    timer = undefined;
    const draft = form.draft();
    const problems = validate(draft);
    showProblems(form.element, problems, general);
    if (problems.length > 0) {
      previewState.textContent = 'Fix the fields marked in the form to see the preview.';
      return;
    }
    inFlight?.abort();
    inFlight = new AbortController();
    const signal = inFlight.signal;
    previewState.textContent = 'Updating the preview…';
    context.api.previewReport(report.id, { dashboardType: draft.dashboardType, visualizationSettings: draft.visualization, dataAggregationSettings: draft.aggregation }, signal)
      .then((answer) => {
        if (signal.aborted || context.signal.aborted) return;
        form.setPreview(answer);
        showPreview(answer);
      }, (error: unknown) => {
        if (signal.aborted || (error as Error).name === 'AbortError') return;
        const problems = apiProblems(error, (name) => name.replace(/^[a-zA-Z]+/, (head) => API_NAMES[head] ?? head));
        if (problems) showProblems(form.element, problems, general);
        previewState.textContent = `No preview: ${(error as Error).message}`;
      });
  };
  const showPreview = (answer: ReportPreview): void => {
    renderMetricCards(previewCards, answer.views);
    previewViews.update(answer.views);
    if (!answer.execution || !answer.profile) {
      previewState.textContent = 'No result yet: the preview appears after the workflow\'s first successful execution.';
      return;
    }
    const columns = answer.profile.columns.map((column) => `${column.name} (${column.kind})`).join(', ');
    replaceChildren(previewState,
      h('span', null, `${formatWindow(answer.execution.timeWindow)} · ${answer.profile.rowCount} rows · columns: ${columns}`),
      answer.profile.spendUnit ? h('span', { class: 'muted' }, ` · spend: ${answer.profile.spendUnit.reason}`) : null,
      answer.problem ? h('p', { class: 'preview-problem', attrs: { role: 'alert' } },
        h('strong', null, 'This result cannot make this dashboard with these settings: '), `${answer.problem.message}. `,
        h('span', null, `It expects ${answer.problem.expected}.`)) : null);
  };
  form.onChange(() => {
    saved.textContent = '';
    if (timer !== undefined) window.clearTimeout(timer);
    timer = window.setTimeout(refresh, PREVIEW_DEBOUNCE_MS);
  });
  refresh();

  form.element.addEventListener('submit', (event) => {
    event.preventDefault();
    const draft = form.draft();
    const problems = validate(draft);
    if (problems.length > 0) {
      focusField(showProblems(form.element, problems, general));
      return;
    }
    clearProblems(form.element, general);
    save.disabled = true;
    context.api.updateReport(report.id, {
      name: draft.name, dashboardType: draft.dashboardType, isEnabled: draft.isEnabled,
      visualizationSettings: draft.visualization, dataAggregationSettings: draft.aggregation, exportSettings: draft.export,
    }).then(() => {
      save.disabled = false;
      saved.textContent = 'Saved. The dashboard shows them now; exports and insights use them from the next execution on.';
      context.announce('Report settings saved.');
    }, (error: unknown) => {
      save.disabled = false;
      const answer = apiProblems(error, (name) => name.replace(/^[a-zA-Z]+/, (head) => API_NAMES[head] ?? head));
      if (answer) focusField(showProblems(form.element, answer, general));
      else general.textContent = `Could not save: ${(error as Error).message}`;
    });
  });
  return () => {
    if (timer !== undefined) window.clearTimeout(timer);
    inFlight?.abort();
    previewViews.dispose();
  };
}
