import { z } from 'zod';
import { EXPORT_FORMATS, EXPORT_STATUSES } from '../export-render.queue';
import { Name, NullableTimestamp, pageOf, Pagination, Timestamp, Uuid } from './common.schema';
import { Dashboard } from './reports.schema';

export const SHARE_LINK_MAX_DAYS = 365;
export const SHARE_LINK_MAX_ORIGINS = 10;

/** An origin that may frame a shared page: scheme, host and port only, nothing a CSP could misread. */
const FrameOrigin = z.string().trim().max(300).superRefine((value, ctx) => {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an origin such as https://client.example.com' });
    return;
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.origin !== value.replace(/\/$/, '').toLowerCase()) {
    ctx.addIssue({ code: 'custom', message: 'must be an origin (scheme://host[:port]) without path, query or credentials' });
  }
}).transform((value) => new URL(value).origin);

export const CreateShareLink = z.strictObject({
  expiresAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).superRefine((date, ctx) => {
    const now = Date.now();
    if (date.getTime() <= now) ctx.addIssue({ code: 'custom', message: 'must be in the future' });
    if (date.getTime() > now + SHARE_LINK_MAX_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', message: `at most ${SHARE_LINK_MAX_DAYS} days ahead` });
  }),
  allowExports: z.boolean().default(false),
  allowedOrigins: z.array(FrameOrigin).max(SHARE_LINK_MAX_ORIGINS).default([]),
  label: Name().optional(),
});
export type CreateShareLink = z.infer<typeof CreateShareLink>;

export const ShareLinkPath = z.strictObject({ id: z.string(), linkId: z.string() });
export const ListShareLinks = Pagination;

export const ShareLinkView = z.object({
  id: Uuid,
  label: z.string().nullable(),
  allowExports: z.boolean(),
  allowedOrigins: z.array(z.string()),
  expiresAt: Timestamp,
  revokedAt: NullableTimestamp,
  createdAt: Timestamp,
  status: z.enum(['active', 'expired', 'revoked']),
  viewCount: z.int(),
  lastViewedAt: NullableTimestamp,
});
export const ShareLinkPage = pageOf(ShareLinkView);
/** Only the answer to its creation carries the token and the page's URL: the token is kept hashed. */
export const CreatedShareLink = ShareLinkView.extend({ token: z.string(), url: z.string() });

export const SharedPath = z.strictObject({ token: z.string() });
export const SharedExportPath = z.strictObject({ token: z.string(), format: z.string() });
export const RequestSharedExport = z.strictObject({ format: z.enum(EXPORT_FORMATS) });

/**
 * The dashboard as a share link shows it: what the report shows, and no report, workflow,
 * organization or user id (the link's token is the only handle).
 */
export const SharedDashboard = z.object({
  report: z.object({ name: z.string(), dashboardType: z.string() }).strict(),
  latestRun: Dashboard.shape.latestRun,
  history: Dashboard.shape.history,
  views: Dashboard.shape.views,
  insights: Dashboard.shape.insights,
  share: z.object({ expiresAt: Timestamp, allowExports: z.boolean() }),
});

/** The latest execution's dashboard export in one format, as the share page polls it. */
export const SharedExport = z.object({
  format: z.enum(EXPORT_FORMATS),
  status: z.enum(EXPORT_STATUSES),
  progress: z.int().min(0).max(100),
  error: z.string().nullable(),
  fileSizeBytes: z.int().nullable(),
  expiresAt: NullableTimestamp,
  downloadUrl: z.string().nullable(),
});

export const DownloadLinkPath = z.strictObject({ token: z.string() });
