import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api } from '@amc-reports/contracts';
import type { Prisma, TransactionClient } from '@amc-reports/db';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserScope } from '../common/user-scope.service';
import { notFound, parseId, parseRequest, toPage, validationError } from '../common/request-validation';
import { OrganizationAccess } from '../organizations/organization-access.service';
import { enableReporting } from './report-toggle';

const summarySelect = {
  id: true, organizationId: true, createdBy: true, name: true, description: true, queryTemplateId: true, amcInstanceId: true,
  amcWorkflowId: true, reportEnabled: true, reportConfigId: true, createdAt: true, updatedAt: true,
} satisfies Prisma.WorkflowSelect;

/**
 * An instance the organization does not own answers exactly like one that does not exist, whatever
 * another organization has: nothing here tells anyone which AMC instances are registered.
 */
async function assertOwnInstance(tx: TransactionClient, organizationId: string, instanceId: string): Promise<void> {
  const instance = await tx.amcInstance.findFirst({ where: { organizationId, instanceId }, select: { id: true } });
  if (!instance) throw validationError([{ field: 'amcInstanceId', message: 'no such AMC instance in this organization (GET /v1/organizations lists yours)' }]);
}

async function assertVisibleTemplate(tx: TransactionClient, templateId: string | null | undefined): Promise<void> {
  if (templateId && !(await tx.queryTemplate.findUnique({ where: { id: templateId }, select: { id: true } }))) {
    throw validationError([{ field: 'queryTemplateId', message: 'no such query template' }]);
  }
}

/** Workflows own executions and reports; `reportEnabled` is the report toggle. */
@Controller('v1/workflows')
@UseGuards(JwtAuthGuard)
export class WorkflowsController {
  constructor(private readonly scope: UserScope, private readonly access: OrganizationAccess) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: unknown) {
    const { limit, offset, organizationId, amcInstanceId } = parseRequest(api.ListWorkflows, query);
    return this.scope.run(user, async (tx) =>
      toPage(await tx.workflow.findMany({
        where: { organizationId, amcInstanceId }, select: summarySelect,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset,
      }), { limit, offset }));
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const workflow = await this.scope.run(user, (tx) => tx.workflow.findUnique({ where: { id: parseId(id, 'workflow') } }));
    if (!workflow) throw notFound('workflow');
    return workflow;
  }

  @Post()
  async create(@CurrentUser() user: AuthenticatedUser, @Body() body: unknown) {
    const { reportEnabled, organizationId: requested, ...input } = parseRequest(api.CreateWorkflow, body);
    return this.scope.run(user, async (tx) => {
      const organizationId = await this.access.organizationForNewRow(tx, user, requested, 'create workflows');
      await assertOwnInstance(tx, organizationId, input.amcInstanceId);
      await assertVisibleTemplate(tx, input.queryTemplateId);
      const workflow = await tx.workflow.create({ data: { ...input, organizationId, createdBy: user.id } });
      return reportEnabled ? enableReporting(tx, workflow.id) : workflow;
    });
  }

  @Patch(':id')
  async update(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const workflowId = parseId(id, 'workflow');
    const { reportEnabled, ...input } = parseRequest(api.UpdateWorkflow, body);
    return this.scope.run(user, async (tx) => {
      const existing = await tx.workflow.findUnique({ where: { id: workflowId }, select: { organizationId: true } });
      if (!existing) throw notFound('workflow');
      await this.access.requireRole(tx, user, { organizationId: existing.organizationId, action: 'change workflows' });
      if (input.amcInstanceId) await assertOwnInstance(tx, existing.organizationId, input.amcInstanceId);
      await assertVisibleTemplate(tx, input.queryTemplateId);
      await tx.workflow.update({ where: { id: workflowId }, data: input });
      if (reportEnabled === true) return enableReporting(tx, workflowId);
      if (reportEnabled === false) return tx.workflow.update({ where: { id: workflowId }, data: { reportEnabled: false } });
      return tx.workflow.findUniqueOrThrow({ where: { id: workflowId } });
    });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const workflowId = parseId(id, 'workflow');
    await this.scope.run(user, async (tx) => {
      const existing = await tx.workflow.findUnique({ where: { id: workflowId }, select: { organizationId: true } });
      if (!existing) throw notFound('workflow');
      await this.access.requireRole(tx, user, { organizationId: existing.organizationId, action: 'delete workflows' });
      await tx.workflow.delete({ where: { id: workflowId } });
    });
  }
}
