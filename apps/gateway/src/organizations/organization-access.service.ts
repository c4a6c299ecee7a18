import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';
import { forbidden, notFound, validationError } from '../common/request-validation';

type Role = api.OrganizationRole;

export interface Membership {
  organizationId: string;
  name: string;
  role: Role;
}

/** What a write needs: the verb for the message ("change this report") and the row's organization. */
export interface WriteTarget {
  organizationId: string;
  action: string;
}

/**
 * The one place that answers "may this user do X in this organization". Row visibility itself is
 * Postgres row-level security (a non-member sees nothing: 404); this service turns a visible row
 * the caller may not change into a 403 that names their role, and picks the organization of a new
 * row, instead of letting an RLS violation surface as a 500.
 */
@Injectable()
export class OrganizationAccess {
  /** The caller's own memberships (organization_members shows colleagues' too; only the caller's count here). */
  async memberships(tx: TransactionClient, user: AuthenticatedUser): Promise<Membership[]> {
    const rows = await tx.organizationMember.findMany({
      where: { userId: user.id },
      include: { organization: { select: { name: true } } },
      orderBy: [{ organization: { name: 'asc' } }, { organizationId: 'asc' }],
    });
    return rows.map((row) => ({ organizationId: row.organizationId, name: row.organization.name, role: row.role as Role }));
  }

  /**
   * The organization a new row goes to: the one named, or the caller's only one. A user in no
   * organization gets a 403 saying who can add them; several organizations need `organizationId`.
   */
  async organizationForNewRow(tx: TransactionClient, user: AuthenticatedUser, requested: string | undefined, action: string): Promise<string> {
    const memberships = await this.memberships(tx, user);
    if (memberships.length === 0) throw noOrganization(user);
    let chosen: Membership | undefined;
    if (requested) {
      chosen = memberships.find((membership) => membership.organizationId === requested.toLowerCase());
      if (!chosen) throw validationError([{ field: 'organizationId', message: 'no such organization of yours' }]);
    } else if (memberships.length === 1) {
      chosen = memberships[0];
    } else {
      throw validationError([{
        field: 'organizationId',
        message: `required: you belong to ${memberships.length} organizations (${memberships.map((m) => m.name).join(', ')})`,
      }]);
    }
    assertRole(chosen, 'editor', action);
    return chosen.organizationId;
  }

  /** 403 unless the caller is at least `minimum` in the row's organization (the row is already known visible). */
  async requireRole(tx: TransactionClient, user: AuthenticatedUser, target: WriteTarget, minimum: Role = 'editor'): Promise<void> {
    const membership = (await this.memberships(tx, user)).find((m) => m.organizationId === target.organizationId);
    if (!membership) throw notFound('organization');
    assertRole(membership, minimum, target.action);
  }

  /** The organization of a report: its workflow's, or its template's for a template default. */
  async organizationOfReport(tx: TransactionClient, reportId: string): Promise<string | null> {
    const report = await tx.reportConfiguration.findUnique({
      where: { id: reportId },
      select: { workflow: { select: { organizationId: true } }, queryTemplate: { select: { organizationId: true } } },
    });
    if (!report) return null;
    return report.workflow?.organizationId ?? report.queryTemplate?.organizationId ?? null;
  }
}

function assertRole(membership: Membership, minimum: Role, action: string): void {
  if (api.roleAtLeast(membership.role, minimum)) return;
  const allowed = minimum === 'owner' ? 'owners' : 'editors and owners';
  throw forbidden('forbidden_role', `your role in "${membership.name}" is ${membership.role}; only ${allowed} can ${action}`);
}

export function noOrganizationMessage(user: AuthenticatedUser): string {
  return `You are not a member of any organization yet. Ask an owner of your organization to add you, or the amc-reports `
    + `administrator (PUT /admin/v1/organizations/<organization id>/members/${user.id}). Your user id is ${user.id}.`;
}

function noOrganization(user: AuthenticatedUser) {
  return forbidden('no_organization', noOrganizationMessage(user));
}
