import type { TransactionClient } from '@amc-reports/db';

/**
 * Turns reporting on for a workflow: it gets its default report configuration (a copy of its
 * template's enabled default when there is one, else a fresh one of the template's default
 * dashboard type), the configuration is enabled and linked as workflows.report_config_id.
 */
export async function enableReporting(tx: TransactionClient, workflowId: string) {
  const workflow = await tx.workflow.findUniqueOrThrow({ where: { id: workflowId }, include: { queryTemplate: true } });
  let configId = workflow.reportConfigId;
  if (!configId) {
    const existing = await tx.reportConfiguration.findFirst({ where: { workflowId }, orderBy: { createdAt: 'asc' } });
    if (existing) {
      configId = existing.id;
    } else {
      const templateDefault = workflow.queryTemplateId
        ? await tx.reportConfiguration.findFirst({ where: { queryTemplateId: workflow.queryTemplateId, isEnabled: true }, orderBy: { createdAt: 'asc' } })
        : null;
      const created = await tx.reportConfiguration.create({
        data: templateDefault
          ? {
            workflowId, sourceConfigurationId: templateDefault.id, name: templateDefault.name, dashboardType: templateDefault.dashboardType,
            visualizationSettings: templateDefault.visualizationSettings as object,
            dataAggregationSettings: templateDefault.dataAggregationSettings as object,
            exportSettings: templateDefault.exportSettings as object,
          }
          : { workflowId, name: workflow.name, dashboardType: workflow.queryTemplate?.defaultDashboardType ?? 'performance' },
      });
      configId = created.id;
    }
  }
  await tx.reportConfiguration.update({ where: { id: configId }, data: { isEnabled: true } });
  return tx.workflow.update({ where: { id: workflowId }, data: { reportEnabled: true, reportConfigId: configId } });
}
