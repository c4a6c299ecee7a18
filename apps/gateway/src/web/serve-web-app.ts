import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

/** The Vite build of apps/web (scripts/ensure-deps.js builds it when missing or stale). */
export const WEB_APP_DIR = path.resolve(__dirname, '..', '..', '..', 'web', 'dist');
export const WEB_APP_PREFIX = '/app/';

/**
 * Scripts only from this origin, never inline. Styles allow inline because ECharts positions its
 * tooltips and styles its SVG through style attributes; the page's own CSS is a file. Fetch and
 * EventSource go to the same origin (the user API).
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': WEB_APP_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const NOT_BUILT = 'The web app is not built. Run `npm run setup` (or `npx vite build apps/web`), then restart the gateway.\n';

/**
 * Serves the dashboard front end at /app/ (index.html for /app and /app/), with its security
 * headers and cache rules. Without a build, /app answers 503 with how to build it, so a missing
 * build is an obvious message rather than a 404 that looks like a wrong URL.
 */
export function serveWebApp(app: NestFastifyApplication, directory = WEB_APP_DIR): void {
  const fastify = app.getHttpAdapter().getInstance();
  // An encapsulated plugin: the hooks and the static handler apply to /app only, not the API.
  void fastify.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
      return payload;
    });
    if (!fs.existsSync(path.join(directory, 'index.html'))) {
      const notBuilt = async (_request: unknown, reply: FastifyReply) =>
        reply.code(503).header('retry-after', '60').header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT);
      scope.get('/app', notBuilt);
      scope.get('/app/*', notBuilt);
      return;
    }
    await scope.register(fastifyStatic, {
      root: directory,
      prefix: WEB_APP_PREFIX,
      decorateReply: false,
      index: 'index.html',
      cacheControl: false,
      setHeaders(reply, filePath) {
        // Vite names assets by content hash: they never change; index.html must be revalidated to pick up a new build.
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // Relative asset URLs resolve against /app/, so /app itself redirects there.
    scope.get('/app', async (request, reply) => reply.redirect(`${WEB_APP_PREFIX}${request.url.slice('/app'.length)}`, 301));
  });
}
