import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';
import type { ObjectStorage } from '@amc-reports/storage';
import { notFound, validationError } from '../common/request-validation';
import { UserScope } from '../common/user-scope.service';
import { OrganizationAccess } from '../organizations/organization-access.service';
import { InjectDownloadStorage } from './exports.tokens';

interface BrandingRow {
  id: string;
  accentColor: string | null;
  coverTitle: string | null;
  footerText: string | null;
  logoKey: string | null;
  logoContentType: string | null;
  logoSizeBytes: number | null;
  updatedAt: Date;
}

/** Whose branding: an organization's defaults, or one report's overrides (in the report's organization). */
interface BrandingOwner {
  organizationId: string;
  reportId: string | null;
}

const EMPTY: api.Branding = { accentColor: null, coverTitle: null, footerText: null, logo: null, updatedAt: null };

function toView(row: BrandingRow | null): api.Branding {
  if (!row) return EMPTY;
  return {
    accentColor: row.accentColor, coverTitle: row.coverTitle, footerText: row.footerText,
    logo: row.logoKey && row.logoContentType ? { contentType: row.logoContentType as api.LogoContentType, sizeBytes: row.logoSizeBytes ?? 0 } : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The report's fields over the organization's, field by field (the logo as a whole). */
function effective(organization: api.Branding, report: api.Branding): api.Branding {
  return {
    accentColor: report.accentColor ?? organization.accentColor,
    coverTitle: report.coverTitle ?? organization.coverTitle,
    footerText: report.footerText ?? organization.footerText,
    logo: report.logo ?? organization.logo,
    updatedAt: report.updatedAt ?? organization.updatedAt,
  };
}

/**
 * Export branding: read by members, changed by editors and owners (one role check, in
 * OrganizationAccess; RLS enforces it again). A logo is checked by its schema, written to the
 * export storage under a key of our own (`branding/<uuid>.<ext>`), then recorded; the object it
 * replaces is removed after the commit, and a row that failed to commit takes its new object with it.
 */
@Injectable()
export class BrandingService {
  private readonly logger = new Logger(BrandingService.name);

  constructor(
    private readonly scope: UserScope,
    private readonly access: OrganizationAccess,
    @InjectDownloadStorage() private readonly storage: ObjectStorage,
  ) {}

  async getOrganization(user: AuthenticatedUser, organizationId: string): Promise<api.Branding> {
    return this.scope.run(user, async (tx) => toView(await this.find(tx, await this.organizationOwner(tx, user, organizationId, 'viewer'))));
  }

  async updateOrganization(user: AuthenticatedUser, organizationId: string, input: api.UpdateBranding): Promise<api.Branding> {
    return toView(await this.update(user, (tx) => this.organizationOwner(tx, user, organizationId, 'editor'), input));
  }

  async uploadOrganizationLogo(user: AuthenticatedUser, organizationId: string, logo: api.UploadLogo): Promise<api.Branding> {
    return toView(await this.upload(user, (tx) => this.organizationOwner(tx, user, organizationId, 'editor'), logo));
  }

  async getReport(user: AuthenticatedUser, reportId: string): Promise<api.ReportBranding> {
    return this.scope.run(user, async (tx) => {
      const owner = await this.reportOwner(tx, user, reportId, 'viewer');
      return this.reportView(tx, owner);
    });
  }

  async updateReport(user: AuthenticatedUser, reportId: string, input: api.UpdateBranding): Promise<api.ReportBranding> {
    await this.update(user, (tx) => this.reportOwner(tx, user, reportId, 'editor'), input);
    return this.getReport(user, reportId);
  }

  async uploadReportLogo(user: AuthenticatedUser, reportId: string, logo: api.UploadLogo): Promise<api.ReportBranding> {
    await this.upload(user, (tx) => this.reportOwner(tx, user, reportId, 'editor'), logo);
    return this.getReport(user, reportId);
  }

  private async reportView(tx: TransactionClient, owner: BrandingOwner): Promise<api.ReportBranding> {
    const report = toView(await this.find(tx, owner));
    const organization = toView(await this.find(tx, { organizationId: owner.organizationId, reportId: null }));
    return { report, effective: effective(organization, report) };
  }

  private async organizationOwner(tx: TransactionClient, user: AuthenticatedUser, organizationId: string, minimum: api.OrganizationRole): Promise<BrandingOwner> {
    await this.access.requireRole(tx, user, { organizationId, action: "change the organization's export branding" }, minimum);
    return { organizationId, reportId: null };
  }

  private async reportOwner(tx: TransactionClient, user: AuthenticatedUser, reportId: string, minimum: api.OrganizationRole): Promise<BrandingOwner> {
    const report = await tx.reportConfiguration.findUnique({ where: { id: reportId }, select: { workflow: { select: { organizationId: true } } } });
    if (!report) throw notFound('report');
    if (!report.workflow) throw validationError([{ field: 'id', message: "branding belongs to a workflow's report, not to a template default" }]);
    await this.access.requireRole(tx, user, { organizationId: report.workflow.organizationId, action: "change this report's export branding" }, minimum);
    return { organizationId: report.workflow.organizationId, reportId };
  }

  private find(tx: TransactionClient, owner: BrandingOwner): Promise<BrandingRow | null> {
    return tx.exportBranding.findFirst({ where: { organizationId: owner.organizationId, reportConfigurationId: owner.reportId } });
  }

  /** Creates the row or changes it; serialised per owner so two first writes cannot both insert. */
  private async write(tx: TransactionClient, user: AuthenticatedUser, owner: BrandingOwner, data: Record<string, unknown>): Promise<{ row: BrandingRow; previous: BrandingRow | null }> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`export-branding:${owner.organizationId}:${owner.reportId ?? ''}`}, 0))`;
    const previous = await this.find(tx, owner);
    const row = previous
      ? await tx.exportBranding.update({ where: { id: previous.id }, data: { ...data, updatedBy: user.id } })
      : await tx.exportBranding.create({ data: { organizationId: owner.organizationId, reportConfigurationId: owner.reportId, ...data, updatedBy: user.id } });
    return { row, previous };
  }

  private async update(user: AuthenticatedUser, ownerOf: (tx: TransactionClient) => Promise<BrandingOwner>, input: api.UpdateBranding): Promise<BrandingRow> {
    const data: Record<string, unknown> = {};
    for (const field of ['accentColor', 'coverTitle', 'footerText'] as const) if (input[field] !== undefined) data[field] = input[field];
    if (input.removeLogo) Object.assign(data, { logoKey: null, logoContentType: null, logoSizeBytes: null });
    const { row, previous } = await this.scope.run(user, async (tx) => this.write(tx, user, await ownerOf(tx), data));
    if (input.removeLogo && previous?.logoKey) await this.removeObject(previous.logoKey);
    return row;
  }

  private async upload(user: AuthenticatedUser, ownerOf: (tx: TransactionClient) => Promise<BrandingOwner>, logo: api.UploadLogo): Promise<BrandingRow> {
    // Checked before anything is stored: a refused role or a missing report leaves no object behind.
    await this.scope.run(user, ownerOf);
    const key = `branding/${randomUUID()}.${logo.contentType === 'image/png' ? 'png' : 'svg'}`;
    const stored = await this.storage.put(key, logo.bytes);
    let result: { row: BrandingRow; previous: BrandingRow | null };
    try {
      result = await this.scope.run(user, async (tx) => this.write(tx, user, await ownerOf(tx), { logoKey: stored.key, logoContentType: logo.contentType, logoSizeBytes: stored.sizeBytes }));
    } catch (error) {
      await this.removeObject(stored.key);
      throw error;
    }
    if (result.previous?.logoKey) await this.removeObject(result.previous.logoKey);
    this.logger.log({ msg: 'export logo stored', brandingId: result.row.id, userId: user.id, key: stored.key, sizeBytes: stored.sizeBytes });
    return result.row;
  }

  private async removeObject(key: string): Promise<void> {
    await this.storage.delete(key).catch((error: Error) => this.logger.warn({ msg: `a replaced logo stays in storage: ${error.message}`, key }));
  }
}
