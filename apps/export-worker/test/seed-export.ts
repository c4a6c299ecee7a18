import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@amc-reports/db';
import { seedOrganization } from '@amc-reports/testing';
import type { ExportDocument } from '../src/renderers/export-document';
import { buildExportDocument } from './fixtures/export-document.fixture';

export interface SeededReport {
  userId: string;
  workflowId: string;
  executionId: string;
  reportId: string;
  /** dashboard_views ids by view key. */
  viewIds: Map<string, string>;
  document: ExportDocument;
}

export interface SeedOptions {
  document?: ExportDocument;
  exportSettings?: Record<string, unknown>;
  /** An archived raw result of the execution (key and data rows). */
  raw?: { key: string; rowCount: number };
}

/**
 * A workflow-level report as the report and insight services leave it: one execution, the
 * fixture document's views built from it, and its insights. Written as the owner role.
 */
export async function seedReport(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeededReport> {
  const document = options.document ?? buildExportDocument();
  const user = await prisma.user.create({ data: { id: randomUUID() } });
  const instanceId = `amcexport${randomUUID().slice(0, 8)}`;
  const { organizationId } = await seedOrganization(prisma, { instanceIds: [instanceId], members: [{ userId: user.id, role: 'owner' }] });
  const workflow = await prisma.workflow.create({
    data: { organizationId, createdBy: user.id, name: document.report.workflowName, sqlQuery: 'SELECT 1', amcInstanceId: instanceId, reportEnabled: true },
  });
  const execution = await prisma.workflowExecution.create({
    data: {
      workflowId: workflow.id, amcInstanceId: instanceId, amcExecutionId: randomUUID(), status: 'SUCCEEDED',
      timeWindowStart: new Date(document.report.timeWindowStart), timeWindowEnd: new Date(document.report.timeWindowEnd),
      completedAt: new Date(), rowCount: options.raw?.rowCount ?? 66, rawResultKey: options.raw?.key ?? null,
    },
  });
  const report = await prisma.reportConfiguration.create({
    data: {
      workflowId: workflow.id, name: document.report.name, dashboardType: document.report.dashboardType,
      exportSettings: (options.exportSettings ?? {}) as object,
    },
  });
  const viewIds = new Map<string, string>();
  for (const view of document.views) {
    const row = await prisma.dashboardView.create({
      data: {
        reportConfigurationId: report.id, viewKey: view.key, name: view.name, viewType: view.viewType, position: view.position,
        chartConfigurations: view.chart as object, processedData: view.data as object, sourceExecutionId: execution.id, processedAt: new Date(),
      },
    });
    viewIds.set(view.key, row.id);
  }
  const insightView = viewIds.get('insights') ?? [...viewIds.values()][0];
  for (const [index, insight] of document.insights.entries()) {
    await prisma.dashboardInsight.create({
      data: {
        dashboardViewId: insightView, executionId: execution.id, findingId: `finding-${index}`, insightType: insight.insightType,
        insightText: insight.text, confidenceScore: insight.confidenceScore, aiModel: 'statistical', promptVersion: 'test',
      },
    });
  }
  return { userId: user.id, workflowId: workflow.id, executionId: execution.id, reportId: report.id, viewIds, document };
}

export interface ExportRequestSeed {
  format: 'pdf' | 'png' | 'csv' | 'excel';
  scope?: 'dashboard' | 'view' | 'raw';
  viewKey?: string;
  options?: Record<string, unknown>;
  status?: string;
  attempts?: number;
  startedAt?: Date;
  requestedAt?: Date;
}

/** A report_exports row as the gateway writes it (pending unless told otherwise). */
export async function seedExport(prisma: PrismaClient, report: SeededReport, request: ExportRequestSeed): Promise<string> {
  const row = await prisma.reportExport.create({
    data: {
      reportConfigurationId: report.reportId, userId: report.userId, format: request.format, scope: request.scope ?? 'dashboard',
      viewId: request.viewKey ? report.viewIds.get(request.viewKey)! : null, executionId: report.executionId,
      options: (request.options ?? {}) as object, attempts: request.attempts ?? 0, startedAt: request.startedAt ?? null,
      requestedAt: request.requestedAt ?? new Date(),
    },
  });
  if (request.status === 'processing' || request.status === 'completed' || request.status === 'failed') {
    await prisma.reportExport.update({ where: { id: row.id }, data: { status: 'processing' } });
  }
  if (request.status === 'completed' || request.status === 'failed') {
    await prisma.reportExport.update({ where: { id: row.id }, data: { status: request.status } });
  }
  return row.id;
}
