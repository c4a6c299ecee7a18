import { packProfile, unpackProfile, type AmcExecutionCompletedEvent, type ResultProfile } from '@amc-reports/contracts';
import type { ProfileCache, RawSql } from '@amc-reports/db';
import { jsonbRefusal, UnstorableProfileTextError } from './profile-text-check';

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
 * runs twice writes the same row; the profile and errors are written by later steps. One
 * statement (Prisma's upsert was three round trips and its ORM walk on every event).
 */
export async function upsertExecution(
  db: RawSql, workflowId: string, event: AmcExecutionCompletedEvent, receivedAt: Date,
): Promise<RecordedExecution> {
  const completedAt = event.occurredAt ? new Date(event.occurredAt) : receivedAt;
  const errorCode = event.error ? event.error.code ?? event.status : null;
  const error = event.error ? event.error.message : null;
  // Not the profile: a re-driven event's row has one, and reading it back would parse it for nothing.
  const [row] = await db.$queryRaw<Array<{ id: string; status: string; time_window_start: Date; time_window_end: Date }>>`
    INSERT INTO workflow_executions (amc_instance_id, amc_execution_id, workflow_id, status, time_window_start, time_window_end, time_zone,
                                     completed_at, error_code, error)
    VALUES (${event.instanceId}, ${event.executionId}, ${workflowId}::uuid, ${event.status}, ${new Date(event.timeWindow.start)},
            ${new Date(event.timeWindow.end)}, ${event.timeWindow.timeZone ?? null}, ${completedAt}, ${errorCode}, ${error})
    ON CONFLICT (amc_instance_id, amc_execution_id) DO UPDATE
    SET workflow_id = excluded.workflow_id, status = excluded.status, time_window_start = excluded.time_window_start,
        time_window_end = excluded.time_window_end, time_zone = excluded.time_zone, completed_at = excluded.completed_at,
        error_code = excluded.error_code, error = excluded.error
    RETURNING id, status, time_window_start, time_window_end`;
  return { id: row.id, workflowId, status: row.status, timeWindowStart: row.time_window_start, timeWindowEnd: row.time_window_end, completedAt };
}

/** Where the execution stands after recording, and the later usable executions of its workflow (for insight regeneration). */
export interface ExecutionState {
  status: string;
  hasProfile: boolean;
  errorCode: string | null;
  laterUsable: string[];
}

/**
 * One query: whether it has a profile (not the profile: reading it back would parse it for
 * nothing), and the later usable executions a replayed older window changes the insights of.
 */
export async function executionState(db: RawSql, executionId: string): Promise<ExecutionState | null> {
  const [row] = await db.$queryRaw<Array<{ status: string; has_profile: boolean; error_code: string | null; later: string[] }>>`
    SELECT x.status, x.result_profile IS NOT NULL AS has_profile, x.error_code,
           ARRAY(SELECT l.id::text FROM workflow_executions l
                 WHERE l.workflow_id = x.workflow_id AND l.time_window_start > x.time_window_start AND l.status = 'SUCCEEDED'
                   AND l.superseded_by IS NULL AND l.result_profile IS NOT NULL AND (l.error_code IS NULL OR l.error_code = ${REPORT_UNUSABLE})
                 ORDER BY l.time_window_start LIMIT 52) AS later
    FROM workflow_executions x WHERE x.id = ${executionId}::uuid`;
  return row ? { status: row.status, hasProfile: row.has_profile, errorCode: row.error_code, laterUsable: row.later } : null;
}

/**
 * The profile goes to Postgres packed (stored-profile.ts) as one JSON text parameter: handing
 * Prisma the object made it walk every nested value (a storm bench's CPU profile: ~10 % of the
 * report service in that walk). The cache gets what every reader will read back from the column,
 * at the row version written, so this job's own rebuild does not read it again.
 */
export async function saveProfile(
  db: RawSql, executionId: string, profile: ResultProfile, rawResultKey: string, cache?: ProfileCache,
): Promise<void> {
  const stored = JSON.stringify(packProfile(profile));
  const refusal = jsonbRefusal(stored);
  if (refusal) throw new UnstorableProfileTextError(refusal);
  const [row] = await db.$queryRaw<Array<{ version: string }>>`
    UPDATE workflow_executions
    SET result_profile = ${stored}::json, raw_result_key = ${rawResultKey}, row_count = ${profile.rowCount},
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
export async function saveExecutionError(db: RawSql, executionId: string, code: string, message: string): Promise<void> {
  await db.$executeRaw`UPDATE workflow_executions SET error_code = ${code}, error = ${message.slice(0, 2_000)} WHERE id = ${executionId}::uuid`;
}

/**
 * AMC results for a window can change later (late attributed conversions): of the usable
 * executions of one time window only the newest counts in the history; the others point at it.
 */
export async function supersedeSameWindow(db: RawSql, execution: RecordedExecution): Promise<void> {
  await db.$executeRaw`
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
