import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import type { Prisma, TransactionClient } from '@amc-reports/db';
import { api, type DashboardType } from '@amc-reports/contracts';
import { parseReportSettings } from '@amc-reports/contracts/src/report-settings';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { UserScope } from '../common/user-scope.service';
import { notFound, parseId, parseRequest, toPage, validationError } from '../common/request-validation';
import { OrganizationAccess } from '../organizations/organization-access.service';
import { DashboardReader, readReportHeadlines } from './dashboard-reader';
import { previewReport } from './report-preview';

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

/** A list item carries no settings (up to 3 × 64 KB each): GET /v1/reports/:id has them. */
const summarySelect = {
  id: true, workflowId: true, queryTemplateId: true, sourceConfigurationId: true, name: true, dashboardType: true, isEnabled: true,
  createdAt: true, updatedAt: true, workflow: { select: { organizationId: true, amcInstanceId: true } },
} satisfies Prisma.ReportConfigurationSelect;

@Controller('v1/reports')
@UseGuards(JwtAuthGuard)
export class ReportsController {
  constructor(private readonly scope: UserScope, private readonly dashboards: DashboardReader, private readonly access: OrganizationAccess) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: unknown) {
    const { limit, offset, workflowId, organizationId, amcInstanceId } = parseRequest(api.ListReports, query);
    return this.scope.run(user, async (tx) => {
      const page = toPage(await tx.reportConfiguration.findMany({
        where: { workflowId: workflowId ?? { not: null }, ...(organizationId || amcInstanceId ? { workflow: { organizationId, amcInstanceId } } : {}) },
        select: summarySelect,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset,
      }), { limit, offset });
      // Each item carries its latest run and headline insight, so a list needs no per-report calls.
      const headlines = await readReportHeadlines(tx, page.items);
      return {
        ...page,
        items: page.items.map(({ workflow, ...report }) => ({
          ...report, organizationId: workflow?.organizationId ?? null, amcInstanceId: workflow?.amcInstanceId ?? null, ...headlines.get(report.id),
        })),
      };
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
    const input = parseRequest(api.CreateReport, body);
    validateSettings(input.dashboardType, { visualization: input.visualizationSettings, aggregation: input.dataAggregationSettings, export: input.exportSettings });
    return this.scope.run(user, async (tx) => {
      const parent = input.workflowId
        ? await tx.workflow.findUnique({ where: { id: input.workflowId }, select: { id: true, name: true, organizationId: true } })
        : await tx.queryTemplate.findUnique({ where: { id: input.queryTemplateId }, select: { id: true, name: true, organizationId: true } });
      const memberships = await this.access.memberships(tx, user);
      if (!parent || !memberships.some((m) => m.organizationId === parent.organizationId)) {
        throw validationError([{ field: input.workflowId ? 'workflowId' : 'queryTemplateId', message: "no such workflow or template of your organizations" }]);
      }
      await this.access.requireRole(tx, user, { organizationId: parent.organizationId, action: 'create reports' });
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
    const input = parseRequest(api.UpdateReport, body);
    return this.scope.run(user, async (tx) => {
      const existing = await this.requireEditable(tx, user, reportId, 'change reports');
      validateSettings((input.dashboardType ?? existing.dashboardType) as DashboardType, {
        visualization: input.visualizationSettings ?? existing.visualizationSettings,
        aggregation: input.dataAggregationSettings ?? existing.dataAggregationSettings,
        export: input.exportSettings ?? existing.exportSettings,
      });
      const updated = await tx.reportConfiguration.update({ where: { id: reportId }, data: input as object });
      if (input.isEnabled === true && existing.workflowId) await markWorkflowReporting(tx, existing.workflowId, reportId);
      return updated;
    });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    const reportId = parseId(id, 'report');
    await this.scope.run(user, async (tx) => {
      await this.requireEditable(tx, user, reportId, 'delete reports');
      await tx.reportConfiguration.delete({ where: { id: reportId } });
    });
  }

  /** Views with their processed data, the latest run's state and the latest insights, best first. */
  @Get(':id/dashboard')
  async dashboard(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Query() query: unknown) {
    const reportId = parseId(id, 'report');
    const request = parseRequest(api.DashboardQuery, query);
    const dashboard = await this.scope.run(user, (tx) => this.dashboards.read(tx, reportId, request));
    if (!dashboard) throw notFound('report');
    return dashboard;
  }

  /**
   * The editor's live preview: draft settings (validated as PATCH validates them, 400 naming the
   * field) on the latest usable result. Reads only what the caller may read; stores nothing.
   */
  @Post(':id/preview')
  @HttpCode(200)
  async preview(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const reportId = parseId(id, 'report');
    const draft = parseRequest(api.PreviewReport, body);
    validateSettings(draft.dashboardType, { visualization: draft.visualizationSettings, aggregation: draft.dataAggregationSettings, export: {} });
    const preview = await this.scope.run(user, async (tx) => {
      const report = await tx.reportConfiguration.findUnique({ where: { id: reportId }, select: { id: true, workflowId: true } });
      return report ? previewReport(tx, report, draft) : null;
    });
    if (!preview) throw notFound('report');
    return preview;
  }

  /** The report if the caller may see it (else 404) and change it (else 403 naming their role). */
  private async requireEditable(tx: TransactionClient, user: AuthenticatedUser, reportId: string, action: string) {
    const report = await tx.reportConfiguration.findUnique({ where: { id: reportId } });
    const organizationId = report ? await this.access.organizationOfReport(tx, reportId) : null;
    if (!report || !organizationId) throw notFound('report');
    const memberships = await this.access.memberships(tx, user);
    // A public template's default is readable by everyone and changeable only inside its organization.
    if (!memberships.some((m) => m.organizationId === organizationId)) throw notFound('report');
    await this.access.requireRole(tx, user, { organizationId, action });
    return report;
  }
}

/** Enabling a workflow-level report turns reporting on for its workflow (and makes it the default if none). */
async function markWorkflowReporting(tx: TransactionClient, workflowId: string, reportId: string): Promise<void> {
  const workflow = await tx.workflow.findUniqueOrThrow({ where: { id: workflowId }, select: { reportConfigId: true } });
  await tx.workflow.update({ where: { id: workflowId }, data: { reportEnabled: true, reportConfigId: workflow.reportConfigId ?? reportId } });
}
