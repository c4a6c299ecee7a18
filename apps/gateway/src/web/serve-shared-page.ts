import fs from 'node:fs';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PRISMA, type PrismaClient } from '@amc-reports/db';
import { WEB_APP_CSP, WEB_APP_DIR } from './serve-web-app';
import { activeShareLink } from '../sharing/share-tokens';

/** The shared dashboard's page (a second entry of the Vite build). */
const SHARED_PAGE = 'shared.html';

/**
 * CSP of a shared page: the app's own policy, except that the origins listed on the link may
 * frame it (`frame-ancestors`); a link without origins may be framed by nobody.
 */
export function sharedPageCsp(allowedOrigins: readonly string[]): string {
  const ancestors = allowedOrigins.length > 0 ? allowedOrigins.join(' ') : "'none'";
  return WEB_APP_CSP.replace("frame-ancestors 'none'", `frame-ancestors ${ancestors}`);
}

function page(title: string, message: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escape(title)}</title><link rel="stylesheet" href="/app/shared-notice.css"></head>`
    + `<body><main class="shared-notice"><h1>${escape(title)}</h1><p>${escape(message)}</p></main></body></html>`;
}

/**
 * GET /share/:token: the read-only dashboard page of a share link, with the link's framing rule.
 * A revoked or expired link answers 410 and an unknown one 404, as pages a person can read.
 */
export function serveSharedPage(app: NestFastifyApplication, directory = WEB_APP_DIR): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/share/:token', async (request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store')
      .header('cross-origin-opener-policy', 'same-origin');
    let origins: string[];
    try {
      origins = (await activeShareLink(app.get<PrismaClient>(PRISMA), request.params.token)).allowedOrigins;
    } catch (error) {
      const status = (error as { getStatus?: () => number }).getStatus?.() ?? 500;
      if (status !== 404 && status !== 410) throw error;
      reply.header('content-security-policy', WEB_APP_CSP).header('x-frame-options', 'DENY');
      const [title, message] = status === 410
        ? ['This link is no longer available', 'The dashboard behind this link was revoked or has expired. Ask the person who sent it for a new link.']
        : ['No such link', 'This share link does not exist. Check that the address was copied completely.'];
      return reply.code(status).type('text/html; charset=utf-8').send(page(title, message));
    }
    reply.header('content-security-policy', sharedPageCsp(origins));
    if (origins.length === 0) reply.header('x-frame-options', 'DENY');
    const file = path.join(directory, SHARED_PAGE);
    if (!fs.existsSync(file)) return reply.code(503).type('text/plain; charset=utf-8').send('The web app is not built. Run `npm run setup`.\n');
    return reply.type('text/html; charset=utf-8').send(fs.createReadStream(file));
  });
}
