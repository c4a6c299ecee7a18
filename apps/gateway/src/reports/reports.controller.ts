import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { AuthenticatedUser } from '@amc-reports/auth';
import type { TransactionClient } from '@amc-reports/db';
import { DASHBOARD_TYPES, type DashboardType } from '@amc-reports/contracts';
import { parseReportSettings } from '@amc-reports/contracts/src/report-settings';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserScope } from '../common/user-scope.service';
import { notFound, Pagination, parseId, parseRequest, toPage, Uuid, validationError } from '../common/request-validation';
import { DashboardReader, readReportHeadlines } from './dashboard-reader';

const settings = z.record(z.string(), z.unknown());
const ReportFields = {
  name: z.string().trim().min(1).max(200),
  dashboardType: z.enum(DASHBOARD_TYPES),
  visualizationSettings: settings,
  dataAggregationSettings: settings,
  exportSettings: settings,
  isEnabled: z.boolean(),
};
const CreateReport = z.strictObject({
  ...ReportFields,
  workflowId: Uuid.optional(),
  queryTemplateId: Uuid.optional(),
  name: ReportFields.name.optional(),
  visualizationSettings: settings.default({}),
  dataAggregationSettings: settings.default({}),
  exportSettings: settings.default({}),
  isEnabled: z.boolean().default(true),
}).refine((body) => Boolean(body.workflowId) !== Boolean(body.queryTemplateId), {
  path: ['workflowId'], message: 'give exactly one of workflowId or queryTemplateId',
});
const UpdateReport = z.strictObject(ReportFields).partial();
const ListReports = Pagination.extend({ workflowId: Uuid.optional() });

/** Settings are validated per dashboard type, so a bad stage column is a 400 now, not a failed build later. */
function validateSettings(type: DashboardType, raw: { visualization: unknown; aggregation: unknown; export: unknown }) {
  const parsed = parseReportSettings(type, raw);
  if (parsed.success) return parsed.settings;
  const names: Record<string, string> = { visualization: 'visualizationSettings', aggregation: 'dataAggregationSettings', export: 'exportSettings' };
  throw validationError(parsed.issues.map((issue) => {
    const [head, ...rest] = issue.path.map(String);
    return { field: [names[head] ?? head, ...rest].join('.'), message: issue.message };
  }));
}

@Controller('v1/reports')
@UseGuards(JwtAuthGuard)
export class ReportsController {
  constructor(private readonly scope: UserScope, private readonly dashboards: DashboardReader) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: unknown) {
    const { limit, offset, workflowId } = parseRequest(ListReports, query);
    return this.scope.run(user, async (tx) => {
      const page = toPage(await tx.reportConfiguration.findMany({
        where: { workflowId: workflowId ?? { not: null } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset,
      }), { limit, offset });
      // Each item carries its latest run and headline insight, so a list needs no per-report calls.
      const headlines = await readReportHeadlines(tx, page.items);
      return { ...page, items: page.items.map((report) => ({ ...report, ...headlines.get(report.id) })) };
    });
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const report = await this.scope.run(user, (tx) => tx.reportConfiguration.findUnique({ where: { id: parseId(id, 'report') } }));
    if (!report) throw notFound('report');
    return report;
  }

  @Post()
  async create(@CurrentUser() user: AuthenticatedUser, @Body() body: unknown) {
    const input = parseRequest(CreateReport, body);
    validateSettings(input.dashboardType, { visualization: input.visualizationSettings, aggregation: input.dataAggregationSettings, export: input.exportSettings });
    return this.scope.run(user, async (tx) => {
      const parent = input.workflowId
        ? await tx.workflow.findUnique({ where: { id: input.workflowId }, select: { id: true, name: true } })
        : await tx.queryTemplate.findFirst({ where: { id: input.queryTemplateId, userId: user.id }, select: { id: true, name: true } });
      if (!parent) throw validationError([{ field: input.workflowId ? 'workflowId' : 'queryTemplateId', message: 'no such workflow or template of yours' }]);
      const report = await tx.reportConfiguration.create({
        data: {
          workflowId: input.workflowId, queryTemplateId: input.queryTemplateId, name: input.name ?? parent.name,
          dashboardType: input.dashboardType, isEnabled: input.isEnabled,
          visualizationSettings: input.visualizationSettings as object, dataAggregationSettings: input.dataAggregationSettings as object,
          exportSettings: input.exportSettings as object,
        },
      });
      if (input.workflowId && input.isEnabled) await markWorkflowReporting(tx, input.workflowId, report.id);
      return report;
    });
  }

  @Patch(':id')
  async update(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const reportId = parseId(id, 'report');
    const input = parseRequest(UpdateReport, body);
    const updated = await this.scope.run(user, async (tx) => {
      const existing = await tx.reportConfiguration.findUnique({ where: { id: reportId } });
      if (!existing) return null;
      validateSettings((input.dashboardType ?? existing.dashboardType) as DashboardType, {
        visualization: input.visualizationSettings ?? existing.visualizationSettings,
        aggregation: input.dataAggregationSettings ?? existing.dataAggregationSettings,
        export: input.exportSettings ?? existing.exportSettings,
      });
      const { count } = await tx.reportConfiguration.updateMany({ where: { id: reportId }, data: input as object });
      if (count === 0) return null;
      if (input.isEnabled === true && existing.workflowId) await markWorkflowReporting(tx, existing.workflowId, reportId);
      return tx.reportConfiguration.findUnique({ where: { id: reportId } });
    });
    if (!updated) throw notFound('report');
    return updated;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const reportId = parseId(id, 'report');
    const { count } = await this.scope.run(user, (tx) => tx.reportConfiguration.deleteMany({ where: { id: reportId } }));
    if (count === 0) throw notFound('report');
  }

  /** Views with their processed data, the latest run's state and the latest insights, best first. */
  @Get(':id/dashboard')
  async dashboard(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const dashboard = await this.scope.run(user, (tx) => this.dashboards.read(tx, parseId(id, 'report')));
    if (!dashboard) throw notFound('report');
    return dashboard;
  }
}

/** Enabling a workflow-level report turns reporting on for its workflow (and makes it the default if none). */
async function markWorkflowReporting(tx: TransactionClient, workflowId: string, reportId: string): Promise<void> {
  const workflow = await tx.workflow.findUniqueOrThrow({ where: { id: workflowId }, select: { reportConfigId: true } });
  await tx.workflow.update({ where: { id: workflowId }, data: { reportEnabled: true, reportConfigId: workflow.reportConfigId ?? reportId } });
}
