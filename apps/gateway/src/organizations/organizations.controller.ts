import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api } from '@amc-reports/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { notFound, parseId, parseRequest } from '../common/request-validation';
import { UserScope } from '../common/user-scope.service';
import { noOrganizationMessage, OrganizationAccess } from './organization-access.service';
import { assertKeepsAnOwner, instanceSelect, memberSelect, toMemberView } from './organization-views';

/**
 * The caller's organizations. Organizations and AMC instances are provisioned by the operator
 * (admin API); owners manage their own organization's members here.
 */
@Controller('v1/organizations')
@UseGuards(JwtAuthGuard)
export class OrganizationsController {
  constructor(private readonly scope: UserScope, private readonly access: OrganizationAccess) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser) {
    return this.scope.run(user, async (tx) => {
      const memberships = await this.access.memberships(tx, user);
      const organizations = await tx.organization.findMany({
        where: { id: { in: memberships.map((m) => m.organizationId) } },
        include: { amcInstances: { select: instanceSelect, orderBy: { instanceId: 'asc' } } },
      });
      const byId = new Map(organizations.map((organization) => [organization.id, organization]));
      const items = memberships.map((membership) => {
        const organization = byId.get(membership.organizationId)!;
        return { id: organization.id, name: organization.name, role: membership.role, amcInstances: organization.amcInstances, createdAt: organization.createdAt };
      });
      return items.length > 0 ? { items } : { items, message: noOrganizationMessage(user) };
    });
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const organizationId = parseId(id, 'organization');
    const found = await this.scope.run(user, async (tx) => {
      const membership = (await this.access.memberships(tx, user)).find((m) => m.organizationId === organizationId);
      if (!membership) return null;
      const organization = await tx.organization.findUniqueOrThrow({
        where: { id: organizationId },
        include: {
          amcInstances: { select: instanceSelect, orderBy: { instanceId: 'asc' } },
          members: { select: memberSelect, orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }] },
        },
      });
      return {
        id: organization.id, name: organization.name, role: membership.role, amcInstances: organization.amcInstances,
        members: organization.members.map(toMemberView), createdAt: organization.createdAt,
      };
    });
    if (!found) throw notFound('organization');
    return found;
  }

  /** Owners add a member or change a role; the user must have signed in once (or be added by the operator). */
  @Put(':id/members/:userId')
  async setRole(
    @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('userId') memberId: string, @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const organizationId = parseId(id, 'organization');
    const userId = parseId(memberId, 'user');
    const { role } = parseRequest(api.SetMemberRole, body);
    const { created, membership } = await this.scope.run(user, async (tx) => {
      await this.access.requireRole(tx, user, { organizationId, action: "manage the organization's members" }, 'owner');
      const existing = await tx.organizationMember.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
      if (existing) await assertKeepsAnOwner(tx, organizationId, userId, role);
      // The users row may be invisible (not a colleague yet): ask through the registration function's owner, not RLS.
      const known = await tx.$queryRaw<{ known: boolean }[]>`SELECT app_user_exists(${userId}::uuid) AS known`;
      if (!known[0]?.known) throw notFound('user (they must sign in once, or the administrator adds them)');
      const saved = await tx.organizationMember.upsert({
        where: { organizationId_userId: { organizationId, userId } },
        create: { organizationId, userId, role },
        update: { role },
      });
      return { created: !existing, membership: saved };
    });
    reply.status(created ? 201 : 200);
    return membership;
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('userId') memberId: string): Promise<void> {
    const organizationId = parseId(id, 'organization');
    const userId = parseId(memberId, 'user');
    await this.scope.run(user, async (tx) => {
      await this.access.requireRole(tx, user, { organizationId, action: "manage the organization's members" }, 'owner');
      await assertKeepsAnOwner(tx, organizationId, userId, null);
      const { count } = await tx.organizationMember.deleteMany({ where: { organizationId, userId } });
      if (count === 0) throw notFound('member');
    });
  }
}
