import { z } from 'zod';
import { AmcId, Name, pageOf, Pagination, Timestamp, Uuid } from './common.schema';

/** viewer reads; editor also writes templates, workflows and reports; owner also manages members. */
export const ORGANIZATION_ROLES = ['owner', 'editor', 'viewer'] as const;
export const OrganizationRole = z.enum(ORGANIZATION_ROLES);
export type OrganizationRole = z.infer<typeof OrganizationRole>;

/** Whether `role` carries at least the rights of `minimum`. */
export function roleAtLeast(role: OrganizationRole | null | undefined, minimum: OrganizationRole): boolean {
  if (!role) return false;
  return ORGANIZATION_ROLES.indexOf(role) <= ORGANIZATION_ROLES.indexOf(minimum);
}

export const AmcInstanceFields = {
  name: Name().nullable().optional(),
  /** The advertiser's id in Amazon Ads, when the operator records it. */
  advertiserId: z.string().trim().min(1).max(200).nullable().optional(),
  /** e.g. US, DE, JP. */
  marketplace: z.string().trim().min(1).max(50).nullable().optional(),
};

export const AmcInstance = z.object({
  instanceId: z.string(),
  organizationId: Uuid,
  name: z.string().nullable(),
  advertiserId: z.string().nullable(),
  marketplace: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const OrganizationMember = z.object({
  userId: Uuid,
  email: z.string().nullable(),
  role: OrganizationRole,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** GET /v1/organizations: the caller's organizations, their instances and the caller's role. */
export const MyOrganization = z.object({
  id: Uuid,
  name: z.string(),
  role: OrganizationRole,
  amcInstances: z.array(AmcInstance),
  createdAt: Timestamp,
});
export const MyOrganizations = z.object({
  items: z.array(MyOrganization),
  /** Set when the caller belongs to no organization: who can add them. */
  message: z.string().optional(),
});

export const OrganizationDetail = MyOrganization.extend({ members: z.array(OrganizationMember) });

export const SetMemberRole = z.strictObject({ role: OrganizationRole });
export type SetMemberRole = z.infer<typeof SetMemberRole>;

export const OrganizationPath = z.strictObject({ id: Uuid });
export const MemberPath = z.strictObject({ id: Uuid, userId: Uuid });

// ---- the operator's admin API (/admin/v1, Bearer ADMIN_TOKEN) ----

export const CreateOrganization = z.strictObject({ name: Name() });
export type CreateOrganization = z.infer<typeof CreateOrganization>;

export const AdminOrganization = z.object({
  id: Uuid,
  name: z.string(),
  memberCount: z.int(),
  amcInstanceCount: z.int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const AdminOrganizationDetail = AdminOrganization.extend({
  members: z.array(OrganizationMember),
  amcInstances: z.array(AmcInstance),
});
export const AdminOrganizationPage = pageOf(AdminOrganization);
export const AdminListOrganizations = Pagination;

export const AdminOrganizationPath = z.strictObject({ orgId: Uuid });
export const AdminMemberPath = z.strictObject({ orgId: Uuid, userId: Uuid });
export const AdminInstancePath = z.strictObject({ orgId: Uuid, instanceId: AmcId });

export const PutAmcInstance = z.strictObject(AmcInstanceFields);
export type PutAmcInstance = z.infer<typeof PutAmcInstance>;

export const AdminMembership = z.object({
  organizationId: Uuid,
  userId: Uuid,
  role: OrganizationRole,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
