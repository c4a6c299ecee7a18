import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@amc-reports/db';

export interface SeededOrganization {
  organizationId: string;
  instanceIds: string[];
}

/**
 * An organization owning AMC instances, with members, written as the owner role the way the admin
 * API provisions them: what every fixture needs before it can create a workflow.
 */
export async function seedOrganization(
  prisma: PrismaClient,
  options: { name?: string; instanceIds?: string[]; members?: { userId: string; role: 'owner' | 'editor' | 'viewer' }[] } = {},
): Promise<SeededOrganization> {
  const organization = await prisma.organization.create({ data: { name: options.name ?? `Org ${randomUUID().slice(0, 8)}` } });
  const instanceIds = options.instanceIds ?? [`amcinst${randomUUID().slice(0, 8)}`];
  for (const instanceId of instanceIds) {
    await prisma.amcInstance.create({ data: { instanceId, organizationId: organization.id, name: instanceId } });
  }
  for (const member of options.members ?? []) {
    await prisma.user.upsert({ where: { id: member.userId }, create: { id: member.userId }, update: {} });
    await prisma.organizationMember.create({ data: { organizationId: organization.id, userId: member.userId, role: member.role } });
  }
  return { organizationId: organization.id, instanceIds };
}

export interface SeededWorkflow extends SeededOrganization {
  workflowId: string;
  instanceId: string;
  userId: string;
}

/** An organization with one AMC instance, its owner, and a workflow on that instance (no report). */
export async function seedWorkflow(prisma: PrismaClient, name = 'Workflow'): Promise<SeededWorkflow> {
  const instanceId = `amcinst${randomUUID().slice(0, 8)}`;
  const user = await prisma.user.create({ data: { id: randomUUID(), email: `${randomUUID()}@example.com` } });
  const organization = await seedOrganization(prisma, { instanceIds: [instanceId], members: [{ userId: user.id, role: 'owner' }] });
  const workflow = await prisma.workflow.create({
    data: { organizationId: organization.organizationId, createdBy: user.id, name, sqlQuery: 'SELECT 1', amcInstanceId: instanceId },
  });
  return { ...organization, workflowId: workflow.id, instanceId, userId: user.id };
}
