import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserScope } from '../common/user-scope.service';
import { notFound, Pagination, parseId, parseRequest, toPage, Uuid, validationError } from '../common/request-validation';
import { enableReporting } from './report-toggle';

const amcId = z.string().trim().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
const WorkflowFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2_000).nullable().optional(),
  sqlQuery: z.string().min(1).max(100_000),
  queryTemplateId: Uuid.nullable().optional(),
  amcInstanceId: amcId,
  amcWorkflowId: amcId.nullable().optional(),
  reportEnabled: z.boolean().optional(),
};
const CreateWorkflow = z.strictObject(WorkflowFields);
const UpdateWorkflow = z.strictObject(WorkflowFields).partial();

/** Workflows own executions and reports; `reportEnabled` is the report toggle. */
@Controller('v1/workflows')
@UseGuards(JwtAuthGuard)
export class WorkflowsController {
  constructor(private readonly scope: UserScope) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: unknown) {
    const { limit, offset } = parseRequest(Pagination, query);
    return this.scope.run(user, async (tx) =>
      toPage(await tx.workflow.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset }), { limit, offset }));
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const workflow = await this.scope.run(user, (tx) => tx.workflow.findUnique({ where: { id: parseId(id, 'workflow') } }));
    if (!workflow) throw notFound('workflow');
    return workflow;
  }

  @Post()
  async create(@CurrentUser() user: AuthenticatedUser, @Body() body: unknown) {
    const { reportEnabled, ...input } = parseRequest(CreateWorkflow, body);
    return this.scope.run(user, async (tx) => {
      if (input.queryTemplateId && !(await tx.queryTemplate.findUnique({ where: { id: input.queryTemplateId }, select: { id: true } }))) {
        throw validationError([{ field: 'queryTemplateId', message: 'no such query template' }]);
      }
      const workflow = await tx.workflow.create({ data: { ...input, userId: user.id } });
      return reportEnabled ? enableReporting(tx, workflow.id) : workflow;
    });
  }

  @Patch(':id')
  async update(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const workflowId = parseId(id, 'workflow');
    const { reportEnabled, ...input } = parseRequest(UpdateWorkflow, body);
    const updated = await this.scope.run(user, async (tx) => {
      const existing = await tx.workflow.findUnique({ where: { id: workflowId } });
      if (!existing) return null;
      if (input.queryTemplateId && !(await tx.queryTemplate.findUnique({ where: { id: input.queryTemplateId }, select: { id: true } }))) {
        throw validationError([{ field: 'queryTemplateId', message: 'no such query template' }]);
      }
      await tx.workflow.update({ where: { id: workflowId }, data: input });
      if (reportEnabled === true) return enableReporting(tx, workflowId);
      if (reportEnabled === false) return tx.workflow.update({ where: { id: workflowId }, data: { reportEnabled: false } });
      return tx.workflow.findUnique({ where: { id: workflowId } });
    });
    if (!updated) throw notFound('workflow');
    return updated;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const workflowId = parseId(id, 'workflow');
    const { count } = await this.scope.run(user, (tx) => tx.workflow.deleteMany({ where: { id: workflowId } }));
    if (count === 0) throw notFound('workflow');
  }
}
