import { packProfile, unpackProfile, type AmcExecutionCompletedEvent, type ResultProfile } from '@amc-reports/contracts';
import type { PrismaClient, ProfileCache } from '@amc-reports/db';

export interface RecordedExecution {
  id: string;
  workflowId: string;
  status: string;
  timeWindowStart: Date;
  timeWindowEnd: Date;
  completedAt: Date;
}

/**
 * workflow_executions is the history. Upserted by AMC's (instance, execution id), so a job that
 * runs twice writes the same row; the profile and errors are written by later steps.
 */
export async function upsertExecution(
  prisma: PrismaClient, workflowId: string, event: AmcExecutionCompletedEvent, receivedAt: Date,
): Promise<RecordedExecution> {
  const completedAt = event.occurredAt ? new Date(event.occurredAt) : receivedAt;
  const error = event.error ? { errorCode: event.error.code ?? event.status, error: event.error.message } : { errorCode: null, error: null };
  const fields = {
    workflowId, status: event.status, timeWindowStart: new Date(event.timeWindow.start), timeWindowEnd: new Date(event.timeWindow.end),
    timeZone: event.timeWindow.timeZone ?? null, completedAt, ...error,
  };
  const row = await prisma.workflowExecution.upsert({
    where: { amcInstanceId_amcExecutionId: { amcInstanceId: event.instanceId, amcExecutionId: event.executionId } },
    create: { amcInstanceId: event.instanceId, amcExecutionId: event.executionId, ...fields },
    update: fields,
    // Not the profile: a re-driven event's row has one, and reading it back would parse it for nothing.
    select: { id: true, status: true, timeWindowStart: true, timeWindowEnd: true },
  });
  return { id: row.id, workflowId, status: row.status, timeWindowStart: row.timeWindowStart, timeWindowEnd: row.timeWindowEnd, completedAt };
}

/**
 * The profile goes to Postgres packed (stored-profile.ts) as one JSON text parameter: handing
 * Prisma the object made it walk every nested value (a storm bench's CPU profile: ~10 % of the
 * report service in that walk). The cache gets what every reader will read back from the column,
 * at the row version written, so this job's own rebuild does not read it again.
 */
export async function saveProfile(
  prisma: PrismaClient, executionId: string, profile: ResultProfile, rawResultKey: string, cache?: ProfileCache,
): Promise<void> {
  const stored = JSON.stringify(packProfile(profile));
  const [row] = await prisma.$queryRaw<Array<{ version: string }>>`
    UPDATE workflow_executions
    SET result_profile = ${stored}::jsonb, raw_result_key = ${rawResultKey}, row_count = ${profile.rowCount},
        filtered_row_count = ${profile.filteredRowCount}, error_code = NULL, error = NULL
    WHERE id = ${executionId}::uuid
    RETURNING xmin::text AS version`;
  if (row && cache) cache.set(executionId, row.version, unpackProfile(JSON.parse(stored)));
}

/**
 * Set when one report's settings cannot use an otherwise good result: the execution still
 * counts in every history (other reports, later rebuilds); only result-level errors exclude it.
 */
export const REPORT_UNUSABLE = 'REPORT_UNUSABLE';

/** A reason people read on the dashboard ("the result has no numeric column"), never a stack. */
export async function saveExecutionError(prisma: PrismaClient, executionId: string, code: string, message: string): Promise<void> {
  await prisma.workflowExecution.update({ where: { id: executionId }, data: { errorCode: code, error: message.slice(0, 2_000) } });
}

/**
 * AMC results for a window can change later (late attributed conversions): of the usable
 * executions of one time window only the newest counts in the history; the others point at it.
 */
export async function supersedeSameWindow(prisma: PrismaClient, execution: RecordedExecution): Promise<void> {
  await prisma.$executeRaw`
    WITH same_window AS (
      SELECT id, row_number() OVER (ORDER BY completed_at DESC, created_at DESC, id) AS rank
      FROM workflow_executions
      WHERE workflow_id = ${execution.workflowId}::uuid AND time_window_start = ${execution.timeWindowStart}
        AND time_window_end = ${execution.timeWindowEnd} AND status = 'SUCCEEDED' AND result_profile IS NOT NULL
        AND (error_code IS NULL OR error_code = ${REPORT_UNUSABLE})
    ), newest AS (SELECT id FROM same_window WHERE rank = 1)
    UPDATE workflow_executions e
    SET superseded_by = CASE WHEN s.rank = 1 THEN NULL ELSE (SELECT id FROM newest) END
    FROM same_window s WHERE e.id = s.id
      AND e.superseded_by IS DISTINCT FROM CASE WHEN s.rank = 1 THEN NULL ELSE (SELECT id FROM newest) END`;
}
