import { z } from 'zod';

/** AMC's execution statuses; only SUCCEEDED results build dashboards (DESIGN §6). */
export const AMC_EXECUTION_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type AmcExecutionStatus = (typeof AMC_EXECUTION_STATUSES)[number];

/*
 * Rules that refuse at ingestion (400) what the report service could never store or process.
 * Each exists because a schema-valid event used to fail all its report.update attempts:
 * - text: no NUL and no lone UTF-16 surrogate in any string (Postgres text and jsonb cannot hold
 *   them: 22P05 / 22021);
 * - date-times: the instant, in UTC, lies in the years 0001–9999 (year 0 is out of Postgres'
 *   range, 22008; a year past 9999 is stored but read back as an invalid Date, which then breaks
 *   every later update of the workflow);
 * - time zones: an IANA name the runtime knows (America/New_York, UTC, Etc/GMT+5), not an offset;
 * - file:// result URLs: no host but localhost, no encoded "/" or NUL in the path (Node refuses to
 *   turn such a URL into a path);
 * - inline columns: not blank and unique once trimmed (the profiler trims header names).
 */

const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, or undefined when it can. */
export function unstorableTextProblem(text: string): string | undefined {
  if (NUL.test(text)) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
  return undefined;
}

function storableText(schema: z.ZodString) {
  return schema.superRefine((text, ctx) => {
    const problem = unstorableTextProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}
const text = (max: number) => storableText(z.string().max(max));

const opaqueId = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: what Postgres timestamptz and JS Date both round-trip. */
export const EARLIEST_INSTANT_MS = Date.parse('0001-01-01T00:00:00Z');
export const LATEST_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');

const isoDateTime = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
  .superRefine((value, ctx) => {
    const instant = Date.parse(value);
    if (Number.isNaN(instant)) ctx.addIssue({ code: 'custom', message: 'must be a valid ISO 8601 date-time' });
    else if (instant < EARLIEST_INSTANT_MS || instant > LATEST_INSTANT_MS) {
      ctx.addIssue({ code: 'custom', message: 'must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z once converted to UTC' });
    }
  });

/** An IANA zone name shape (no offsets such as "+05:00"), and one this runtime can convert with. */
const IANA_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

export function isKnownTimeZone(name: string): boolean {
  if (!IANA_ZONE_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const timeZone = z
  .string()
  .max(64)
  .refine(isKnownTimeZone, 'must be an IANA time zone name such as America/New_York or UTC');

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** A 400 for a million bad cells would be bigger than the event: the first few name the problem. */
const MAX_CELL_ISSUES = 20;

export const InlineResult = z
  .object({
    format: z.literal('rows').describe('`rows`: the result is in the event'),
    columns: z.array(text(200).min(1)).min(1).max(500).describe('the result\'s column names as AMC writes them (1 to 500, unique once trimmed); the dashboard types read them by name (below)'),
    rows: z.array(z.array(cell)).max(1_000_000).describe('one array per row, one cell per column: a string, number, boolean or null (up to 1,000,000 rows); a `filtered` column marks rows AMC withheld for privacy'),
  })
  .superRefine((result, ctx) => {
    const width = result.columns.length;
    const bad = result.rows.findIndex((row) => row.length !== width);
    if (bad >= 0) {
      ctx.addIssue({ code: 'custom', path: ['rows', bad], message: `has ${result.rows[bad].length} cells, expected ${width} (one per column)` });
    }
    const firstIndexByName = new Map<string, number>();
    result.columns.forEach((column, index) => {
      // The profiler reads a header name trimmed and without a BOM: two names equal then are one column.
      const name = column.replace(/^\uFEFF/, '').trim();
      if (name === '') return void ctx.addIssue({ code: 'custom', path: ['columns', index], message: 'must not be blank' });
      const first = firstIndexByName.get(name);
      if (first === undefined) firstIndexByName.set(name, index);
      else ctx.addIssue({ code: 'custom', path: ['columns', index], message: `repeats column ${first} ("${name.slice(0, 60)}"); column names must be unique` });
    });
    let cellIssues = 0;
    for (let rowIndex = 0; rowIndex < result.rows.length && cellIssues < MAX_CELL_ISSUES; rowIndex++) {
      const row = result.rows[rowIndex];
      for (let cellIndex = 0; cellIndex < row.length && cellIssues < MAX_CELL_ISSUES; cellIndex++) {
        const value = row[cellIndex];
        const problem = typeof value === 'string' ? unstorableTextProblem(value) : undefined;
        if (problem) {
          ctx.addIssue({ code: 'custom', path: ['rows', rowIndex, cellIndex], message: problem });
          cellIssues++;
        }
      }
    }
  });

/** A CSV result by URL: AMC's pre-signed download URL (https), or file:// inside RESULTS_DIR. */
export const CsvResultLink = z.object({
  format: z.literal('csv').describe('`csv`: the result is a CSV file to download'),
  url: text(8_192)
    .url()
    .refine((value) => /^(https?|file):\/\//.test(value), 'must be an https:// or file:// URL')
    .superRefine((value, ctx) => {
      const problem = fileUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('AMC\'s pre-signed https:// download URL of the result CSV, or file:///… inside the report service\'s RESULTS_DIR'),
});

/** Why a file:// URL cannot name a file on the report service (undefined for other URLs). */
export function fileUrlProblem(value: string): string | undefined {
  if (!/^file:/i.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined; // the url() check names it
  }
  if (url.hostname !== '' && url.hostname.toLowerCase() !== 'localhost') {
    return `a file:// URL must not name a host ("${url.hostname.slice(0, 60)}"): write file:///path`;
  }
  if (/%2f|%00/i.test(url.pathname)) return 'a file:// URL must not encode "/" or NUL (%2F, %00) in its path';
  return undefined;
}

export const ExecutionResult = z.discriminatedUnion('format', [InlineResult, CsvResultLink]);
export type ExecutionResult = z.infer<typeof ExecutionResult>;

export const AmcExecutionCompletedEvent = z
  .object({
    eventId: opaqueId.describe('the sender\'s id of this event (printable ASCII, up to 200): a second event with the same id is answered `duplicate` and not processed again'),
    type: z.literal('amc.execution.completed').default('amc.execution.completed').describe('always `amc.execution.completed` (the default)'),
    occurredAt: isoDateTime.optional().describe('when AMC finished the execution (ISO 8601 with offset); the newer of two runs of one window replaces the older'),
    instanceId: opaqueId.describe('the AMC instance id the workflow runs on: one of an organization\'s registered instances'),
    /** Ours (a workflows.id) or AMC's workflow id: at least one. */
    workflowId: z.string().uuid().optional().describe('our workflow id (a UUID); this or `amcWorkflowId` is required'),
    amcWorkflowId: opaqueId.optional().describe('AMC\'s workflow id, as set on the workflow; this or `workflowId` is required'),
    executionId: opaqueId.describe('AMC\'s execution id; a re-run of a window is a new execution id with the same `timeWindow`'),
    status: z.enum(AMC_EXECUTION_STATUSES).describe('AMC\'s status; only SUCCEEDED results build dashboards, FAILED and CANCELLED are shown with `error`'),
    timeWindow: z.object({
      start: isoDateTime.describe('the first instant the query covered (ISO 8601 with offset)'),
      end: isoDateTime.describe('the end of the window, exclusive as in AMC: 2026-11-09T00:00:00-05:00 ends the window with Nov 8, shown as its last day'),
      timeZone: timeZone.optional().describe('the IANA time zone the window\'s days are in (America/New_York); without it, the offset of `start`'),
    }).describe('the window of time the query covered'),
    result: ExecutionResult.nullable().default(null).describe('the result: `{format: rows, columns, rows}` inline or `{format: csv, url}`; required when SUCCEEDED'),
    error: z
      .object({
        code: text(200).optional().describe('AMC\'s error code, e.g. PrivacyThresholdNotMet'),
        message: text(10_000).describe('AMC\'s reason, shown to people as it is'),
      })
      .nullable()
      .default(null)
      .describe('why a FAILED or CANCELLED execution has no result'),
  })
  .superRefine((event, ctx) => {
    if (!event.workflowId && !event.amcWorkflowId) {
      ctx.addIssue({ code: 'custom', path: ['workflowId'], message: 'workflowId or amcWorkflowId is required' });
    }
    if (Date.parse(event.timeWindow.end) < Date.parse(event.timeWindow.start)) {
      ctx.addIssue({ code: 'custom', path: ['timeWindow', 'end'], message: 'must not be before timeWindow.start' });
    }
    if (event.status === 'SUCCEEDED' && !event.result) {
      ctx.addIssue({ code: 'custom', path: ['result'], message: 'is required when status is SUCCEEDED' });
    }
  });
export type AmcExecutionCompletedEvent = z.infer<typeof AmcExecutionCompletedEvent>;

/** "path.to.field: message" for each zod issue, so a 400 names every bad field. */
export function describeIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}
