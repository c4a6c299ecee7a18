import { z } from 'zod';
import { DASHBOARD_TYPES } from '../dashboard-view';
import { AmcId, Name, pageOf, Pagination, Timestamp, Uuid } from './common.schema';

/** The query library: AMC SQL templates of an organization (and public ones of others). */
const TemplateFields = {
  name: Name(),
  description: z.string().max(2_000).nullable().optional(),
  sqlQuery: z.string().min(1).max(100_000),
  category: z.string().trim().max(100).nullable().optional(),
  isPublic: z.boolean().optional(),
  defaultDashboardType: z.enum(DASHBOARD_TYPES).optional(),
};
export const CreateQueryTemplate = z.strictObject({
  ...TemplateFields,
  /** Optional when the caller belongs to exactly one organization (as editor or owner). */
  organizationId: Uuid.optional(),
});
export type CreateQueryTemplate = z.infer<typeof CreateQueryTemplate>;
export const UpdateQueryTemplate = z.strictObject(TemplateFields).partial();
export type UpdateQueryTemplate = z.infer<typeof UpdateQueryTemplate>;
export const ListQueryTemplates = Pagination.extend({
  scope: z.enum(['mine', 'public', 'all']).default('all'),
  organizationId: Uuid.optional(),
});

export const QueryTemplate = z.object({
  id: Uuid,
  organizationId: Uuid,
  createdBy: Uuid.nullable(),
  name: z.string(),
  description: z.string().nullable(),
  sqlQuery: z.string(),
  category: z.string().nullable(),
  isPublic: z.boolean(),
  defaultDashboardType: z.enum(DASHBOARD_TYPES),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** Lists leave the SQL out: it can be 100 KB per row. */
export const QueryTemplateSummary = QueryTemplate.omit({ sqlQuery: true });
export const QueryTemplatePage = pageOf(QueryTemplateSummary);

const WorkflowFields = {
  name: Name(),
  description: z.string().max(2_000).nullable().optional(),
  sqlQuery: z.string().min(1).max(100_000),
  queryTemplateId: Uuid.nullable().optional(),
  /** One of the organization's AMC instances (GET /v1/organizations lists them). */
  amcInstanceId: AmcId,
  amcWorkflowId: AmcId.nullable().optional(),
  reportEnabled: z.boolean().optional(),
};
export const CreateWorkflow = z.strictObject({ ...WorkflowFields, organizationId: Uuid.optional() });
export type CreateWorkflow = z.infer<typeof CreateWorkflow>;
export const UpdateWorkflow = z.strictObject(WorkflowFields).partial();
export type UpdateWorkflow = z.infer<typeof UpdateWorkflow>;
export const ListWorkflows = Pagination.extend({ organizationId: Uuid.optional(), amcInstanceId: AmcId.optional() });

export const Workflow = z.object({
  id: Uuid,
  organizationId: Uuid,
  createdBy: Uuid.nullable(),
  name: z.string(),
  description: z.string().nullable(),
  sqlQuery: z.string(),
  queryTemplateId: Uuid.nullable(),
  amcInstanceId: z.string(),
  amcWorkflowId: z.string().nullable(),
  reportEnabled: z.boolean(),
  reportConfigId: Uuid.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const WorkflowSummary = Workflow.omit({ sqlQuery: true });
export const WorkflowPage = pageOf(WorkflowSummary);

/** `:id` of a row; an id that is not a UUID answers 404 like any unknown id. */
export const IdPath = z.strictObject({ id: Uuid });
