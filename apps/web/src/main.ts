import './styles.css';
import { mountAppShell } from './app-shell';
import { GatewayApi } from './gateway-api';
import type { PageCleanup, PageContext } from './page-context';
import { renderDashboardPage, type DashboardPage } from './pages/dashboard-page';
import { renderNewReportPage } from './pages/new-report-page';
import { renderReportSettingsPage } from './pages/report-settings-page';
import { renderNotFoundPage } from './pages/not-found-page';
import { renderReportListPage } from './pages/report-list-page';
import { renderSignInPage } from './pages/sign-in-page';
import { currentPath, navigate, onRouteChange, signInPath, type Route } from './router';
import { clearToken, readToken, tokenClaims } from './session-token';

const shell = mountAppShell(document.getElementById('app')!);
let cleanupPage: PageCleanup | null = null;
let leavePage: AbortController | null = null;
/** The open dashboard: a new period in its URL updates it in place (charts, live stream and scroll kept). */
let openDashboard: { reportId: string; page: DashboardPage } | null = null;

function signOut(reason: string | null): void {
  clearToken();
  navigate(signInPath(reason ? currentPath() : null, reason));
}

function render(route: Route): void {
  if (route.name === 'dashboard' && openDashboard?.reportId === route.reportId && readToken()) {
    openDashboard.page.showPeriod(route.period);
    return;
  }
  openDashboard = null;
  cleanupPage?.();
  cleanupPage = null;
  leavePage?.abort();
  leavePage = new AbortController();
  document.title = 'AMC Reports';

  const token = readToken();
  if (route.name === 'sign-in') {
    shell.showUser(null, null);
    renderSignInPage({ main: shell.main, returnTo: route.returnTo, reason: route.reason, onSignedIn: (returnTo) => navigate(returnTo) });
    shell.focusHeading();
    return;
  }
  if (!token) {
    navigate(signInPath(currentPath()));
    return;
  }
  shell.showUser(tokenClaims(token)?.email ?? null, () => signOut(null));
  const context: PageContext = {
    main: shell.main,
    // A 401 mid-session (token expired): back to sign-in, returning here afterwards.
    api: new GatewayApi(token, () => signOut('expired')),
    announce: shell.announce,
    signal: leavePage.signal,
  };
  window.scrollTo(0, 0);
  if (route.name === 'reports') cleanupPage = renderReportListPage(context);
  else if (route.name === 'dashboard') {
    const page = renderDashboardPage(context, route.reportId, route.period);
    openDashboard = { reportId: route.reportId, page };
    cleanupPage = page.cleanup;
  } else if (route.name === 'new-report') cleanupPage = renderNewReportPage(context);
  else if (route.name === 'edit-report') cleanupPage = renderReportSettingsPage(context, route.reportId);
  else renderNotFoundPage(shell.main, route.what);
  shell.focusHeading();
}

onRouteChange(render);
