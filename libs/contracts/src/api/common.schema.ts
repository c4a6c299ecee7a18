import { z } from 'zod';

/**
 * Building blocks of the user and admin API's request and response schemas. The gateway validates
 * requests with these, the OpenAPI document is generated from them (api/openapi-document.ts), and
 * the e2e tests check real responses against that document: one definition, three uses.
 */

export const Uuid = z.string().uuid();
/** Dates leave the API as ISO 8601 strings (JSON of a JS Date). */
export const Timestamp = z.iso.datetime({ offset: true });
export const NullableTimestamp = Timestamp.nullable();

/** A name people type: trimmed, 1..max characters. */
export const Name = (max = 200) => z.string().trim().min(1).max(max);

/** AMC's opaque ids (instance, workflow, execution): printable ASCII without spaces. */
export const AmcId = z.string().trim().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const PAGE_LIMIT_MAX = 100;
export const Pagination = z.strictObject({
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type Pagination = z.infer<typeof Pagination>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    limit: z.int(),
    offset: z.int(),
    nextOffset: z.int().nullable(),
  });
}

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  nextOffset: number | null;
}

/** Fetch limit + 1 rows; the extra one only says whether there is a next page. */
export function toPage<T>(rows: T[], pagination: Pagination): Page<T> {
  const hasMore = rows.length > pagination.limit;
  return {
    items: rows.slice(0, pagination.limit), limit: pagination.limit, offset: pagination.offset,
    nextOffset: hasMore ? pagination.offset + pagination.limit : null,
  };
}

/**
 * Every error the API answers has this shape: the HTTP status again, a machine-readable `error`
 * code, a sentence for people, and — for 400s — one issue per bad field.
 */
export const FieldIssue = z.object({ field: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  statusCode: z.int().min(400).max(599),
  error: z.string(),
  message: z.string(),
  /** 400: each bad field. */
  issues: z.array(FieldIssue).optional(),
  /** 401: why the credentials were refused (e.g. expired_token). */
  reason: z.string().optional(),
  /** 409 on a unique key: the field that is taken. */
  field: z.string().optional(),
  /** 429 / 503: when to try again (also the Retry-After header). */
  retryAfterSeconds: z.int().optional(),
}).passthrough();
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ERROR_STATUSES = [400, 401, 403, 404, 409, 410, 413, 414, 415, 429, 503] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

/**
 * Report settings are validated per dashboard type (report-settings.ts); before that, any settings
 * object is capped in size so a megabyte of JSON is a 400 naming the limit, not a stored row.
 */
export const SETTINGS_MAX_BYTES = 64 * 1024;
export const SettingsObject = z.record(z.string().max(100), z.unknown()).superRefine((value, ctx) => {
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > SETTINGS_MAX_BYTES) {
    ctx.addIssue({ code: 'custom', message: `settings hold ${bytes} bytes; at most ${SETTINGS_MAX_BYTES} bytes (64 KB) are accepted` });
  }
});
