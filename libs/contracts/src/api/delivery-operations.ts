import type { ApiOperation, ApiResponse } from './operations';
import { IdPath } from './library.schema';
import {
  CreatedSubscription, CreateSubscription, DeliveryPage, DeliveryView, ListDeliveries, ListSubscriptions, SubscriptionPage,
  SubscriptionPath, SubscriptionView, UpdateSubscription,
} from './delivery.schema';
import {
  CreatedShareLink, CreateShareLink, DownloadLinkPath, ListShareLinks, RequestSharedExport, SharedDashboard, SharedExport,
  SharedExportPath, SharedPath, ShareLinkPage, ShareLinkPath,
} from './share-links.schema';

const json = (description: string, schema: ApiResponse['schema']): ApiResponse => ({ description, schema });
const file: ApiResponse = { description: 'the file', contentType: 'application/octet-stream' };

/** Subscriptions, deliveries and share links (issue 16); listed in API_OPERATIONS like every route. */
export const DELIVERY_OPERATIONS: readonly ApiOperation[] = [
  { operationId: 'listSubscriptions', method: 'get', path: '/v1/reports/{id}/subscriptions', tag: 'delivery', auth: 'user', params: IdPath,
    query: ListSubscriptions, summary: "A report's subscriptions with their next run and recent deliveries", responses: { 200: json('subscriptions', SubscriptionPage) } },
  { operationId: 'createSubscription', method: 'post', path: '/v1/reports/{id}/subscriptions', tag: 'delivery', auth: 'user', params: IdPath,
    body: CreateSubscription, summary: 'Subscribe e-mail, Slack or a signed webhook to a report (editors, owners); a webhook\'s secret is shown once',
    responses: { 201: json('created', CreatedSubscription) }, errors: [403] },
  { operationId: 'updateSubscription', method: 'patch', path: '/v1/reports/{id}/subscriptions/{subscriptionId}', tag: 'delivery', auth: 'user',
    params: SubscriptionPath, body: UpdateSubscription, summary: 'Change a subscription (editors, owners)',
    responses: { 200: json('updated', CreatedSubscription) }, errors: [403] },
  { operationId: 'deleteSubscription', method: 'delete', path: '/v1/reports/{id}/subscriptions/{subscriptionId}', tag: 'delivery', auth: 'user',
    params: SubscriptionPath, summary: 'Delete a subscription and its schedule (editors, owners)', responses: { 204: { description: 'done; no body' } }, errors: [403] },
  { operationId: 'sendSubscriptionNow', method: 'post', path: '/v1/reports/{id}/subscriptions/{subscriptionId}/deliveries', tag: 'delivery',
    auth: 'user', params: SubscriptionPath, summary: 'Send the latest execution now, whatever the conditions (editors, owners)',
    responses: { 202: json('queued', DeliveryView) }, errors: [403, 409] },
  { operationId: 'listDeliveries', method: 'get', path: '/v1/reports/{id}/deliveries', tag: 'delivery', auth: 'user', params: IdPath,
    query: ListDeliveries, summary: "A report's deliveries, newest first: sent, skipped (and by what), failed (and why)",
    responses: { 200: json('a page of deliveries', DeliveryPage) } },

  { operationId: 'listShareLinks', method: 'get', path: '/v1/reports/{id}/share-links', tag: 'sharing', auth: 'user', params: IdPath,
    query: ListShareLinks, summary: "A report's client share links with their views", responses: { 200: json('share links', ShareLinkPage) } },
  { operationId: 'createShareLink', method: 'post', path: '/v1/reports/{id}/share-links', tag: 'sharing', auth: 'user', params: IdPath,
    body: CreateShareLink, summary: 'A read-only, expiring, revocable link for a client without an account (editors, owners)',
    responses: { 201: json('created; the token is shown this once', CreatedShareLink) }, errors: [403] },
  { operationId: 'revokeShareLink', method: 'delete', path: '/v1/reports/{id}/share-links/{linkId}', tag: 'sharing', auth: 'user',
    params: ShareLinkPath, summary: 'Revoke a share link: it answers 410 from now on (editors, owners)', responses: { 204: { description: 'done; no body' } }, errors: [403] },

  { operationId: 'getSharedDashboard', method: 'get', path: '/v1/shared/{token}/dashboard', tag: 'sharing', auth: 'none', params: SharedPath,
    summary: 'The shared report\'s dashboard (logged as a view)', responses: { 200: json('dashboard', SharedDashboard) }, errors: [410, 503] },
  { operationId: 'requestSharedExport', method: 'post', path: '/v1/shared/{token}/exports', tag: 'sharing', auth: 'none', params: SharedPath,
    body: RequestSharedExport, summary: "The latest execution's export in a format, when the link allows exports",
    responses: { 202: json('the export (rendered once per execution and format)', SharedExport) }, errors: [403, 409, 410, 503] },
  { operationId: 'getSharedExport', method: 'get', path: '/v1/shared/{token}/exports/{format}', tag: 'sharing', auth: 'none', params: SharedExportPath,
    summary: 'The state of a shared export', responses: { 200: json('export', SharedExport) }, errors: [403, 410, 503] },
  { operationId: 'downloadSharedExport', method: 'get', path: '/v1/shared/{token}/exports/{format}/download', tag: 'sharing', auth: 'none',
    params: SharedExportPath, summary: 'The shared export file (logged as a download)', responses: { 200: file }, errors: [403, 409, 410, 503] },
  { operationId: 'downloadLinkedFile', method: 'get', path: '/v1/download-links/{token}', tag: 'delivery', auth: 'none', params: DownloadLinkPath,
    summary: 'A delivered file behind an expiring link (attachments too large to mail, Slack and webhook files)',
    responses: { 200: file }, errors: [410, 503] },
];
