import { ConflictException, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import type { TransactionClient } from '@amc-reports/db';
import { notFound } from '../common/request-validation';
import { OrganizationAccess } from '../organizations/organization-access.service';

export interface VisibleReport {
  id: string;
  name: string;
  workflowId: string;
  organizationId: string;
}

/**
 * A workflow report the caller can see (404 otherwise, like any row of another organization), and
 * for changes one the caller's role may change (403 naming the role): the subscription and share
 * link routes ask here, and OrganizationAccess answers the role question.
 */
@Injectable()
export class ReportScope {
  constructor(private readonly access: OrganizationAccess) {}

  async visible(tx: TransactionClient, reportId: string): Promise<VisibleReport> {
    const report = await tx.reportConfiguration.findUnique({
      where: { id: reportId }, select: { id: true, name: true, workflowId: true, workflow: { select: { organizationId: true } } },
    });
    if (!report) throw notFound('report');
    if (!report.workflowId || !report.workflow) {
      throw new ConflictException({
        statusCode: 409, error: 'template_report',
        message: 'a template default holds no data: subscribe to or share the report of a workflow built from it',
      });
    }
    return { id: report.id, name: report.name, workflowId: report.workflowId, organizationId: report.workflow.organizationId };
  }

  async changeable(tx: TransactionClient, user: AuthenticatedUser, reportId: string, action: string): Promise<VisibleReport> {
    const report = await this.visible(tx, reportId);
    await this.access.requireRole(tx, user, { organizationId: report.organizationId, action });
    return report;
  }
}
