import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api } from '@amc-reports/contracts';
import type { TransactionClient } from '@amc-reports/db';
import { InjectGatewayConfig, type GatewayConfig } from '../app-config';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { notFound, parseId, parseRequest, toPage } from '../common/request-validation';
import { UserScope } from '../common/user-scope.service';
import { ReportScope } from '../delivery/report-scope';
import { newToken } from './share-tokens';

interface LinkRow {
  id: string; label: string | null; allowExports: boolean; allowedOrigins: string[]; expiresAt: Date; revokedAt: Date | null; createdAt: Date;
}

function toShareLinkView(row: LinkRow, views: { count: number; last: Date | null }, now = new Date()) {
  const status = row.revokedAt ? 'revoked' : row.expiresAt <= now ? 'expired' : 'active';
  return {
    id: row.id, label: row.label, allowExports: row.allowExports, allowedOrigins: row.allowedOrigins, expiresAt: row.expiresAt,
    revokedAt: row.revokedAt, createdAt: row.createdAt, status, viewCount: views.count, lastViewedAt: views.last,
  };
}

async function viewStats(tx: TransactionClient, linkIds: string[]): Promise<Map<string, { count: number; last: Date | null }>> {
  if (linkIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; count: number; last: Date | null }[]>`
    SELECT share_link_id AS id, count(*)::int AS count, max(viewed_at) AS last FROM share_link_views
    WHERE share_link_id = ANY(${linkIds}::uuid[]) GROUP BY share_link_id`;
  return new Map(rows.map((row) => [row.id, { count: row.count, last: row.last }]));
}

/**
 * Client share links (issue 16): an unguessable token for one report's read-only dashboard, for
 * someone without an account. Editors and owners make and revoke them; members see them with how
 * often they were viewed. The token is shown once; only its SHA-256 is kept.
 */
@Controller('v1/reports/:id/share-links')
@UseGuards(JwtAuthGuard)
export class ShareLinksController {
  constructor(private readonly scope: UserScope, private readonly reports: ReportScope, @InjectGatewayConfig() private readonly config: GatewayConfig) {}

  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Query() query: unknown) {
    const reportId = parseId(id, 'report');
    const { limit, offset } = parseRequest(api.ListShareLinks, query);
    return this.scope.run(user, async (tx) => {
      await this.reports.visible(tx, reportId);
      const rows = await tx.reportShareLink.findMany({
        where: { reportConfigurationId: reportId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset,
      });
      const page = toPage(rows, { limit, offset });
      const stats = await viewStats(tx, page.items.map((row) => row.id));
      return { ...page, items: page.items.map((row) => toShareLinkView(row, stats.get(row.id) ?? { count: 0, last: null })) };
    });
  }

  @Post()
  async create(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const reportId = parseId(id, 'report');
    const input = parseRequest(api.CreateShareLink, body);
    const { token, sha256 } = newToken();
    const row = await this.scope.run(user, async (tx) => {
      await this.reports.changeable(tx, user, reportId, 'share reports');
      return tx.reportShareLink.create({
        data: {
          reportConfigurationId: reportId, tokenSha256: sha256, label: input.label, allowExports: input.allowExports,
          allowedOrigins: input.allowedOrigins, expiresAt: input.expiresAt, createdBy: user.id,
        },
      });
    });
    return { ...toShareLinkView(row, { count: 0, last: null }), token, url: `${this.config.PUBLIC_URL}/share/${token}` };
  }

  @Delete(':linkId')
  @HttpCode(204)
  async revoke(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('linkId') linkParam: string): Promise<void> {
    const reportId = parseId(id, 'report');
    const linkId = parseId(linkParam, 'share link');
    await this.scope.run(user, async (tx) => {
      await this.reports.changeable(tx, user, reportId, 'revoke share links');
      const link = await tx.reportShareLink.findFirst({ where: { id: linkId, reportConfigurationId: reportId }, select: { revokedAt: true } });
      if (!link) throw notFound('share link');
      if (!link.revokedAt) await tx.reportShareLink.update({ where: { id: linkId }, data: { revokedAt: new Date() } });
    });
  }
}
