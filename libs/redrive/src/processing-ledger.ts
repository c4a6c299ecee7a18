import type { PrismaClient } from '@amc-reports/db';

/**
 * What the workers write so that Postgres, not Redis, knows what became of accepted work
 * (migration 20261220100000_processing_ledger). Redis can lose a job (a restart without AOF, a
 * flush); the ledger cannot, and the sweeper compares the two.
 */

/** report.update finished for this event: the execution is recorded and its reports rebuilt. */
export async function markEventProcessed(prisma: PrismaClient, eventRowId: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE amc_execution_events SET processed_at = now(), failed_at = NULL, failure_reason = NULL, failure_transient = NULL
    WHERE id = ${eventRowId}::uuid`;
}

/** report.update failed after its last attempt; `transient` says a re-drive can still succeed. */
export async function markEventFailed(prisma: PrismaClient, eventRowId: string, reason: string, transient: boolean): Promise<void> {
  await prisma.$executeRaw`
    UPDATE amc_execution_events SET failed_at = now(), failure_reason = ${reason.slice(0, 2_000)}, failure_transient = ${transient}
    WHERE id = ${eventRowId}::uuid AND processed_at IS NULL`;
}

export interface InsightRequest {
  executionId: string;
  jobId: string;
}

/**
 * Records the insight generations a rebuild asks for, in one statement, before their jobs are
 * added. A generation already completed by the same job stays completed (adding that job again is
 * a no-op); anything else is queued afresh.
 */
export async function requestInsightGenerations(prisma: PrismaClient, configurationId: string, requests: InsightRequest[]): Promise<void> {
  if (requests.length === 0) return;
  await prisma.$executeRaw`
    INSERT INTO insight_generations (report_configuration_id, execution_id, job_id)
    SELECT ${configurationId}::uuid, r.execution_id, r.job_id
    FROM unnest(${requests.map((r) => r.executionId)}::uuid[], ${requests.map((r) => r.jobId)}::text[]) AS r(execution_id, job_id)
    ON CONFLICT (report_configuration_id, execution_id) DO UPDATE
    SET job_id = excluded.job_id, status = 'queued', failure_reason = NULL, failure_transient = NULL, requested_at = now(),
        finished_at = NULL, swept_at = NULL
    WHERE insight_generations.status <> 'completed' OR insight_generations.job_id <> excluded.job_id`;
}

/**
 * The insight worker finished this generation (stored, or skipped for a reason of the data's own).
 * Only the job that last asked counts: an older job finishing does not settle a newer request.
 */
export async function markGenerationCompleted(prisma: PrismaClient, configurationId: string, executionId: string, jobId: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE insight_generations SET status = 'completed', finished_at = now(), failure_reason = NULL, failure_transient = NULL
    WHERE report_configuration_id = ${configurationId}::uuid AND execution_id = ${executionId}::uuid AND job_id = ${jobId}`;
}

export async function markGenerationFailed(
  prisma: PrismaClient, configurationId: string, executionId: string, jobId: string, reason: string, transient: boolean,
): Promise<void> {
  await prisma.$executeRaw`
    UPDATE insight_generations SET status = 'failed', finished_at = now(), failure_reason = ${reason.slice(0, 2_000)},
           failure_transient = ${transient}
    WHERE report_configuration_id = ${configurationId}::uuid AND execution_id = ${executionId}::uuid AND job_id = ${jobId}
      AND status <> 'completed'`;
}
