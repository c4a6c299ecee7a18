import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api } from '@amc-reports/contracts';
import type { Prisma, TransactionClient } from '@amc-reports/db';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserScope } from '../common/user-scope.service';
import { forbidden, notFound, parseId, parseRequest, toPage } from '../common/request-validation';
import { OrganizationAccess } from '../organizations/organization-access.service';

/** Lists leave the SQL out (up to 100 KB a row); GET /v1/query-templates/:id has it. */
const summarySelect = {
  id: true, organizationId: true, createdBy: true, name: true, description: true, category: true, isPublic: true,
  defaultDashboardType: true, createdAt: true, updatedAt: true,
} satisfies Prisma.QueryTemplateSelect;

/** The query library: AMC SQL templates of the caller's organizations, and public ones of others. */
@Controller('v1/query-templates')
@UseGuards(JwtAuthGuard)
export class QueryTemplatesController {
  constructor(private readonly scope: UserScope, private readonly access: OrganizationAccess) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: unknown) {
    const { limit, offset, scope, organizationId } = parseRequest(api.ListQueryTemplates, query);
    return this.scope.run(user, async (tx) => {
      const mine = (await this.access.memberships(tx, user)).map((membership) => membership.organizationId);
      const where: Prisma.QueryTemplateWhereInput = {
        ...(scope === 'mine' ? { organizationId: { in: mine } } : scope === 'public' ? { isPublic: true } : {}),
        ...(organizationId ? { AND: [{ organizationId }] } : {}),
      };
      const rows = await tx.queryTemplate.findMany({ where, select: summarySelect, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset });
      return toPage(rows, { limit, offset });
    });
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const template = await this.scope.run(user, (tx) => tx.queryTemplate.findUnique({ where: { id: parseId(id, 'query template') } }));
    if (!template) throw notFound('query template');
    return template;
  }

  @Post()
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: unknown) {
    const { organizationId: requested, ...input } = parseRequest(api.CreateQueryTemplate, body);
    return this.scope.run(user, async (tx) => {
      const organizationId = await this.access.organizationForNewRow(tx, user, requested, 'create query templates');
      return tx.queryTemplate.create({ data: { ...input, organizationId, createdBy: user.id } });
    });
  }

  @Patch(':id')
  async update(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const templateId = parseId(id, 'query template');
    const input = parseRequest(api.UpdateQueryTemplate, body);
    return this.scope.run(user, async (tx) => {
      await this.requireEditable(tx, user, templateId, 'change query templates');
      return tx.queryTemplate.update({ where: { id: templateId }, data: input });
    });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const templateId = parseId(id, 'query template');
    await this.scope.run(user, async (tx) => {
      await this.requireEditable(tx, user, templateId, 'delete query templates');
      await tx.queryTemplate.delete({ where: { id: templateId } });
    });
  }

  /** 404 when invisible; 403 for a public template of another organization or for a viewer. */
  private async requireEditable(tx: TransactionClient, user: AuthenticatedUser, templateId: string, action: string): Promise<void> {
    const template = await tx.queryTemplate.findUnique({ where: { id: templateId }, select: { organizationId: true } });
    if (!template) throw notFound('query template');
    const memberships = await this.access.memberships(tx, user);
    if (!memberships.some((membership) => membership.organizationId === template.organizationId)) {
      throw forbidden('not_your_organization', 'this public template belongs to another organization: create your own from its SQL to change it');
    }
    await this.access.requireRole(tx, user, { organizationId: template.organizationId, action });
  }
}
