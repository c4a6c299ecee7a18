import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { INSIGHT_GENERATE_QUEUE, REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import { producerConnectionOptions } from '@amc-reports/queue';
import { until } from './fault-stack';

/**
 * What became of the load, counted in Postgres (the tables, not the apps' word for it): per
 * accepted AMC execution its inbox row, its workflow_executions row, the ledger's verdict and its
 * insight sets; per accepted export its row and the stored file.
 */
export interface PipelineOutcome {
  accepted: number;
  inboxRows: number;
  executions: number;
  processed: number;
  failed: number;
  /** Accepted executions without an execution row, or whose processing did not finish. */
  lost: number;
  insightSets: number;
  insightSetsCompleted: number;
  /** The same finding stored twice for one view and execution (a job done twice without its idempotency). */
  duplicatedInsights: number;
  reportsWithoutViews: number;
}

export interface ExportOutcome {
  accepted: number;
  completed: number;
  failed: number;
  /** Completed exports whose stored file is missing or does not match its recorded size and sha256. */
  badFiles: number;
  /** Files under the export storage that no completed export points at (a render stored twice, or half). */
  strayFiles: number;
}

export async function withDatabase<T>(databaseUrl: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

export async function pipelineOutcome(databaseUrl: string, executionIds: string[]): Promise<PipelineOutcome> {
  return withDatabase(databaseUrl, async (db) => {
    const events = await db.query<{ inbox: number; processed: number; failed: number }>(`
      SELECT count(*)::int AS inbox, count(processed_at)::int AS processed, count(failed_at)::int AS failed
      FROM amc_execution_events WHERE amc_execution_id = ANY($1)`, [executionIds]);
    const executions = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_executions WHERE amc_execution_id = ANY($1)', [executionIds]);
    const lost = await db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM unnest($1::text[]) AS a(id)
      WHERE NOT EXISTS (SELECT 1 FROM workflow_executions x WHERE x.amc_execution_id = a.id)
         OR NOT EXISTS (SELECT 1 FROM amc_execution_events e WHERE e.amc_execution_id = a.id AND e.processed_at IS NOT NULL)`, [executionIds]);
    // Every report of an execution's workflow owes that execution an insight set.
    const sets = await db.query<{ expected: number; completed: number }>(`
      SELECT count(*)::int AS expected, count(*) FILTER (WHERE g.status = 'completed')::int AS completed
      FROM workflow_executions x JOIN report_configurations c ON c.workflow_id = x.workflow_id AND c.is_enabled
      LEFT JOIN insight_generations g ON g.report_configuration_id = c.id AND g.execution_id = x.id
      WHERE x.amc_execution_id = ANY($1)`, [executionIds]);
    const duplicated = await db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM dashboard_insights GROUP BY dashboard_view_id, execution_id, finding_id HAVING count(*) > 1) d`);
    const viewless = await db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM report_configurations c
      WHERE c.workflow_id IN (SELECT workflow_id FROM workflow_executions WHERE amc_execution_id = ANY($1))
        AND NOT EXISTS (SELECT 1 FROM dashboard_views v WHERE v.report_configuration_id = c.id)`, [executionIds]);
    return {
      accepted: executionIds.length, inboxRows: events.rows[0].inbox, executions: executions.rows[0].n, processed: events.rows[0].processed,
      failed: events.rows[0].failed, lost: lost.rows[0].n, insightSets: sets.rows[0].expected, insightSetsCompleted: sets.rows[0].completed,
      duplicatedInsights: duplicated.rows[0].n, reportsWithoutViews: viewless.rows[0].n,
    };
  });
}

/** Waits until every accepted execution is processed with all its insight sets (or the timeout), then counts. */
export async function settledPipelineOutcome(databaseUrl: string, executionIds: string[], timeoutMs: number): Promise<PipelineOutcome> {
  await until('every accepted execution processed with its insights', async () => {
    const outcome = await pipelineOutcome(databaseUrl, executionIds);
    return outcome.lost === 0 && outcome.insightSetsCompleted === outcome.insightSets ? outcome : null;
  }, timeoutMs, 1_000).catch(() => undefined);
  return pipelineOutcome(databaseUrl, executionIds);
}

export async function exportOutcome(databaseUrl: string, exportIds: string[], exportDir: string): Promise<ExportOutcome> {
  return withDatabase(databaseUrl, async (db) => {
    const rows = (await db.query<{ id: string; status: string; storage_key: string | null; sha256: string | null; file_size_bytes: string | null }>(
      'SELECT id, status, storage_key, sha256, file_size_bytes FROM report_exports WHERE id = ANY($1::uuid[])', [exportIds])).rows;
    let badFiles = 0;
    for (const row of rows.filter((r) => r.status === 'completed')) {
      const file = path.join(exportDir, row.storage_key ?? '');
      if (!row.storage_key || !fs.existsSync(file)) {
        badFiles++;
        continue;
      }
      const bytes = fs.readFileSync(file);
      if (bytes.length !== Number(row.file_size_bytes) || createHash('sha256').update(bytes).digest('hex') !== row.sha256) badFiles++;
    }
    const keys = new Set((await db.query<{ storage_key: string }>(`SELECT storage_key FROM report_exports WHERE status = 'completed' AND storage_key IS NOT NULL`)).rows.map((r) => r.storage_key));
    const stored = fs.existsSync(exportDir) ? fs.readdirSync(exportDir).filter((name) => name !== '.tmp') : [];
    return {
      accepted: exportIds.length, completed: rows.filter((r) => r.status === 'completed').length, failed: rows.filter((r) => r.status === 'failed').length,
      badFiles, strayFiles: stored.filter((name) => !keys.has(name)).length,
    };
  });
}

export async function settledExportOutcome(databaseUrl: string, exportIds: string[], exportDir: string, timeoutMs: number): Promise<ExportOutcome> {
  await until('every accepted export finished', async () => {
    const outcome = await exportOutcome(databaseUrl, exportIds, exportDir);
    return outcome.completed + outcome.failed === outcome.accepted ? outcome : null;
  }, timeoutMs, 1_000).catch(() => undefined);
  return exportOutcome(databaseUrl, exportIds, exportDir);
}

/**
 * Partial files anywhere the stack writes: storage temporaries (.tmp of the export and result
 * storage) and render scratch directories that still hold a job's directory.
 */
export function partialFiles(dataDir: string): string[] {
  const found: string[] = [];
  for (const tmp of [path.join(dataDir, 'exports', '.tmp'), path.join(dataDir, 'storage', '.tmp')]) {
    if (fs.existsSync(tmp)) found.push(...fs.readdirSync(tmp).map((name) => path.join(tmp, name)));
  }
  const scratch = path.join(dataDir, 'render', 'amc-export-worker');
  if (fs.existsSync(scratch)) {
    for (const owner of fs.readdirSync(scratch)) found.push(...fs.readdirSync(path.join(scratch, owner)).map((job) => path.join(scratch, owner, job)));
  }
  return found;
}

/** One line per scenario in the test output: what the report quotes. */
export function reportScenario(name: string, facts: Record<string, unknown>): void {
  process.stdout.write(`\nFAULT-SCENARIO ${name} ${JSON.stringify(facts)}\n`);
}

/**
 * Attempts the completed jobs took, per queue: an outage held a job without counting an attempt,
 * so every job of a load without failures of its own completes on its first attempt.
 */
export async function attemptsSpent(redisUrl: string, prefix = 'amc'): Promise<Record<string, { completed: number; retried: number; failed: number }>> {
  const result: Record<string, { completed: number; retried: number; failed: number }> = {};
  for (const name of [REPORT_UPDATE_QUEUE, INSIGHT_GENERATE_QUEUE]) {
    const queue = new Queue(name, { connection: producerConnectionOptions(redisUrl), prefix });
    try {
      const completed = await queue.getJobs(['completed'], 0, 999);
      result[name] = { completed: completed.length, retried: completed.filter((job) => job.attemptsMade > 1).length, failed: await queue.getFailedCount() };
    } finally {
      await queue.close();
    }
  }
  return result;
}
