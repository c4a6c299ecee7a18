import type {
  Dashboard, Delivery, ExportFormat, ExportScope, ExportStatus, InsightVerdict, Membership, MyOrganizations, NewSubscription, Page, ReportDetail, ReportPreview,
  ReportSummary, ShareLink, Subscription,
} from './api-types';

/** Narrows a report list to one organization, or one of its AMC instances (advertisers). */
export interface ReportFilter {
  organizationId?: string;
  amcInstanceId?: string;
}

/** A gateway answer other than 2xx; `status` drives the page (401 → sign in, 404 → not found). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ExportRequest {
  format: ExportFormat;
  scope: ExportScope;
  viewId?: string;
  /** Default: the execution the dashboard shows. */
  executionId?: string;
  options?: { bom?: boolean };
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** The user API, same origin as this page, with the session's bearer token on every call. */
export class GatewayApi {
  constructor(readonly token: string, private readonly onUnauthorized: () => void) {}

  listReports(offset = 0, limit = 50, filter: ReportFilter = {}): Promise<Page<ReportSummary>> {
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (filter.organizationId) query.set('organizationId', filter.organizationId);
    if (filter.amcInstanceId) query.set('amcInstanceId', filter.amcInstanceId);
    return this.json(`/v1/reports?${query}`);
  }

  listOrganizations(): Promise<MyOrganizations> {
    return this.json('/v1/organizations');
  }

  /** `query`: the period and comparison (executionId, from/to, weeks, compare, compareExecutionId). */
  getDashboard(reportId: string, query?: URLSearchParams): Promise<Dashboard> {
    const search = query && query.toString() ? `?${query.toString()}` : '';
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/dashboard${search}`);
  }

  getReport(reportId: string): Promise<ReportDetail> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}`);
  }

  updateReport(reportId: string, changes: Record<string, unknown>): Promise<ReportDetail> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}`, { method: 'PATCH', body: JSON.stringify(changes) });
  }

  previewReport(reportId: string, draft: Record<string, unknown>, signal?: AbortSignal): Promise<ReportPreview> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/preview`, { method: 'POST', body: JSON.stringify(draft), signal });
  }

  createQueryTemplate(body: Record<string, unknown>): Promise<{ id: string }> {
    return this.json('/v1/query-templates', { method: 'POST', body: JSON.stringify(body) });
  }

  createWorkflow(body: Record<string, unknown>): Promise<{ id: string; reportConfigId: string | null }> {
    return this.json('/v1/workflows', { method: 'POST', body: JSON.stringify(body) });
  }

  requestExport(reportId: string, request: ExportRequest): Promise<ExportStatus> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/exports`, { method: 'POST', body: JSON.stringify(request) });
  }

  /** The reader's verdict on an insight; null takes it back. */
  async setInsightFeedback(insightId: string, verdict: InsightVerdict | null): Promise<void> {
    const path = `/v1/insights/${encodeURIComponent(insightId)}/feedback`;
    if (verdict === null) await this.send(path, { method: 'DELETE' });
    else await this.send(path, { method: 'POST', body: JSON.stringify({ verdict }) });
  }

  getExport(exportId: string): Promise<ExportStatus> {
    return this.json(`/v1/exports/${encodeURIComponent(exportId)}`);
  }

  listExports(reportId: string, limit = 5): Promise<Page<ExportStatus>> {
    return this.json(`/v1/exports?reportId=${encodeURIComponent(reportId)}&limit=${limit}`);
  }

  async myRole(organizationId: string): Promise<Membership['role'] | null> {
    const mine = await this.json<{ items: { id: string; role: Membership['role'] }[] }>('/v1/organizations');
    return mine.items.find((organization) => organization.id === organizationId)?.role ?? null;
  }

  listSubscriptions(reportId: string): Promise<Page<Subscription>> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/subscriptions?limit=100`);
  }

  createSubscription(reportId: string, subscription: NewSubscription): Promise<Subscription> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/subscriptions`, { method: 'POST', body: JSON.stringify(subscription) });
  }

  updateSubscription(reportId: string, subscriptionId: string, change: Partial<NewSubscription> & { enabled?: boolean }): Promise<Subscription> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/subscriptions/${encodeURIComponent(subscriptionId)}`, { method: 'PATCH', body: JSON.stringify(change) });
  }

  async deleteSubscription(reportId: string, subscriptionId: string): Promise<void> {
    await this.send(`/v1/reports/${encodeURIComponent(reportId)}/subscriptions/${encodeURIComponent(subscriptionId)}`, { method: 'DELETE' });
  }

  sendNow(reportId: string, subscriptionId: string): Promise<Delivery> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/subscriptions/${encodeURIComponent(subscriptionId)}/deliveries`, { method: 'POST', body: '{}' });
  }

  listShareLinks(reportId: string): Promise<Page<ShareLink>> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/share-links?limit=50`);
  }

  createShareLink(reportId: string, link: { expiresAt: string; allowExports: boolean; allowedOrigins: string[]; label?: string }): Promise<ShareLink> {
    return this.json(`/v1/reports/${encodeURIComponent(reportId)}/share-links`, { method: 'POST', body: JSON.stringify(link) });
  }

  async revokeShareLink(reportId: string, linkId: string): Promise<void> {
    await this.send(`/v1/reports/${encodeURIComponent(reportId)}/share-links/${encodeURIComponent(linkId)}`, { method: 'DELETE' });
  }

  /** EventSource cannot send headers: the events route takes the token as ?access_token=. */
  eventsUrl(reportId: string): string {
    return `/v1/reports/${encodeURIComponent(reportId)}/events?access_token=${encodeURIComponent(this.token)}`;
  }

  async download(path: string): Promise<DownloadedFile> {
    const response = await this.send(path, {});
    const disposition = response.headers.get('content-disposition') ?? '';
    return { blob: await response.blob(), fileName: fileNameFrom(disposition) ?? 'export' };
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    headers.set('accept', 'application/json');
    if (init.body) headers.set('content-type', 'application/json');
    const response = await fetch(path, { ...init, headers });
    if (response.ok) return response;
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 401) this.onUnauthorized();
    throw new ApiError(response.status, errorMessage(body) ?? `${response.status} ${response.statusText}`, body);
  }
}

export function errorMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const { message } = body as { message?: unknown };
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : null;
}

/** RFC 6266: prefer filename* (UTF-8, percent-encoded) over the ASCII filename. */
function fileNameFrom(disposition: string): string | null {
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // fall through to the plain name
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim() ?? null;
}
