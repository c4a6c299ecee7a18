import type { RawSql } from '@amc-reports/db';

/**
 * Under a backlog every event of a workflow rebuilt the same dashboards from the same history, one
 * after the other. A job may leave its rebuild to another event of the workflow whose job has not
 * begun yet: that job records its own execution and then reads the history, which by then holds
 * this job's execution (recorded and committed before this check), so its rebuild shows both.
 *
 * Not begun means BullMQ holds it waiting or delayed (a retry), or has no job for it yet (the
 * outbox has not relayed it, or Redis lost it and the sweeper will re-drive it): in every case its
 * history read comes after now. An active job may have read the history already, so it does not
 * count. Only a SUCCEEDED event counts (a failed one does not rebuild), and only while the
 * dashboard was written within `maxLagMs`: during a long backlog it is still rebuilt that often.
 * Should the later event's result turn out unusable, its job rebuilds anyway when the views are
 * older than the newest usable execution (viewsBehindHistory).
 */
export interface DeferralOptions {
  /** REPORT_REBUILD_MAX_LAG_MS; 0: every job rebuilds. */
  maxLagMs: number;
  /** The BullMQ state of the report.update job of an AMC execution ('unknown' when there is none). */
  jobState(amcExecutionId: string): Promise<string>;
}

const NOT_BEGUN = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'unknown']);

/** How many waiting events are looked up in BullMQ before the job rebuilds itself. */
const CANDIDATES = 3;

export interface WorkflowBacklog {
  /** Another event of the workflow waits and its job has not begun: it is processed after this one. */
  waiting: boolean;
  /** The configurations (of those given) whose rebuild that job will do. */
  deferred: Set<string>;
}

/** Whether more of the workflow's events wait behind this one, and which rebuilds they take over. */
export async function workflowBacklog(
  db: RawSql, workflowId: string, configurationIds: readonly string[], eventRowId: string, options: DeferralOptions,
): Promise<WorkflowBacklog> {
  // One round trip: the configurations written within the lag, and the waiting events.
  const [found] = await db.$queryRaw<Array<{ fresh: string[]; waiting: string[] }>>`
    SELECT ARRAY(SELECT report_configuration_id::text FROM dashboard_views WHERE report_configuration_id = ANY(${[...configurationIds]}::uuid[])
                 GROUP BY report_configuration_id
                 HAVING max(processed_at) > clock_timestamp() - make_interval(secs => ${Math.max(options.maxLagMs, 0) / 1000})) AS fresh,
           ARRAY(SELECT amc_execution_id FROM amc_execution_events
                 WHERE workflow_id = ${workflowId}::uuid AND processed_at IS NULL AND failed_at IS NULL
                   AND id <> ${eventRowId}::uuid AND status = 'SUCCEEDED' AND outcome = 'accepted'
                 ORDER BY received_at DESC LIMIT ${CANDIDATES}) AS waiting`;
  let waiting = false;
  for (const amcExecutionId of found?.waiting ?? []) {
    if (NOT_BEGUN.has(await options.jobState(amcExecutionId))) {
      waiting = true;
      break;
    }
  }
  return { waiting, deferred: waiting && options.maxLagMs > 0 ? new Set(found?.fresh ?? []) : new Set() };
}

/**
 * Whether a report's views are older than the newest usable execution of its history: a job whose
 * own execution cannot be shown rebuilds then, in case a job that deferred to it is waiting on it.
 */
export async function viewsBehindHistory(db: RawSql, workflowId: string, configurationId: string): Promise<boolean> {
  const [row] = await db.$queryRaw<Array<{ behind: boolean }>>`
    SELECT EXISTS (
      SELECT 1 FROM workflow_executions e
      WHERE e.workflow_id = ${workflowId}::uuid AND e.status = 'SUCCEEDED' AND e.result_profile IS NOT NULL AND e.superseded_by IS NULL
        AND e.created_at > coalesce((SELECT max(processed_at) FROM dashboard_views WHERE report_configuration_id = ${configurationId}::uuid), '-infinity')
    ) AS behind`;
  return row?.behind ?? false;
}
