import type { Pool } from 'pg';

/**
 * A benchmark's workflow as the admin API and the user API leave it: an organization owning the
 * AMC instance, its owner, and the workflow on that instance (plain SQL, off the clock).
 */
export async function seedBenchWorkflow(
  pool: Pool, options: { label: string; instanceId: string; amcWorkflowId?: string; reportEnabled?: boolean },
): Promise<{ userId: string; organizationId: string; workflowId: string }> {
  const { rows: [user] } = await pool.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [`${options.label}@bench.example`]);
  const { rows: [organization] } = await pool.query<{ id: string }>('INSERT INTO organizations (name) VALUES ($1) RETURNING id', [options.label]);
  await pool.query(`INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner')`, [organization.id, user.id]);
  await pool.query('INSERT INTO amc_instances (instance_id, organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [options.instanceId, organization.id]);
  const { rows: [workflow] } = await pool.query<{ id: string }>(
    `INSERT INTO workflows (organization_id, created_by, name, sql_query, amc_instance_id, amc_workflow_id, report_enabled)
     VALUES ($1, $2, 'bench', 'SELECT 1', $3, $4, $5) RETURNING id`,
    [organization.id, user.id, options.instanceId, options.amcWorkflowId ?? null, options.reportEnabled ?? false]);
  return { userId: user.id, organizationId: organization.id, workflowId: workflow.id };
}
