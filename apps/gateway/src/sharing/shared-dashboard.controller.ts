import { Body, ConflictException, Controller, ForbiddenException, Get, HttpCode, Inject, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { api, EXPORT_FORMATS, EXPORT_RENDER_JOB, EXPORT_RENDER_JOB_OPTIONS, EXPORT_RENDER_QUEUE, exportRenderJobId, type ExportFormat } from '@amc-reports/contracts';
import { ensureAutoExport, InjectPrisma, withShareLink, type PrismaClient, type TransactionClient } from '@amc-reports/db';
import { ObjectNotFoundError, type ObjectStorage } from '@amc-reports/storage';
import { notFound, parseRequest } from '../common/request-validation';
import { contentDisposition, contentTypeOf, exportFileName } from '../exports/export-download';
import { DashboardReader } from '../reports/dashboard-reader';
import { activeShareLink, gone, type ActiveShareLink } from './share-tokens';
import { SHARED_STORAGE } from './sharing.tokens';

type ViewKind = 'dashboard' | 'export' | 'download';

/**
 * What a share link opens, without an account: the one report's dashboard (read inside the
 * share-link RLS scope, so no query can reach another report), and — when the link allows it —
 * the latest execution's exports, rendered once per execution and format whoever asks. Every read
 * is logged as a view of the link. No report, workflow, organization or user id is in any answer.
 */
@Controller('v1/shared/:token')
export class SharedDashboardController {
  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    private readonly dashboards: DashboardReader,
    @InjectQueue(EXPORT_RENDER_QUEUE) private readonly exportQueue: Queue,
    @Inject(SHARED_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  @Get('dashboard')
  async dashboard(@Param('token') token: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const link = await activeShareLink(this.prisma, token);
    const board = await withShareLink(this.prisma, link.tokenSha256, async (tx) => {
      const read = await this.dashboards.read(tx, link.reportConfigurationId);
      if (read) await logView(tx, link, 'dashboard', request);
      return read;
    });
    if (!board) throw gone('the shared report no longer exists');
    privateAnswer(reply);
    return {
      report: { name: board.report.name, dashboardType: board.report.dashboardType },
      latestRun: board.latestRun, history: board.history, views: board.views, insights: board.insights,
      share: { expiresAt: link.expiresAt, allowExports: link.allowExports },
    };
  }

  @Post('exports')
  @HttpCode(202)
  async requestExport(@Param('token') token: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const link = await this.exportingLink(token);
    const { format } = parseRequest(api.RequestSharedExport, body);
    const executionId = await this.currentExecution(link);
    const row = await ensureAutoExport(this.prisma, { configurationId: link.reportConfigurationId, executionId, format });
    if (!row) throw new ConflictException({ statusCode: 409, error: 'no_owner', message: 'the report has nobody who could own its exports' });
    if (row.status === 'pending' || row.status === 'processing') {
      await this.exportQueue.add(EXPORT_RENDER_JOB, { exportId: row.id }, { ...EXPORT_RENDER_JOB_OPTIONS, jobId: exportRenderJobId(row.id) });
    }
    await withShareLink(this.prisma, link.tokenSha256, (tx) => logView(tx, link, 'export', request));
    privateAnswer(reply);
    return this.exportState(token, link, executionId, format);
  }

  @Get('exports/:format')
  async getExport(@Param('token') token: string, @Param('format') format: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const link = await this.exportingLink(token);
    privateAnswer(reply);
    return this.exportState(token, link, await this.currentExecution(link), parseFormat(format));
  }

  @Get('exports/:format/download')
  async download(@Param('token') token: string, @Param('format') formatParam: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const link = await this.exportingLink(token);
    const format = parseFormat(formatParam);
    const row = await this.findExport(link, await this.currentExecution(link), format);
    if (!row || row.status !== 'completed' || !row.storageKey) {
      throw new ConflictException({ statusCode: 409, error: 'not_ready', message: `the ${format} export is ${row?.status ?? 'not requested'}; request it first` });
    }
    let stream;
    try {
      stream = await this.storage.read(row.storageKey);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw gone('the file is no longer stored');
      throw error;
    }
    await withShareLink(this.prisma, link.tokenSha256, (tx) => logView(tx, link, 'download', request));
    const report = await this.prisma.reportConfiguration.findUniqueOrThrow({ where: { id: link.reportConfigurationId }, select: { name: true } });
    privateAnswer(reply);
    reply.header('x-content-type-options', 'nosniff');
    return new StreamableFile(stream, {
      type: contentTypeOf(format, 'dashboard'),
      disposition: contentDisposition(exportFileName({ reportName: report.name, format, scope: 'dashboard', completedAt: row.completedAt })),
      length: row.fileSizeBytes === null ? undefined : Number(row.fileSizeBytes),
    });
  }

  private async exportingLink(token: string): Promise<ActiveShareLink> {
    const link = await activeShareLink(this.prisma, token);
    if (!link.allowExports) throw new ForbiddenException({ statusCode: 403, error: 'exports_not_allowed', message: 'this share link does not allow exports' });
    return link;
  }

  /** The execution the shared dashboard shows, read inside the link's scope. */
  private async currentExecution(link: ActiveShareLink): Promise<string> {
    const shown = await withShareLink(this.prisma, link.tokenSha256, (tx) => tx.dashboardView.findFirst({
      where: { reportConfigurationId: link.reportConfigurationId, sourceExecutionId: { not: null } },
      orderBy: { processedAt: 'desc' }, select: { sourceExecutionId: true },
    }));
    if (!shown?.sourceExecutionId) throw new ConflictException({ statusCode: 409, error: 'no_execution', message: 'the report has no execution yet' });
    return shown.sourceExecutionId;
  }

  private findExport(link: ActiveShareLink, executionId: string, format: ExportFormat) {
    return this.prisma.reportExport.findFirst({
      where: {
        reportConfigurationId: link.reportConfigurationId, executionId, format, scope: 'dashboard', options: { path: ['auto'], equals: true },
        NOT: { status: 'expired' },
      },
      orderBy: { requestedAt: 'desc' },
    });
  }

  private async exportState(token: string, link: ActiveShareLink, executionId: string, format: ExportFormat) {
    const row = await this.findExport(link, executionId, format);
    if (!row) throw notFound('export');
    const expired = row.status === 'completed' && row.expiresAt !== null && row.expiresAt <= new Date();
    return {
      format, status: expired ? 'expired' : row.status, progress: row.progress, error: row.error,
      fileSizeBytes: row.fileSizeBytes === null ? null : Number(row.fileSizeBytes), expiresAt: row.expiresAt,
      downloadUrl: row.status === 'completed' && !expired ? `/v1/shared/${token}/exports/${format}/download` : null,
    };
  }
}

function parseFormat(value: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) throw notFound('export');
  return value as ExportFormat;
}

/** A shared answer is for the one reader: never cached by a proxy, never a referrer elsewhere. */
function privateAnswer(reply: FastifyReply): void {
  reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
}

async function logView(tx: TransactionClient, link: ActiveShareLink, kind: ViewKind, request: FastifyRequest): Promise<void> {
  const userAgent = String(request.headers['user-agent'] ?? '').slice(0, 500) || null;
  // No RETURNING: inside the share scope the link's own rows are not readable, only insertable.
  await tx.$executeRaw`
    INSERT INTO share_link_views (share_link_id, kind, client_ip, user_agent)
    VALUES (${link.id}::uuid, ${kind}, ${request.ip?.slice(0, 100) ?? null}, ${userAgent})`;
}
