import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api, EXPORT_RENDER_JOB, EXPORT_RENDER_JOB_OPTIONS, EXPORT_RENDER_QUEUE, exportRenderJobId, type ExportRenderJob } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { UserScope } from '../common/user-scope.service';
import { ExportRateLimits } from './export-rate-limits';
import { resolveExportTarget } from './export-target';
import { RetryLaterException, type ExportRow } from './export-view';

/** When a user at the in-flight cap may try again: a typical dashboard render finishes well within it. */
export const IN_FLIGHT_RETRY_AFTER_SECONDS = 30;
const QUEUE_RETRY_AFTER_SECONDS = 5;

interface OrganizationUsage {
  in_flight: number;
  stored_bytes: bigint;
  next_expiry: Date | null;
}

/**
 * POST /v1/reports/:id/exports. Everything is checked inside the user's RLS transaction before
 * the row is written (a 4xx writes nothing): the report, the view, the execution, then the caps —
 * exports in flight per user and per organization, the organization's storage quota and the
 * hourly rate limits — serialised per organization and user so concurrent requests cannot both
 * slip under a cap. The job is added after the commit (a worker must find the row); if Redis
 * refuses it, the row is deleted and the answer is 503 — and should the delete fail too, the
 * sweeper re-queues the row. Fairness: a job's priority is its organization's exports in flight,
 * so one organization's burst queues behind another organization's first export, not before it.
 */
@Injectable()
export class ExportRequestService {
  private readonly logger = new Logger(ExportRequestService.name);

  constructor(
    private readonly scope: UserScope,
    private readonly limits: ExportRateLimits,
    @InjectQueue(EXPORT_RENDER_QUEUE) private readonly queue: Queue,
    @InjectGatewayConfig() private readonly config: GatewayConfig,
  ) {}

  async request(user: AuthenticatedUser, reportId: string, input: api.CreateExport): Promise<ExportRow> {
    let charged: string | null = null;
    let admitted: { row: ExportRow; priority: number; organizationId: string };
    try {
      admitted = await this.scope.run(user, async (tx) => {
        const target = await resolveExportTarget(tx, reportId, input);
        const usage = await this.checkCaps(tx, user, target.organizationId);
        await this.limits.consume(user.id, target.organizationId);
        charged = target.organizationId;
        const row = await tx.reportExport.create({
          data: {
            reportConfigurationId: reportId, userId: user.id, format: input.format, scope: input.scope,
            viewId: input.viewId ?? null, executionId: target.executionId, options: input.options,
          },
        });
        return { row, priority: 1 + usage.in_flight, organizationId: target.organizationId };
      });
    } catch (error) {
      if (charged) await this.limits.refund(user.id, charged);
      throw error;
    }
    const { row, priority, organizationId } = admitted;
    try {
      const data: ExportRenderJob = { exportId: row.id };
      await this.queue.add(EXPORT_RENDER_JOB, data, { ...EXPORT_RENDER_JOB_OPTIONS, jobId: exportRenderJobId(row.id), priority });
    } catch (error) {
      this.logger.warn({ msg: `export not queued: ${(error as Error).message}`, exportId: row.id, reportId });
      await this.limits.refund(user.id, organizationId);
      await this.scope.run(user, (tx) => tx.reportExport.deleteMany({ where: { id: row.id, status: 'pending' } })).catch((deleteError: Error) => {
        this.logger.error({ msg: `export row kept for the sweeper to re-queue: ${deleteError.message}`, exportId: row.id });
      });
      throw new RetryLaterException(503, QUEUE_RETRY_AFTER_SECONDS, 'queue_unavailable', 'the export could not be queued right now; nothing was saved, try again');
    }
    return row;
  }

  private async checkCaps(tx: TransactionClient, user: AuthenticatedUser, organizationId: string): Promise<OrganizationUsage> {
    // Organization first, then user, in every request: two locks always taken in one order cannot deadlock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`exports-in-flight:org:${organizationId}`}, 0))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`exports-in-flight:${user.id}`}, 0))`;
    const inFlight = await tx.reportExport.count({ where: { userId: user.id, status: { in: ['pending', 'processing'] } } });
    if (inFlight >= this.config.EXPORTS_IN_FLIGHT_PER_USER) {
      throw new RetryLaterException(429, IN_FLIGHT_RETRY_AFTER_SECONDS, 'too_many_exports',
        `${inFlight} of your exports are still being made (at most ${this.config.EXPORTS_IN_FLIGHT_PER_USER}); try again when one has finished`);
    }
    const [usage] = await tx.$queryRaw<OrganizationUsage[]>`SELECT * FROM app_organization_export_usage(${organizationId}::uuid)`;
    if (usage.in_flight >= this.config.EXPORTS_IN_FLIGHT_PER_ORGANIZATION) {
      throw new RetryLaterException(429, IN_FLIGHT_RETRY_AFTER_SECONDS, 'too_many_exports',
        `${usage.in_flight} exports of your organization are still being made (at most ${this.config.EXPORTS_IN_FLIGHT_PER_ORGANIZATION}); try again when one has finished`);
    }
    const quota = this.config.EXPORT_STORAGE_QUOTA_BYTES_PER_ORGANIZATION;
    if (Number(usage.stored_bytes) >= quota) {
      const seconds = usage.next_expiry ? Math.max(1, Math.ceil((usage.next_expiry.getTime() - Date.now()) / 1000)) : 3600;
      throw new RetryLaterException(429, seconds, 'storage_quota_exceeded',
        `your organization's exports hold ${usage.stored_bytes} bytes, its quota is ${quota} bytes; space frees up as exports expire (the next in ${seconds} s)`);
    }
    return usage;
  }
}
