import { z } from 'zod';
import { AMC_EVENT_EXAMPLE } from '../amc-event-docs';
import { AmcExecutionCompletedEvent } from '../amc-execution-event.schema';
import { ERROR_STATUSES, type ErrorStatus } from './common.schema';
import { Branding, ReportBranding, UpdateBranding, UploadLogo } from './branding.schema';
import { CreateExport, ExportPage, ExportView, ListExports } from './exports.schema';
import {
  CreateQueryTemplate, CreateWorkflow, IdPath, ListQueryTemplates, ListWorkflows, QueryTemplate, QueryTemplatePage,
  UpdateQueryTemplate, UpdateWorkflow, Workflow, WorkflowPage,
} from './library.schema';
import {
  AdminInstancePath, AdminListOrganizations, AdminMemberPath, AdminMembership, AdminOrganizationDetail, AdminOrganizationPage,
  AdminOrganizationPath, AmcInstance, CreateOrganization, MemberPath, MyOrganizations, OrganizationDetail, OrganizationPath,
  PutAmcInstance, SetMemberRole,
} from './organizations.schema';
import { DELIVERY_OPERATIONS } from './delivery-operations';
import { InsightFeedbackBody, InsightFeedbackView } from './insights.schema';
import {
  CreateReport, Dashboard, DashboardQuery, InsightPage, ListInsights, ListReports, PreviewReport, Report, ReportPage, ReportPreview, UpdateReport,
} from './reports.schema';

/**
 * Every HTTP operation of the gateway, once: its parameters, body and answers as the zod schemas
 * the controllers validate with. The OpenAPI document is generated from this table, the gateway
 * refuses to start when a route and the table disagree (api-route-check), and the e2e tests
 * validate real answers against the document.
 */
export type Auth = 'user' | 'admin' | 'signature' | 'none';

export interface ApiResponse {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface ApiOperation {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. /v1/workflows/{id}. */
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success answers; error answers come from `errors` plus what auth, params and body imply. */
  responses: Record<number, ApiResponse>;
  errors?: ErrorStatus[];
  /** Longer text than the summary (Markdown), e.g. what an integrator must send. */
  description?: string;
  /** An example request body (validated by a spec against `body`). */
  example?: unknown;
}

const json = (description: string, schema: z.ZodType): ApiResponse => ({ description, schema });
const noContent: ApiResponse = { description: 'done; no body' };
const IngestionResult = z.object({
  eventId: z.string(),
  // redriven: a re-send of an execution whose processing had failed, which now runs again.
  status: z.enum(['accepted', 'duplicate', 'redriven']),
  outcome: z.enum(['accepted', 'unknown_workflow']).optional(),
});
const HealthReport = z.object({ status: z.string() }).passthrough();

export const API_OPERATIONS: readonly ApiOperation[] = [
  {
    operationId: 'receiveAmcExecutionCompleted', method: 'post', path: '/v1/events/amc/execution-completed', tag: 'events', auth: 'signature',
    summary: "The AMC pipeline's execution-completed webhook: signed, validated, recorded, queued",
    body: AmcExecutionCompletedEvent, responses: { 202: json('accepted, a duplicate of an event already recorded, or redriven (its processing had failed)', IngestionResult) },
    description: 'One AMC execution that finished (or failed): which workflow on which instance, the window of time it covered '
      + '(AMC\'s end is exclusive), and its result inline or as a CSV URL. Every field is described in the body schema; '
      + 'the result\'s columns are read by name, per dashboard type (below).',
    example: AMC_EVENT_EXAMPLE,
  },

  { operationId: 'listMyOrganizations', method: 'get', path: '/v1/organizations', tag: 'organizations', auth: 'user',
    summary: "The caller's organizations, their AMC instances and the caller's role", responses: { 200: json('organizations', MyOrganizations) } },
  { operationId: 'getMyOrganization', method: 'get', path: '/v1/organizations/{id}', tag: 'organizations', auth: 'user', params: OrganizationPath,
    summary: 'One of the caller\'s organizations with its members and instances', responses: { 200: json('organization', OrganizationDetail) } },
  { operationId: 'setMemberRole', method: 'put', path: '/v1/organizations/{id}/members/{userId}', tag: 'organizations', auth: 'user',
    params: MemberPath, body: SetMemberRole, summary: "Owners: add a member or change a member's role (idempotent)",
    responses: { 200: json('membership updated', AdminMembership), 201: json('member added', AdminMembership) }, errors: [403, 409] },
  { operationId: 'removeMember', method: 'delete', path: '/v1/organizations/{id}/members/{userId}', tag: 'organizations', auth: 'user',
    params: MemberPath, summary: 'Owners: remove a member', responses: { 204: noContent }, errors: [403, 409] },

  { operationId: 'listQueryTemplates', method: 'get', path: '/v1/query-templates', tag: 'library', auth: 'user', query: ListQueryTemplates,
    summary: "Templates of the caller's organizations and public ones", responses: { 200: json('a page of templates (without SQL)', QueryTemplatePage) } },
  { operationId: 'createQueryTemplate', method: 'post', path: '/v1/query-templates', tag: 'library', auth: 'user', body: CreateQueryTemplate,
    summary: 'Create a template in an organization (editors, owners)', responses: { 201: json('created', QueryTemplate) }, errors: [403] },
  { operationId: 'getQueryTemplate', method: 'get', path: '/v1/query-templates/{id}', tag: 'library', auth: 'user', params: IdPath,
    summary: 'One template', responses: { 200: json('template', QueryTemplate) } },
  { operationId: 'updateQueryTemplate', method: 'patch', path: '/v1/query-templates/{id}', tag: 'library', auth: 'user', params: IdPath,
    body: UpdateQueryTemplate, summary: 'Change a template (editors, owners)', responses: { 200: json('updated', QueryTemplate) }, errors: [403] },
  { operationId: 'deleteQueryTemplate', method: 'delete', path: '/v1/query-templates/{id}', tag: 'library', auth: 'user', params: IdPath,
    summary: 'Delete a template (editors, owners)', responses: { 204: noContent }, errors: [403] },

  { operationId: 'listWorkflows', method: 'get', path: '/v1/workflows', tag: 'library', auth: 'user', query: ListWorkflows,
    summary: "Workflows of the caller's organizations", responses: { 200: json('a page of workflows (without SQL)', WorkflowPage) } },
  { operationId: 'createWorkflow', method: 'post', path: '/v1/workflows', tag: 'library', auth: 'user', body: CreateWorkflow,
    summary: "Create a workflow on one of the organization's AMC instances (editors, owners)",
    responses: { 201: json('created', Workflow) }, errors: [403, 409] },
  { operationId: 'getWorkflow', method: 'get', path: '/v1/workflows/{id}', tag: 'library', auth: 'user', params: IdPath,
    summary: 'One workflow', responses: { 200: json('workflow', Workflow) } },
  { operationId: 'updateWorkflow', method: 'patch', path: '/v1/workflows/{id}', tag: 'library', auth: 'user', params: IdPath, body: UpdateWorkflow,
    summary: 'Change a workflow; reportEnabled turns reporting on or off (editors, owners)', responses: { 200: json('updated', Workflow) }, errors: [403, 409] },
  { operationId: 'deleteWorkflow', method: 'delete', path: '/v1/workflows/{id}', tag: 'library', auth: 'user', params: IdPath,
    summary: 'Delete a workflow and its history (editors, owners)', responses: { 204: noContent }, errors: [403] },

  { operationId: 'listReports', method: 'get', path: '/v1/reports', tag: 'reports', auth: 'user', query: ListReports,
    summary: 'Report summaries with their latest run and headline insight', responses: { 200: json('a page of reports', ReportPage) } },
  { operationId: 'createReport', method: 'post', path: '/v1/reports', tag: 'reports', auth: 'user', body: CreateReport,
    summary: 'Create a report on a workflow, or a default on a template (editors, owners)', responses: { 201: json('created', Report) }, errors: [403] },
  { operationId: 'getReport', method: 'get', path: '/v1/reports/{id}', tag: 'reports', auth: 'user', params: IdPath,
    summary: 'One report with its settings', responses: { 200: json('report', Report) } },
  { operationId: 'updateReport', method: 'patch', path: '/v1/reports/{id}', tag: 'reports', auth: 'user', params: IdPath, body: UpdateReport,
    summary: "Change a report's settings (editors, owners)", responses: { 200: json('updated', Report) }, errors: [403] },
  { operationId: 'deleteReport', method: 'delete', path: '/v1/reports/{id}', tag: 'reports', auth: 'user', params: IdPath,
    summary: 'Delete a report (editors, owners)', responses: { 204: noContent }, errors: [403] },
  { operationId: 'getDashboard', method: 'get', path: '/v1/reports/{id}/dashboard', tag: 'reports', auth: 'user', params: IdPath, query: DashboardQuery,
    summary: 'Views with processed data, the latest run, the history and the insights; ?executionId= or ?from=&to= / ?weeks= show another '
      + 'period (a range adds its executions by the metric layer\'s rules), ?compare= (previous, year, none) or ?compareExecutionId= what it is compared with',
    responses: { 200: json('dashboard', Dashboard) } },
  { operationId: 'previewReport', method: 'post', path: '/v1/reports/{id}/preview', tag: 'reports', auth: 'user', params: IdPath, body: PreviewReport,
    summary: "Draft settings on the latest usable result: its columns, what the metric layer reads from them and the views (nothing stored)",
    responses: { 200: json('preview', ReportPreview) } },
  { operationId: 'listInsights', method: 'get', path: '/v1/reports/{id}/insights', tag: 'reports', auth: 'user', params: IdPath, query: ListInsights,
    summary: 'Stored insights, best first', responses: { 200: json('a page of insights', InsightPage) } },
  { operationId: 'giveInsightFeedback', method: 'post', path: '/v1/insights/{id}/feedback', tag: 'reports', auth: 'user', params: IdPath,
    body: InsightFeedbackBody, summary: 'Mark an insight useful or dismiss it (any member who can read the report; a dismissed kind weighs less later)',
    responses: { 200: json('verdict changed', InsightFeedbackView), 201: json('verdict recorded', InsightFeedbackView) } },
  { operationId: 'withdrawInsightFeedback', method: 'delete', path: '/v1/insights/{id}/feedback', tag: 'reports', auth: 'user', params: IdPath,
    summary: "Withdraw the caller's verdict on an insight", responses: { 204: noContent } },
  { operationId: 'streamReportEvents', method: 'get', path: '/v1/reports/{id}/events', tag: 'reports', auth: 'user', params: IdPath,
    query: z.strictObject({ access_token: z.string().optional() }),
    summary: 'Server-Sent Events: dashboard.updated, insights.generated, the caller\'s export events (?access_token= for EventSource)',
    responses: { 200: { description: 'an event stream', contentType: 'text/event-stream' } } },

  { operationId: 'requestExport', method: 'post', path: '/v1/reports/{id}/exports', tag: 'exports', auth: 'user', params: IdPath, body: CreateExport,
    summary: 'Request a PDF / PNG / CSV / Excel export', responses: { 202: json('queued', ExportView) }, errors: [429] },
  { operationId: 'listExports', method: 'get', path: '/v1/exports', tag: 'exports', auth: 'user', query: ListExports,
    summary: "The caller's exports", responses: { 200: json('a page of exports', ExportPage) } },
  { operationId: 'getExport', method: 'get', path: '/v1/exports/{id}', tag: 'exports', auth: 'user', params: IdPath,
    summary: 'One export and its progress', responses: { 200: json('export', ExportView) } },
  { operationId: 'downloadExport', method: 'get', path: '/v1/exports/{id}/download', tag: 'exports', auth: 'user', params: IdPath,
    summary: 'The file, until it expires', responses: { 200: { description: 'the file', contentType: 'application/octet-stream' } }, errors: [409, 410] },

  { operationId: 'getOrganizationBranding', method: 'get', path: '/v1/organizations/{id}/branding', tag: 'branding', auth: 'user', params: OrganizationPath,
    summary: "The organization's export branding: the defaults every report's PDF, PNG and Excel cover start from", responses: { 200: json('branding', Branding) } },
  { operationId: 'updateOrganizationBranding', method: 'put', path: '/v1/organizations/{id}/branding', tag: 'branding', auth: 'user', params: OrganizationPath,
    body: UpdateBranding, summary: 'Set the accent colour, cover title and footer text, or remove the logo (editors, owners)',
    responses: { 200: json('branding', Branding) }, errors: [403] },
  { operationId: 'uploadOrganizationLogo', method: 'put', path: '/v1/organizations/{id}/branding/logo', tag: 'branding', auth: 'user', params: OrganizationPath,
    body: UploadLogo, summary: 'Upload the logo (PNG or SVG, base64, at most 512 KB; type checked by its bytes) (editors, owners)',
    responses: { 200: json('branding', Branding) }, errors: [403, 413] },
  { operationId: 'getReportBranding', method: 'get', path: '/v1/reports/{id}/branding', tag: 'branding', auth: 'user', params: IdPath,
    summary: "A report's own branding and what its exports wear once the organization's defaults fill the gaps",
    responses: { 200: json('branding', ReportBranding) } },
  { operationId: 'updateReportBranding', method: 'put', path: '/v1/reports/{id}/branding', tag: 'branding', auth: 'user', params: IdPath,
    body: UpdateBranding, summary: "Override the organization's branding for one report (null falls back) (editors, owners)",
    responses: { 200: json('branding', ReportBranding) }, errors: [403] },
  { operationId: 'uploadReportLogo', method: 'put', path: '/v1/reports/{id}/branding/logo', tag: 'branding', auth: 'user', params: IdPath,
    body: UploadLogo, summary: "A logo for one report's exports (PNG or SVG, base64, at most 512 KB) (editors, owners)",
    responses: { 200: json('branding', ReportBranding) }, errors: [403, 413] },
  ...DELIVERY_OPERATIONS,

  { operationId: 'adminCreateOrganization', method: 'post', path: '/admin/v1/organizations', tag: 'admin', auth: 'admin', body: CreateOrganization,
    summary: 'Create an organization', responses: { 201: json('created', AdminOrganizationDetail) } },
  { operationId: 'adminListOrganizations', method: 'get', path: '/admin/v1/organizations', tag: 'admin', auth: 'admin', query: AdminListOrganizations,
    summary: 'Every organization', responses: { 200: json('a page of organizations', AdminOrganizationPage) } },
  { operationId: 'adminGetOrganization', method: 'get', path: '/admin/v1/organizations/{orgId}', tag: 'admin', auth: 'admin',
    params: AdminOrganizationPath, summary: 'One organization with its members and AMC instances', responses: { 200: json('organization', AdminOrganizationDetail) } },
  { operationId: 'adminPutMember', method: 'put', path: '/admin/v1/organizations/{orgId}/members/{userId}', tag: 'admin', auth: 'admin',
    params: AdminMemberPath, body: SetMemberRole, summary: 'Add a user to an organization or change their role (idempotent)',
    responses: { 200: json('membership updated', AdminMembership), 201: json('member added', AdminMembership) } },
  { operationId: 'adminRemoveMember', method: 'delete', path: '/admin/v1/organizations/{orgId}/members/{userId}', tag: 'admin', auth: 'admin',
    params: AdminMemberPath, summary: 'Remove a member', responses: { 204: noContent } },
  { operationId: 'adminPutAmcInstance', method: 'put', path: '/admin/v1/organizations/{orgId}/amc-instances/{instanceId}', tag: 'admin',
    auth: 'admin', params: AdminInstancePath, body: PutAmcInstance,
    summary: 'Give an AMC instance to an organization (idempotent; 409 when another organization owns it)',
    responses: { 200: json('instance updated', AmcInstance), 201: json('instance registered', AmcInstance) }, errors: [409] },
  { operationId: 'adminRemoveAmcInstance', method: 'delete', path: '/admin/v1/organizations/{orgId}/amc-instances/{instanceId}', tag: 'admin',
    auth: 'admin', params: AdminInstancePath, summary: 'Remove an AMC instance (409 while workflows use it)', responses: { 204: noContent }, errors: [409] },

  { operationId: 'readiness', method: 'get', path: '/health', tag: 'operations', auth: 'none',
    summary: 'Readiness: dependencies, migrations, queues', responses: { 200: json('ready', HealthReport), 503: json('not ready', HealthReport) } },
  { operationId: 'liveness', method: 'get', path: '/health/live', tag: 'operations', auth: 'none',
    summary: 'Liveness: the process answers', responses: { 200: json('alive', HealthReport) } },
  { operationId: 'metrics', method: 'get', path: '/metrics', tag: 'operations', auth: 'none',
    summary: 'Prometheus metrics', responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } } },
];

/** The error answers of an operation: its own plus what its auth, parameters and body imply. */
export function errorStatusesOf(operation: ApiOperation): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>(operation.errors ?? []);
  if (operation.auth === 'user' || operation.auth === 'admin' || operation.auth === 'signature') statuses.add(401);
  if (operation.auth === 'admin') statuses.add(403);
  if (operation.params) {
    statuses.add(404);
    // A path parameter over 100 characters (Fastify's maxParamLength) names no row: no id is that long.
    statuses.add(414);
  }
  // Any request can be malformed (a NUL character or a lone surrogate anywhere, a bad parameter).
  statuses.add(400);
  if (operation.body) {
    statuses.add(413);
    statuses.add(415);
  }
  // Postgres or Redis away: user routes and the webhook answer 503 with Retry-After.
  if (operation.auth !== 'none') statuses.add(503);
  return ERROR_STATUSES.filter((status) => statuses.has(status));
}
