import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { serveWebApp, WEB_APP_CSP } from './serve-web-app';

// @fastify/static needs an ES-module-only dependency Jest cannot require; the real file serving is
// proven by test/web (a browser against the real gateway). Here: the wiring around it.
const staticOptions: Record<string, unknown>[] = [];
jest.mock('@fastify/static', () => ({
  __esModule: true,
  default: async (_instance: unknown, options: Record<string, unknown>) => void staticOptions.push(options),
}));

let directory: string;
let fastify: FastifyInstance;
let baseUrl: string;

/** serveWebApp only needs the Fastify instance under the Nest application. */
async function serve(dir: string): Promise<FastifyInstance> {
  const instance = Fastify();
  serveWebApp({ getHttpAdapter: () => ({ getInstance: () => instance }) } as unknown as NestFastifyApplication, dir);
  instance.get('/v1/ping', async () => ({ ok: true }));
  // A loopback port rather than inject(): light-my-request needs an ES-module-only package too.
  baseUrl = await instance.listen({ port: 0, host: '127.0.0.1' });
  return instance;
}

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
});
afterEach(async () => {
  await fastify?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

describe('serveWebApp', () => {
  it('serves the build at /app/ with the CSP, hashed assets as immutable, and redirects /app there', async () => {
    fs.writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>AMC Reports</title>');
    fastify = await serve(directory);
    expect(staticOptions.at(-1)).toMatchObject({ root: directory, prefix: '/app/', index: 'index.html', decorateReply: false });
    const headers: Record<string, string> = {};
    const reply = { header: (name: string, value: string) => (headers[name] = value) };
    const setHeaders = staticOptions.at(-1)!.setHeaders as (reply: unknown, file: string) => void;
    setHeaders(reply, path.join(directory, 'assets', 'index-abc123.js'));
    expect(headers['cache-control']).toBe('public, max-age=31536000, immutable');
    setHeaders(reply, path.join(directory, 'index.html'));
    expect(headers['cache-control']).toBe('no-cache');

    const bare = await fetch(`${baseUrl}/app?x=1`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/app/?x=1');
    expect(bare.headers.get('content-security-policy')).toBe(WEB_APP_CSP);
    expect(bare.headers.get('x-frame-options')).toBe('DENY');
    expect(WEB_APP_CSP).toContain("script-src 'self';");
    expect(WEB_APP_CSP).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('answers 503 with how to build it when the build is missing, and leaves the API alone', async () => {
    fastify = await serve(path.join(directory, 'missing'));
    for (const url of ['/app', '/app/', '/app/assets/index.js']) {
      const response = await fetch(`${baseUrl}${url}`, { redirect: 'manual' });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('vite build apps/web');
    }
    const api = await fetch(`${baseUrl}/v1/ping`);
    expect(api.status).toBe(200);
    expect(api.headers.get('content-security-policy')).toBeNull();
  });
});
