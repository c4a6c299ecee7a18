import { Client } from 'pg';

/** Plain SQL fixtures for the schema tests: the database, not the ORM, is under test here. */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

export async function insertUser(db: Client, email?: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [email ?? null]);
  return rows[0].id;
}

export interface OwnedGraph {
  /** The organization's owner. */
  userId: string;
  organizationId: string;
  instanceId: string;
  templateId: string;
  workflowId: string;
  templateConfigId: string;
  configId: string;
  executionId: string;
  viewId: string;
  insightId: string;
  exportId: string;
}

/** An organization owning one AMC instance, its owner as member. */
export async function insertOrganization(db: Client, label: string, ownerId: string): Promise<{ organizationId: string; instanceId: string }> {
  const organizationId = (await db.query<{ id: string }>('INSERT INTO organizations (name) VALUES ($1) RETURNING id', [`${label} org`])).rows[0].id;
  const instanceId = `amc-${label}`;
  await db.query('INSERT INTO amc_instances (instance_id, organization_id, name) VALUES ($1, $2, $3)', [instanceId, organizationId, label]);
  await db.query(`INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner')`, [organizationId, ownerId]);
  return { organizationId, instanceId };
}

export async function addMember(db: Client, organizationId: string, role: 'owner' | 'editor' | 'viewer', email?: string): Promise<string> {
  const userId = await insertUser(db, email);
  await db.query('INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, $3)', [organizationId, userId, role]);
  return userId;
}

/** One organization's full chain: template → workflow → configuration → execution → view → insight, export. */
export async function insertOwnedGraph(db: Client, label: string): Promise<OwnedGraph> {
  const userId = await insertUser(db, `${label}@example.com`);
  const { organizationId, instanceId } = await insertOrganization(db, label, userId);
  const one = async (sql: string, params: unknown[]): Promise<string> => (await db.query<{ id: string }>(sql, params)).rows[0].id;
  const templateId = await one(
    `INSERT INTO query_templates (organization_id, created_by, name, sql_query, default_dashboard_type) VALUES ($1, $2, $3, 'SELECT 1', 'funnel') RETURNING id`,
    [organizationId, userId, `${label} template`]);
  const workflowId = await one(
    `INSERT INTO workflows (organization_id, created_by, name, sql_query, query_template_id, amc_instance_id, amc_workflow_id)
     VALUES ($1, $2, $3, 'SELECT 1', $4, $5, $6) RETURNING id`, [organizationId, userId, `${label} workflow`, templateId, instanceId, `wf-${label}`]);
  const templateConfigId = await one(
    `INSERT INTO report_configurations (query_template_id, dashboard_type) VALUES ($1, 'funnel') RETURNING id`, [templateId]);
  const configId = await one(
    `INSERT INTO report_configurations (workflow_id, dashboard_type, name) VALUES ($1, 'funnel', $2) RETURNING id`,
    [workflowId, `${label} report`]);
  const executionId = await one(
    `INSERT INTO workflow_executions (workflow_id, amc_instance_id, amc_execution_id, status, time_window_start, time_window_end)
     VALUES ($1, $2, $3, 'SUCCEEDED', '2026-10-01', '2026-10-07') RETURNING id`, [workflowId, instanceId, `exec-${label}`]);
  const viewId = await one(
    `INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type) VALUES ($1, 'funnel.stages', 'Funnel', 'chart') RETURNING id`,
    [configId]);
  const insightId = await one(
    `INSERT INTO dashboard_insights (dashboard_view_id, execution_id, finding_id, insight_type, insight_text, confidence_score, ai_model, prompt_version)
     VALUES ($1, $2, 'summary.total', 'summary', 'text', 0.5, 'statistical', 'v1') RETURNING id`, [viewId, executionId]);
  const exportId = await one(
    `INSERT INTO report_exports (report_configuration_id, user_id, format) VALUES ($1, $2, 'pdf') RETURNING id`, [configId, userId]);
  return { userId, organizationId, instanceId, templateId, workflowId, templateConfigId, configId, executionId, viewId, insightId, exportId };
}

/** Runs `work` the way the gateway does: one transaction, role app_user, app.user_id set. */
export async function asAppUser<T>(db: Client, userId: string, work: () => Promise<T>): Promise<T> {
  await db.query('BEGIN');
  try {
    await db.query(`SELECT set_config('app.user_id', $1, true)`, [userId]);
    await db.query('SET LOCAL ROLE app_user');
    const result = await work();
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
