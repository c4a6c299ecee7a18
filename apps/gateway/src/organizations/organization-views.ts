import { ConflictException } from '@nestjs/common';
import type { Prisma, TransactionClient } from '@amc-reports/db';

/** The API's shapes of organizations, members and instances (api/organizations.schema.ts), for user and admin routes alike. */
export const memberSelect = {
  userId: true, role: true, createdAt: true, updatedAt: true, user: { select: { email: true } },
} satisfies Prisma.OrganizationMemberSelect;

export function toMemberView(row: Prisma.OrganizationMemberGetPayload<{ select: typeof memberSelect }>) {
  return { userId: row.userId, email: row.user.email, role: row.role, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export const instanceSelect = {
  instanceId: true, organizationId: true, name: true, advertiserId: true, marketplace: true, createdAt: true, updatedAt: true,
} satisfies Prisma.AmcInstanceSelect;

/**
 * An organization keeps at least one owner once it has one: the change that would demote or remove
 * the last owner is a 409 (the operator's admin API can still do anything).
 */
export async function assertKeepsAnOwner(tx: TransactionClient, organizationId: string, userId: string, newRole: string | null): Promise<void> {
  if (newRole === 'owner') return;
  const owners = await tx.organizationMember.findMany({ where: { organizationId, role: 'owner' }, select: { userId: true } });
  if (owners.length === 1 && owners[0].userId === userId) {
    throw new ConflictException({
      statusCode: 409, error: 'last_owner',
      message: 'this is the organization\'s last owner: make another member owner first',
    });
  }
}
