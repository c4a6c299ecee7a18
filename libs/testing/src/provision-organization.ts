import { apiClient } from './signed-event';

/** Provisions through the admin API exactly as the operator (or the CLI's `org` commands) does. */
export async function provisionOrganization(
  gatewayUrl: string, adminToken: string,
  options: { name?: string; instanceIds: string[]; members: { userId: string; role: 'owner' | 'editor' | 'viewer' }[] },
): Promise<{ organizationId: string; instanceIds: string[] }> {
  const admin = apiClient(gatewayUrl, adminToken);
  const expect = (response: { status: number; body: unknown }, what: string, ok: number[]): void => {
    if (!ok.includes(response.status)) throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
  };
  const created = await admin.post('/admin/v1/organizations', { name: options.name ?? `Test org ${Math.random().toString(36).slice(2, 8)}` });
  expect(created, 'creating the organization', [201]);
  const organizationId = created.body.id as string;
  for (const instanceId of options.instanceIds) {
    expect(await admin.put(`/admin/v1/organizations/${organizationId}/amc-instances/${encodeURIComponent(instanceId)}`, { name: instanceId }),
      `registering AMC instance ${instanceId}`, [200, 201]);
  }
  for (const member of options.members) {
    expect(await admin.put(`/admin/v1/organizations/${organizationId}/members/${member.userId}`, { role: member.role }),
      `adding member ${member.userId}`, [200, 201]);
  }
  return { organizationId, instanceIds: options.instanceIds };
}
