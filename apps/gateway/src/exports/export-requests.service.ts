import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { EXPORT_RENDER_JOB, EXPORT_RENDER_JOB_OPTIONS, EXPORT_RENDER_QUEUE, exportRenderJobId, type ExportRenderJob } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { notFound, validationError } from '../common/request-validation';
import { UserScope } from '../common/user-scope.service';
import type { CreateExport } from './export-request.schema';
import { RetryLaterException, type ExportRow } from './export-view';

/** When a user at the in-flight cap may try again: a typical dashboard render finishes well within it. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 30;
const QUEUE_RETRY_AFTER_SECONDS = 5;

interface ExportTarget {
  executionId: string | null;
}

/**
 * POST /v1/reports/:id/exports. Everything is checked inside the user's RLS transaction before
 * the row is written (a 4xx writes nothing): the report, the view, the execution, then the cap
 * on exports in flight, serialised per user so two concurrent requests cannot both slip under it.
 * The job is added after the commit (a worker must find the row); if Redis refuses it, the row is
 * deleted and the answer is 503 — and should the delete fail too, the sweeper re-queues the row.
 */
@Injectable()
export class ExportRequestService {
  private readonly logger = new Logger(ExportRequestService.name);

  constructor(
    private readonly scope: UserScope,
    @InjectQueue(EXPORT_RENDER_QUEUE) private readonly queue: Queue,
    @InjectGatewayConfig() private readonly config: GatewayConfig,
  ) {}

  async request(user: AuthenticatedUser, reportId: string, input: CreateExport): Promise<ExportRow> {
    const row = await this.scope.run(user, async (tx) => {
      const target = await resolveTarget(tx, reportId, input);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`exports-in-flight:${user.id}`}, 0))`;
      const inFlight = await tx.reportExport.count({ where: { userId: user.id, status: { in: ['pending', 'processing'] } } });
      if (inFlight >= this.config.EXPORTS_IN_FLIGHT_PER_USER) {
        throw new RetryLaterException(429, IN_FLIGHT_RETRY_AFTER_SECONDS, 'too_many_exports',
          `${inFlight} of your exports are still being made (at most ${this.config.EXPORTS_IN_FLIGHT_PER_USER}); try again when one has finished`);
      }
      return tx.reportExport.create({
        data: {
          reportConfigurationId: reportId, userId: user.id, format: input.format, scope: input.scope,
          viewId: input.viewId ?? null, executionId: target.executionId, options: input.options,
        },
      });
    });
    try {
      const data: ExportRenderJob = { exportId: row.id };
      await this.queue.add(EXPORT_RENDER_JOB, data, { ...EXPORT_RENDER_JOB_OPTIONS, jobId: exportRenderJobId(row.id) });
    } catch (error) {
      this.logger.warn({ msg: `export not queued: ${(error as Error).message}`, exportId: row.id, reportId });
      await this.scope.run(user, (tx) => tx.reportExport.deleteMany({ where: { id: row.id, status: 'pending' } })).catch((deleteError: Error) => {
        this.logger.error({ msg: `export row kept for the sweeper to re-queue: ${deleteError.message}`, exportId: row.id });
      });
      throw new RetryLaterException(503, QUEUE_RETRY_AFTER_SECONDS, 'queue_unavailable', 'the export could not be queued right now; nothing was saved, try again');
    }
    return row;
  }
}

/** The checks that need the database, each a 404 (the report) or a 400 naming the field. */
async function resolveTarget(tx: TransactionClient, reportId: string, input: CreateExport): Promise<ExportTarget> {
  const report = await tx.reportConfiguration.findUnique({ where: { id: reportId }, select: { id: true, workflowId: true } });
  if (!report) throw notFound('report');
  if (!report.workflowId) throw validationError([{ field: 'reportId', message: "exports are made from a workflow's report, not from a template default" }]);

  if (input.scope === 'raw') {
    const select = { id: true, rawResultKey: true } as const;
    const execution = input.executionId
      ? await tx.workflowExecution.findFirst({ where: { id: input.executionId, workflowId: report.workflowId }, select })
      : await tx.workflowExecution.findFirst({
        where: { workflowId: report.workflowId, status: 'SUCCEEDED', rawResultKey: { not: null } },
        orderBy: [{ completedAt: 'desc' }, { createdAt: 'desc' }],
        select,
      });
    if (input.executionId && !execution) throw validationError([{ field: 'executionId', message: "no such execution of this report's workflow" }]);
    if (!execution?.rawResultKey) {
      throw validationError([{
        field: 'executionId',
        message: input.executionId
          ? 'this execution has no archived result (it did not succeed, or its result is past retention)'
          : 'the workflow has no execution with an archived result yet',
      }]);
    }
    return { executionId: execution.id };
  }

  const views = await tx.dashboardView.findMany({
    where: { reportConfigurationId: report.id },
    select: { id: true, viewType: true, sourceExecutionId: true, processedAt: true },
  });
  let selected = views;
  if (input.scope === 'view') {
    const view = views.find((candidate) => candidate.id === input.viewId);
    if (!view) throw validationError([{ field: 'viewId', message: 'no such view in this report' }]);
    if (view.viewType === 'insight' && (input.format === 'csv' || input.format === 'excel')) {
      throw validationError([{ field: 'format', message: `view ${view.id} holds insights, not rows: export it as pdf or png` }]);
    }
    selected = [view];
  } else if (views.length === 0) {
    throw validationError([{ field: 'scope', message: 'the report has no dashboard yet: it is built after the first successful execution' }]);
  }
  const newest = [...selected].sort((a, b) => (b.processedAt?.getTime() ?? 0) - (a.processedAt?.getTime() ?? 0))[0];
  const shown = newest?.sourceExecutionId ?? null;
  if (input.executionId && input.executionId !== shown) {
    throw validationError([{
      field: 'executionId',
      message: `the dashboard shows execution ${shown ?? '(none)'}; an older execution can only be exported raw (scope "raw")`,
    }]);
  }
  return { executionId: shown };
}
