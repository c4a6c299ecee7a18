import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { UnrecoverableError, type Queue } from 'bullmq';
import {
  DELIVERY_QUEUE, AmcExecutionCompletedEvent, DASHBOARD_UPDATED, EXPORT_RENDER_QUEUE, INSIGHT_GENERATE_QUEUE, REPORT_UPDATE_QUEUE,
  reportUpdateJobId, type DashboardUpdatedEvent, type ReportUpdateJob,
} from '@amc-reports/contracts';
import type { ReportServiceEnv } from '@amc-reports/config';
import { InjectPgSql, InjectPrisma, ProfileCache, type PgSql, type PrismaClient } from '@amc-reports/db';
import { markEventFailed, markEventProcessed, releaseHeldRegenerations, requestExecutionInsights } from '@amc-reports/redrive';
import { EventsPublisher, isTransientFailure } from '@amc-reports/runtime';
import { LocalDirectoryStorage, type ObjectStorage } from '@amc-reports/storage';
import {
  type ConfigurationToBuild, enabledConfigurationIds, rebuildConfiguration, recordReportUnusable, ShownResultUnusable, workflowConfigurations,
} from './dashboard-rebuilder';
import { executionState, saveExecutionError, saveProfile, supersedeSameWindow, upsertExecution, type RecordedExecution } from './execution-recorder';
import { requestAutoExports, requestExecutionDelivery } from './follow-up-jobs';
import { assertUsableProfile, UnusableResultError } from '@amc-reports/dashboards';
import { readableMessage, type FailureClass } from './classify-failure';
import { InjectReportServiceConfig } from './report-service.config';
import { viewsBehindHistory, workflowBacklog, type DeferralOptions } from './rebuild-deferral';
import { ResultUnavailableError } from './result-source/result-errors';
import { loadResultProfile } from './result-source/load-result-profile';
import type { ResultSourcePolicy } from './result-source/open-result-stream';

export interface JobContext {
  jobId: string;
  attempt: number;
}

/** The workflow of the event and its reports (the insight passes a replay's end releases). */
interface WorkflowReports {
  workflowId: string | null;
  configurationIds: string[];
}

export interface ReportUpdateOutcome {
  executionId: string | null;
  status: string;
  rebuilt: string[];
  /** Configurations whose rebuild a not yet begun job of the workflow does (rebuild-deferral.ts). */
  deferred: string[];
  failedConfigurations: string[];
  error?: string;
}

/**
 * report.update: an accepted AMC event → the execution in the history → every enabled report of
 * the workflow rebuilt → insight and auto-export jobs → dashboard.updated. Each step is keyed by
 * ids (upserts), so at-least-once delivery never duplicates anything.
 */
@Injectable()
export class ReportUpdateService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReportUpdateService.name);
  private readonly storage: ObjectStorage;
  private readonly policy: ResultSourcePolicy;
  private readonly events: EventsPublisher;
  private readonly regenerateDelayMs: number;
  /** History profiles parsed once per process, not once per rebuild (PROFILE_CACHE_ENTRIES). */
  private readonly profiles: ProfileCache;
  private readonly deferral: DeferralOptions;

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    /** The per-event statements: plain pg, named statements (half Prisma's CPU a statement). */
    @InjectPgSql() private readonly sql: PgSql,
    @InjectQueue(INSIGHT_GENERATE_QUEUE) private readonly insightQueue: Queue,
    @InjectQueue(EXPORT_RENDER_QUEUE) private readonly exportQueue: Queue,
    @InjectQueue(DELIVERY_QUEUE) private readonly deliveryQueue: Queue,
    @InjectQueue(REPORT_UPDATE_QUEUE) reportQueue: Queue,
    @InjectReportServiceConfig() config: ReportServiceEnv,
  ) {
    this.storage = new LocalDirectoryStorage(config.STORAGE_DIR);
    this.policy = {
      allowedHosts: config.RESULT_URL_ALLOWLIST, resultsDir: config.RESULTS_DIR, timeoutMs: config.RESULT_DOWNLOAD_TIMEOUT_MS,
      maxBytes: config.RESULT_DOWNLOAD_MAX_BYTES, allowHttp: config.RESULT_URL_ALLOW_HTTP,
    };
    this.events = new EventsPublisher(config.REDIS_URL);
    this.regenerateDelayMs = config.INSIGHT_REGENERATE_DELAY_MS;
    this.profiles = new ProfileCache(config.PROFILE_CACHE_ENTRIES);
    this.deferral = {
      maxLagMs: config.REPORT_REBUILD_MAX_LAG_MS,
      jobState: (amcExecutionId) => reportQueue.getJobState(reportUpdateJobId(amcExecutionId)),
    };
  }

  /** A report service killed while archiving a result left a temporary: gone before this one starts. */
  async onApplicationBootstrap(): Promise<void> {
    const removed = await this.storage.removeTemporariesOfDeadProcesses();
    if (removed > 0) this.logger.warn({ msg: 'removed result archives a killed process left half-written', removed });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
  }

  /** Processes the event, then records in the ledger that it was (the sweeper's "done"). */
  async handle(job: ReportUpdateJob, context: JobContext): Promise<ReportUpdateOutcome> {
    const reports: WorkflowReports = { workflowId: null, configurationIds: [] };
    const outcome = await this.process(job, context, reports);
    await markEventProcessed(this.sql, job.eventRowId);
    // After the mark: the job of a replay that marks last finds none in flight and releases the held insights.
    if (reports.workflowId) await this.releaseHeldInsights(reports.workflowId, reports.configurationIds, context.jobId);
    return outcome;
  }

  /** The workflow's insight passes held through a replay, brought to the normal delay once none of its events is in flight. */
  private async releaseHeldInsights(workflowId: string, configurationIds: string[], jobId: string): Promise<void> {
    const released = await releaseHeldRegenerations(this.sql, this.insightQueue, workflowId, configurationIds, this.regenerateDelayMs);
    if (released > 0) this.logger.log({ msg: `replay over: ${released} held insight regeneration(s) brought forward`, workflowId, jobId });
  }

  /** `reports`: filled with the workflow and its reports once known (for handle's release). */
  private async process(job: ReportUpdateJob, context: JobContext, reports: WorkflowReports): Promise<ReportUpdateOutcome> {
    // The event and whether its workflow reports, in one query.
    const [row] = await this.sql.$queryRaw<Array<{ id: string; workflow_id: string | null; status: string; received_at: Date; payload: unknown; report_enabled: boolean | null }>>`
      SELECT e.id, w.id AS workflow_id, e.status, e.received_at, e.payload, w.report_enabled
      FROM amc_execution_events e LEFT JOIN workflows w ON w.id = e.workflow_id WHERE e.id = ${job.eventRowId}::uuid`;
    if (!row) throw new UnrecoverableError(`event ${job.eventRowId} does not exist`);
    if (!row.workflow_id) return { executionId: null, status: row.status, rebuilt: [], deferred: [], failedConfigurations: [], error: 'unknown workflow' };
    const workflowId = row.workflow_id;
    const event = AmcExecutionCompletedEvent.parse(row.payload);
    const log = { executionId: event.executionId, workflowId, jobId: context.jobId, attempt: context.attempt };
    const execution = await upsertExecution(this.sql, workflowId, event, row.received_at);

    if (event.status === 'SUCCEEDED' && event.result) {
      const usable = await this.profileResult(execution, event);
      if (usable) await supersedeSameWindow(this.sql, execution);
    }
    if (!row.report_enabled) {
      this.logger.log({ msg: 'execution recorded; reporting is off for the workflow', ...log });
      return { executionId: execution.id, status: execution.status, rebuilt: [], deferred: [], failedConfigurations: [] };
    }
    const outcome: ReportUpdateOutcome = { executionId: execution.id, status: execution.status, rebuilt: [], deferred: [], failedConfigurations: [] };
    const current = await executionState(this.sql, execution.id);
    if (!current) throw new Error(`execution ${execution.id} vanished while being processed`);
    const buildable = current.status === 'SUCCEEDED' && current.hasProfile && current.errorCode === null;
    // Read once for every report of the workflow: the later executions a replayed older window changes the insights of.
    const later = buildable ? current.laterUsable : [];

    const configurations = await workflowConfigurations(this.sql, workflowId);
    reports.workflowId = workflowId;
    reports.configurationIds = configurations.map((c) => c.id);
    const backlog = buildable
      ? await workflowBacklog(this.sql, workflowId, configurations.map((c) => c.id), job.eventRowId, this.deferral)
      : { waiting: false, deferred: new Set<string>() };
    const deferred = backlog.deferred;
    for (const config of configurations) {
      if (buildable && deferred.has(config.id)) {
        outcome.deferred.push(config.id);
      } else if (buildable) {
        const unusable = await this.rebuild(workflowId, config, log);
        if (unusable) {
          outcome.failedConfigurations.push(config.id);
          await this.announce(config.id, workflowId, execution.id, current.status);
          continue;
        }
        outcome.rebuilt.push(config.id);
      } else if (this.deferral.maxLagMs > 0 && (await viewsBehindHistory(this.sql, workflowId, config.id))) {
        // Nothing of its own to show, but a job may have left its rebuild to this one.
        await this.rebuild(workflowId, config, log);
      }
      if (buildable) {
        await requestExecutionInsights(this.sql, this.insightQueue, config.id, execution.id, later, this.regenerateDelayMs, { workflowBacklog: backlog.waiting });
        await requestAutoExports(this.prisma, this.exportQueue, config.id, config.exportSettings, execution.id);
        if (config.deliversAfterExecution) await requestExecutionDelivery(this.deliveryQueue, config.id, execution.id);
      }
      await this.announce(config.id, workflowId, execution.id, current.status);
    }
    this.logger.log({ msg: `execution ${current.status}: ${outcome.rebuilt.length} dashboard(s) rebuilt, ${outcome.deferred.length} left to a later job`, ...log });
    return outcome;
  }

  /**
   * One report's settings not fitting a result must not hold back the others: the verdict is this
   * report's (report_unusable_executions), and the report is rebuilt once more without that
   * result, so its stored views show the previous good execution with this one as a gap.
   * Returns the problem, or null when the views were rebuilt from the newest result.
   */
  private async rebuild(workflowId: string, config: ConfigurationToBuild, log: Record<string, unknown>): Promise<ShownResultUnusable | null> {
    let first: ShownResultUnusable | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await rebuildConfiguration(this.sql, workflowId, config, this.profiles);
        return first;
      } catch (error) {
        if (!(error instanceof ShownResultUnusable)) throw error;
        await recordReportUnusable(this.sql, config.id, error.executionId, error.problem);
        this.logger.warn({ msg: `report cannot use this result: ${error.message}`, reportId: config.id, shownExecutionId: error.executionId, ...log });
        first ??= error;
      }
    }
    return first;
  }

  /** Profiles and archives the result; a permanent problem is written on the execution, not retried. */
  private async profileResult(execution: RecordedExecution, event: AmcExecutionCompletedEvent): Promise<boolean> {
    try {
      const loaded = await loadResultProfile(event.result!, execution.id, this.storage, this.policy);
      // No rows or no numeric column: no report of any type can use it, so it is the result's fault.
      assertUsableProfile(loaded.profile);
      await saveProfile(this.sql, execution.id, loaded.profile, loaded.rawResultKey, this.profiles);
      return true;
    } catch (error) {
      if (error instanceof UnusableResultError) {
        await saveExecutionError(this.sql, execution.id, 'UNUSABLE_RESULT', error.message);
        return false;
      }
      if (error instanceof ResultUnavailableError) {
        // The message is for the dashboard; where exactly (a server path) is for the logs.
        this.logger.warn({ msg: `result not used: ${error.message}`, code: error.code, executionId: execution.id, ...error.logDetail });
        await saveExecutionError(this.sql, execution.id, error.code, error.message);
        return false;
      }
      throw error;
    }
  }

  private async announce(reportId: string, workflowId: string, executionId: string, status: string): Promise<void> {
    const payload: DashboardUpdatedEvent = { reportId, workflowId, executionId, status, occurredAt: new Date().toISOString() };
    await this.events.publish(DASHBOARD_UPDATED, payload);
  }

  /**
   * After the last attempt, or at once for a permanent failure: the execution shows why its
   * dashboard did not update, in words without server paths; the full error goes to the log. The
   * ledger says whether the cause was transient (then the sweeper re-drives it) or the work's own.
   */
  async recordFailure(job: ReportUpdateJob, error: Error, context: { failure: FailureClass; attempts: number; jobId: string }): Promise<void> {
    const { failure, attempts } = context;
    const code = failure.kind === 'permanent' ? failure.code : 'PROCESSING_FAILED';
    const message =
      failure.kind === 'permanent'
        ? failure.reason
        : `processing failed after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${readableMessage(error)}`;
    const row = await this.prisma.amcExecutionEvent.findUnique({ where: { id: job.eventRowId } }).catch(() => null);
    if (row) await markEventFailed(this.prisma, row.id, error.message, failure.kind !== 'permanent' && isTransientFailure(error));
    const execution = row
      ? await this.prisma.workflowExecution.findUnique({
          where: { amcInstanceId_amcExecutionId: { amcInstanceId: row.amcInstanceId, amcExecutionId: row.amcExecutionId } },
        })
      : null;
    // The workflow's reports, read once: their dashboards hear of the failure, their held insights are released.
    const workflowId = execution?.workflowId ?? row?.workflowId ?? null;
    const configurationIds = workflowId ? await enabledConfigurationIds(this.prisma, workflowId) : [];
    if (execution) {
      await saveExecutionError(this.prisma, execution.id, code, message);
      // Open dashboards show the failed run at once, as they do a successful one.
      for (const configurationId of configurationIds) await this.announce(configurationId, execution.workflowId, execution.id, execution.status);
    }
    // A replay's last event failing for good ends the replay as much as one processed does.
    if (workflowId) {
      await this.releaseHeldInsights(workflowId, configurationIds, context.jobId).catch((release: Error) =>
        this.logger.warn({ msg: `held insight regenerations left to their hold: ${release.message}`, workflowId, jobId: context.jobId }));
    }
    this.logger.error({
      msg: `report.update failed for good: ${code}: ${message}`,
      executionId: execution?.id, amcExecutionId: row?.amcExecutionId, eventId: row?.eventId, eventRowId: job.eventRowId,
      jobId: context.jobId, attempts, recorded: execution !== null, error: error.message, stack: error.stack,
    });
  }
}
