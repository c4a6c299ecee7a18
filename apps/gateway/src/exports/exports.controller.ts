import { Body, ConflictException, Controller, Get, GoneException, HttpCode, Param, Post, Query, Res, StreamableFile, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '@amc-reports/auth';
import { api, type ExportFormat } from '@amc-reports/contracts';
import type { Prisma } from '@amc-reports/db';
import { ObjectNotFoundError, type ObjectStorage } from '@amc-reports/storage';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { notFound, parseId, parseRequest, toPage } from '../common/request-validation';
import { UserScope } from '../common/user-scope.service';
import { contentDisposition, contentTypeOf, exportFileName } from './export-download';
import { ExportRequestService } from './export-requests.service';
import { effectiveStatus, RetryLaterFilter, toExportView } from './export-view';
import { InjectDownloadStorage } from './exports.tokens';

/** Export requests, their status and downloads. Another user's export is a 404, never a 403. */
@Controller('v1')
@UseGuards(JwtAuthGuard)
@UseFilters(RetryLaterFilter)
export class ExportsController {
  constructor(
    private readonly scope: UserScope,
    private readonly requests: ExportRequestService,
    @InjectDownloadStorage() private readonly storage: ObjectStorage,
  ) {}

  @Post('reports/:id/exports')
  @HttpCode(202)
  async create(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: unknown) {
    const reportId = parseId(id, 'report');
    const input = parseRequest(api.CreateExport, body);
    return toExportView(await this.requests.request(user, reportId, input));
  }

  @Get('exports')
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: unknown) {
    const { limit, offset, status, format, reportId } = parseRequest(api.ListExports, query);
    const now = new Date();
    const where: Prisma.ReportExportWhereInput = { format, reportConfigurationId: reportId };
    // Filters follow the status the API shows: a completed export past expires_at is expired.
    if (status === 'completed') Object.assign(where, { status, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });
    else if (status === 'expired') Object.assign(where, { OR: [{ status: 'expired' }, { status: 'completed', expiresAt: { lte: now } }] });
    else if (status) where.status = status;
    return this.scope.run(user, async (tx) => {
      const rows = await tx.reportExport.findMany({ where, orderBy: [{ requestedAt: 'desc' }, { id: 'asc' }], take: limit + 1, skip: offset });
      const page = toPage(rows, { limit, offset });
      return { ...page, items: page.items.map((row) => toExportView(row, now)) };
    });
  }

  @Get('exports/:id')
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const row = await this.scope.run(user, (tx) => tx.reportExport.findUnique({ where: { id: parseId(id, 'export') } }));
    if (!row) throw notFound('export');
    return toExportView(row);
  }

  /**
   * Streams the file. 409 until it is completed, 410 once it expired (or its file is gone), and
   * download_count counts only downloads that actually started: it is incremented in the same
   * transaction that opened the stored object.
   */
  @Get('exports/:id/download')
  async download(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const exportId = parseId(id, 'export');
    const found = await this.scope.run(user, async (tx) => {
      const row = await tx.reportExport.findUnique({ where: { id: exportId }, include: { reportConfiguration: { select: { name: true } } } });
      if (!row) return null;
      const status = effectiveStatus(row, new Date());
      if (status === 'expired') throw gone(`the export expired at ${row.expiresAt?.toISOString()}; request a new one`);
      if (status === 'failed') throw new ConflictException({ statusCode: 409, error: 'export_failed', status, message: `the export failed: ${row.error ?? 'unknown reason'}` });
      if (status !== 'completed' || !row.storageKey) {
        throw new ConflictException({ statusCode: 409, error: 'not_ready', status, progress: row.progress, message: `the export is ${status}; download it once it is completed` });
      }
      let stream;
      try {
        stream = await this.storage.read(row.storageKey);
      } catch (error) {
        if (error instanceof ObjectNotFoundError) throw gone('the export file is no longer stored; request a new one');
        throw error;
      }
      try {
        await tx.reportExport.update({ where: { id: exportId }, data: { downloadCount: { increment: 1 } } });
      } catch (error) {
        stream.destroy();
        throw error;
      }
      return { row, stream };
    });
    if (!found) throw notFound('export');
    const { row, stream } = found;
    const format = row.format as ExportFormat;
    reply.header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'private, no-store');
    if (row.sha256) reply.header('ETag', `"${row.sha256}"`);
    return new StreamableFile(stream, {
      type: contentTypeOf(format, row.scope),
      disposition: contentDisposition(exportFileName({ reportName: row.reportConfiguration.name, format, scope: row.scope, completedAt: row.completedAt })),
      length: row.fileSizeBytes === null ? undefined : Number(row.fileSizeBytes),
    });
  }
}

function gone(message: string): GoneException {
  return new GoneException({ statusCode: 410, error: 'gone', message });
}
