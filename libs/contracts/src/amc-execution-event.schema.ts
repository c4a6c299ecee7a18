import { z } from 'zod';

/** AMC's execution statuses; only SUCCEEDED results build dashboards (DESIGN §6). */
export const AMC_EXECUTION_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type AmcExecutionStatus = (typeof AMC_EXECUTION_STATUSES)[number];

const opaqueId = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
const isoDateTime = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time' });
const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const InlineResult = z
  .object({
    format: z.literal('rows'),
    columns: z.array(z.string().min(1).max(200)).min(1).max(500),
    rows: z.array(z.array(cell)).max(1_000_000),
  })
  .superRefine((result, ctx) => {
    const width = result.columns.length;
    const bad = result.rows.findIndex((row) => row.length !== width);
    if (bad >= 0) {
      ctx.addIssue({ code: 'custom', path: ['rows', bad], message: `has ${result.rows[bad].length} cells, expected ${width} (one per column)` });
    }
  });

/** A CSV result by URL: AMC's pre-signed download URL (https), or file:// inside RESULTS_DIR. */
export const CsvResultLink = z.object({
  format: z.literal('csv'),
  url: z.string().url().refine((value) => /^(https?|file):\/\//.test(value), 'must be an https:// or file:// URL'),
});

export const ExecutionResult = z.discriminatedUnion('format', [InlineResult, CsvResultLink]);
export type ExecutionResult = z.infer<typeof ExecutionResult>;

export const AmcExecutionCompletedEvent = z
  .object({
    eventId: opaqueId,
    type: z.literal('amc.execution.completed').default('amc.execution.completed'),
    occurredAt: isoDateTime.optional(),
    instanceId: opaqueId,
    /** Ours (a workflows.id) or AMC's workflow id: at least one. */
    workflowId: z.string().uuid().optional(),
    amcWorkflowId: opaqueId.optional(),
    executionId: opaqueId,
    status: z.enum(AMC_EXECUTION_STATUSES),
    timeWindow: z.object({
      start: isoDateTime,
      end: isoDateTime,
      timeZone: z.string().max(64).optional(),
    }),
    result: ExecutionResult.nullable().default(null),
    error: z
      .object({ code: z.string().max(200).optional(), message: z.string().max(10_000) })
      .nullable()
      .default(null),
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
