import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { DASHBOARD_TYPES } from '@amc-reports/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserScope } from '../common/user-scope.service';
import { notFound, Pagination, parseId, parseRequest, toPage } from '../common/request-validation';

const TemplateFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2_000).nullable().optional(),
  sqlQuery: z.string().min(1).max(100_000),
  category: z.string().trim().max(100).nullable().optional(),
  isPublic: z.boolean().optional(),
  defaultDashboardType: z.enum(DASHBOARD_TYPES).optional(),
};
const CreateTemplate = z.strictObject(TemplateFields);
const UpdateTemplate = z.strictObject(TemplateFields).partial();
const ListTemplates = Pagination.extend({ scope: z.enum(['mine', 'public', 'all']).default('all') });

/** The query library: AMC SQL templates (own, and public ones from others to build workflows from). */
@Controller('v1/query-templates')
@UseGuards(JwtAuthGuard)
export class QueryTemplatesController {
  constructor(private readonly scope: UserScope) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: unknown) {
    const { limit, offset, scope } = parseRequest(ListTemplates, query);
    const where = scope === 'mine' ? { userId: user.id } : scope === 'public' ? { isPublic: true } : {};
    return this.scope.run(user, async (tx) =>
      toPage(await tx.queryTemplate.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset }), { limit, offset }));
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const template = await this.scope.run(user, (tx) => tx.queryTemplate.findUnique({ where: { id: parseId(id, 'query template') } }));
    if (!template) throw notFound('query template');
    return template;
  }

  @Post()
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: unknown) {
    const input = parseRequest(CreateTemplate, body);
    return this.scope.run(user, (tx) => tx.queryTemplate.create({ data: { ...input, userId: user.id } }));
  }

  @Patch(':id')
  async update(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const templateId = parseId(id, 'query template');
    const input = parseRequest(UpdateTemplate, body);
    const updated = await this.scope.run(user, async (tx) => {
      const { count } = await tx.queryTemplate.updateMany({ where: { id: templateId, userId: user.id }, data: input });
      return count === 0 ? null : tx.queryTemplate.findUnique({ where: { id: templateId } });
    });
    if (!updated) throw notFound('query template');
    return updated;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const templateId = parseId(id, 'query template');
    const { count } = await this.scope.run(user, (tx) => tx.queryTemplate.deleteMany({ where: { id: templateId, userId: user.id } }));
    if (count === 0) throw notFound('query template');
  }
}
