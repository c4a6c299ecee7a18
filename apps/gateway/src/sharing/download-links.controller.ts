import { ConflictException, Controller, Get, Inject, Param, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ExportFormat } from '@amc-reports/contracts';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { ObjectNotFoundError, type ObjectStorage } from '@amc-reports/storage';
import { notFound } from '../common/request-validation';
import { contentDisposition, contentTypeOf, exportFileName } from '../exports/export-download';
import { gone, isTokenShaped, tokenSha256 } from './share-tokens';
import { SHARED_STORAGE } from './sharing.tokens';

/**
 * A delivered file behind an expiring link: an e-mail attachment too large to mail, or a file of
 * a Slack or webhook delivery. The token is the whole credential; 410 once the link or the export
 * expired.
 */
@Controller('v1/download-links')
export class DownloadLinksController {
  constructor(@InjectPrisma() private readonly prisma: PrismaClient, @Inject(SHARED_STORAGE) private readonly storage: ObjectStorage) {}

  @Get(':token')
  async download(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    if (!isTokenShaped(token)) throw notFound('download link');
    const link = await this.prisma.downloadLink.findUnique({ where: { tokenSha256: tokenSha256(token) } });
    if (!link) throw notFound('download link');
    if (link.expiresAt <= new Date()) throw gone(`this download link expired at ${link.expiresAt.toISOString()}`);
    const file = await this.prisma.reportExport.findUnique({
      where: { id: link.exportId }, include: { reportConfiguration: { select: { name: true } } },
    });
    if (!file || file.status === 'expired' || (file.expiresAt && file.expiresAt <= new Date())) throw gone('the file expired');
    if (file.status !== 'completed' || !file.storageKey) throw new ConflictException({ statusCode: 409, error: 'not_ready', message: `the file is ${file.status}` });
    let stream;
    try {
      stream = await this.storage.read(file.storageKey);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw gone('the file is no longer stored');
      throw error;
    }
    await this.prisma.downloadLink.update({ where: { id: link.id }, data: { downloadCount: { increment: 1 } } });
    const format = file.format as ExportFormat;
    reply.header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    return new StreamableFile(stream, {
      type: contentTypeOf(format, file.scope),
      disposition: contentDisposition(exportFileName({ reportName: file.reportConfiguration.name, format, scope: file.scope, completedAt: file.completedAt })),
      length: file.fileSizeBytes === null ? undefined : Number(file.fileSizeBytes),
    });
  }
}
