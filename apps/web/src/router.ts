/** Hash routes, so the gateway serves one index.html and deep links survive a reload. */
export type Route =
  | { name: 'sign-in'; returnTo: string | null; reason: string | null }
  | { name: 'reports' }
  | { name: 'dashboard'; reportId: string }
  | { name: 'not-found'; what: 'page' | 'report' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'reports' };
  if (parts[0] === 'sign-in' && parts.length === 1) return { name: 'sign-in', returnTo: params.get('returnTo'), reason: params.get('reason') };
  if (parts[0] === 'reports' && parts.length === 1) return { name: 'reports' };
  if (parts[0] === 'reports' && parts.length === 2) {
    // A malformed id can name no report: the same "not found" as another user's id.
    return UUID.test(parts[1]) ? { name: 'dashboard', reportId: parts[1].toLowerCase() } : { name: 'not-found', what: 'report' };
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

export function reportPath(reportId: string): string {
  return `/reports/${reportId}`;
}

export function onRouteChange(render: (route: Route) => void): void {
  window.addEventListener('hashchange', () => render(parseRoute(location.hash)));
  render(parseRoute(location.hash));
}
