import { createPrismaClient } from '@amc-reports/db';

export const DEMO_USER_ID = '00000000-0000-4000-8000-00000000d3e0';
export const DEMO_EMAIL = 'demo@amc-reports.local';
export const DEMO_INSTANCE_ID = 'amcdemo0001';
export const DEMO_AMC_WORKFLOW_ID = 'weekly_funnel_by_campaign';

export interface DemoData {
  userId: string;
  templateId: string;
  workflowId: string;
  reportId: string;
}

/** The demo owner's query library: a funnel template, a workflow built from it, its report. Idempotent. */
export async function seedDemoData(databaseUrl: string): Promise<DemoData> {
  const prisma = createPrismaClient({ databaseUrl, poolSize: 2, applicationName: 'demo' });
  try {
    return await prisma.$transaction(async (tx) => {
      await tx.user.upsert({ where: { id: DEMO_USER_ID }, update: {}, create: { id: DEMO_USER_ID, email: DEMO_EMAIL } });
      const template = (await tx.queryTemplate.findFirst({ where: { userId: DEMO_USER_ID, name: 'Weekly funnel by campaign' } }))
        ?? (await tx.queryTemplate.create({
          data: {
            userId: DEMO_USER_ID, name: 'Weekly funnel by campaign', category: 'funnel', defaultDashboardType: 'funnel',
            sqlQuery: 'SELECT campaign, ad_product_type, SUM(impressions) AS impressions, SUM(clicks) AS clicks, '
              + 'SUM(detail_page_view) AS detail_page_view, SUM(add_to_cart) AS add_to_cart, SUM(purchases) AS purchases, '
              + 'SUM(product_sales) AS product_sales FROM amazon_attributed_events_by_traffic_time GROUP BY 1, 2',
          },
        }));
      const workflow = (await tx.workflow.findFirst({ where: { amcInstanceId: DEMO_INSTANCE_ID, amcWorkflowId: DEMO_AMC_WORKFLOW_ID } }))
        ?? (await tx.workflow.create({
          data: {
            userId: DEMO_USER_ID, name: 'Weekly funnel (demo)', sqlQuery: template.sqlQuery, queryTemplateId: template.id,
            amcInstanceId: DEMO_INSTANCE_ID, amcWorkflowId: DEMO_AMC_WORKFLOW_ID, reportEnabled: true,
          },
        }));
      const report = (await tx.reportConfiguration.findFirst({ where: { workflowId: workflow.id } }))
        ?? (await tx.reportConfiguration.create({
          data: { workflowId: workflow.id, name: 'Weekly funnel', dashboardType: 'funnel', exportSettings: { autoExport: ['pdf'], retentionDays: 7 } },
        }));
      await tx.workflow.update({ where: { id: workflow.id }, data: { reportEnabled: true, reportConfigId: report.id } });
      return { userId: DEMO_USER_ID, templateId: template.id, workflowId: workflow.id, reportId: report.id };
    });
  } finally {
    await prisma.$disconnect();
  }
}
