/** Hash routes, so the gateway serves one index.html and deep links survive a reload. */
export type Route =
  | { name: 'sign-in'; returnTo: string | null; reason: string | null }
  | { name: 'reports' }
  | { name: 'dashboard'; reportId: string; period: PeriodSelection }
  | { name: 'new-report' }
  | { name: 'edit-report'; reportId: string }
  | { name: 'not-found'; what: 'page' | 'report' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the dashboard shows, kept in its URL so a link or a reload opens the same view:
 * `#/reports/<id>?execution=<id>`, `?weeks=4`, `?from=2026-11-02&to=2026-11-29`, with
 * `&compare=previous|year|none` or `&compare=<execution id>`.
 */
export interface PeriodSelection {
  show: 'latest' | 'execution' | 'weeks' | 'range';
  executionId?: string;
  weeks?: number;
  from?: string;
  to?: string;
  compare: 'previous' | 'year' | 'none' | 'execution';
  compareExecutionId?: string;
}

export function parsePeriod(params: URLSearchParams): PeriodSelection {
  const compareParam = params.get('compare') ?? 'previous';
  const compare: Pick<PeriodSelection, 'compare' | 'compareExecutionId'> = UUID.test(compareParam)
    ? { compare: 'execution', compareExecutionId: compareParam.toLowerCase() }
    : { compare: compareParam === 'year' || compareParam === 'none' ? compareParam : 'previous' };
  const execution = params.get('execution');
  if (execution && UUID.test(execution)) return { show: 'execution', executionId: execution.toLowerCase(), ...compare };
  const weeks = Number(params.get('weeks'));
  if (Number.isInteger(weeks) && weeks >= 1 && weeks <= 52) return { show: 'weeks', weeks, ...compare };
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && DAY.test(from) && DAY.test(to)) return { show: 'range', from, to, ...compare };
  return { show: 'latest', ...compare };
}

/** The page URL's query for a selection (the defaults left out). */
export function periodQuery(period: PeriodSelection): string {
  const params = new URLSearchParams();
  if (period.show === 'execution' && period.executionId) params.set('execution', period.executionId);
  if (period.show === 'weeks' && period.weeks) params.set('weeks', String(period.weeks));
  if (period.show === 'range' && period.from && period.to) {
    params.set('from', period.from);
    params.set('to', period.to);
  }
  if (period.compare === 'execution' && period.compareExecutionId) params.set('compare', period.compareExecutionId);
  else if (period.compare !== 'previous') params.set('compare', period.compare);
  return params.toString();
}

/** The gateway's query for a selection (GET /v1/reports/:id/dashboard). */
export function dashboardQuery(period: PeriodSelection): URLSearchParams {
  const params = new URLSearchParams();
  if (period.show === 'execution' && period.executionId) params.set('executionId', period.executionId);
  if (period.show === 'weeks' && period.weeks) params.set('weeks', String(period.weeks));
  if (period.show === 'range' && period.from && period.to) {
    params.set('from', period.from);
    params.set('to', period.to);
  }
  if (period.compare === 'execution' && period.compareExecutionId) params.set('compareExecutionId', period.compareExecutionId);
  else params.set('compare', period.compare === 'execution' ? 'previous' : period.compare);
  return params;
}

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'reports' };
  if (parts[0] === 'sign-in' && parts.length === 1) return { name: 'sign-in', returnTo: params.get('returnTo'), reason: params.get('reason') };
  if (parts[0] === 'reports' && parts.length === 1) return { name: 'reports' };
  if (parts[0] === 'reports' && parts.length === 2 && parts[1] === 'new') return { name: 'new-report' };
  if (parts[0] === 'reports' && (parts.length === 2 || (parts.length === 3 && parts[2] === 'edit'))) {
    // A malformed id can name no report: the same "not found" as another user's id.
    if (!UUID.test(parts[1])) return { name: 'not-found', what: 'report' };
    const reportId = parts[1].toLowerCase();
    return parts.length === 3 ? { name: 'edit-report', reportId } : { name: 'dashboard', reportId, period: parsePeriod(params) };
  }
  return { name: 'not-found', what: 'page' };
}

export function currentPath(): string {
  return location.hash.replace(/^#/, '') || '/reports';
}

export function navigate(path: string): void {
  if (location.hash === `#${path}`) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = path;
}

export function signInPath(returnTo: string | null, reason: string | null = null): string {
  const params = new URLSearchParams();
  if (returnTo && !returnTo.startsWith('/sign-in')) params.set('returnTo', returnTo);
  if (reason) params.set('reason', reason);
  const query = params.toString();
  return `/sign-in${query ? `?${query}` : ''}`;
}

export function reportPath(reportId: string, period?: PeriodSelection): string {
  const query = period ? periodQuery(period) : '';
  return `/reports/${reportId}${query ? `?${query}` : ''}`;
}

export function editReportPath(reportId: string): string {
  return `/reports/${reportId}/edit`;
}

export const NEW_REPORT_PATH = '/reports/new';

export function onRouteChange(render: (route: Route) => void): void {
  window.addEventListener('hashchange', () => render(parseRoute(location.hash)));
  render(parseRoute(location.hash));
}
