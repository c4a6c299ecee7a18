import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { APP_NAMES, WORKER_NODE_FLAGS } from '@amc-reports/launcher';

// No Docker engine runs here, so the deployment files are checked by parsing them: the YAML
// must be valid Compose structure and stay consistent with the apps, the config and the README.
const root = path.resolve(__dirname, '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; retries?: number; start_period?: string };
  restart?: string;
  init?: boolean;
  stop_grace_period?: string;
}

const seconds = (duration: string | undefined): number => Number(/^(\d+)s$/.exec(duration ?? '')?.[1] ?? 10);

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const documented = new Set([...read('.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));

describe('docker-compose.yml', () => {
  it('runs postgres, redis, a one-shot migrate and the four apps', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['migrate', 'postgres', 'redis', ...APP_NAMES].sort());
  });

  it('runs Redis with noeviction and AOF (appendfsync everysec), as BullMQ needs', () => {
    const command = compose.services.redis.command!.join(' ');
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync everysec/);
  });

  it.each([...APP_NAMES])('starts %s from the one image with its own entry point, after the migration', (app) => {
    const service = compose.services[app];
    expect(service.image).toBe('amc-reports:latest');
    // The workers with the V8 flags the launcher gives them (node takes them before the entry point).
    expect(service.command).toEqual([...(app === 'gateway' ? [] : WORKER_NODE_FLAGS), `apps/${app}/src/main.ts`]);
    expect(fs.existsSync(path.join(root, service.command!.at(-1)!))).toBe(true);
    expect(service.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    for (const name of Object.keys(service.environment ?? {})) expect([name, documented.has(name)]).toEqual([name, true]);
  });

  it.each([...APP_NAMES, 'postgres', 'redis'])('restarts %s by itself and checks its health', (name) => {
    const service = compose.services[name];
    expect(service.restart).toBe('unless-stopped');
    expect(service.healthcheck?.test.length).toBeGreaterThan(1);
  });

  it.each([...APP_NAMES])('checks %s with the health script for that app, which exists', (app) => {
    expect(compose.services[app].healthcheck?.test).toEqual(['CMD', 'node', 'scripts/healthcheck.cjs', app]);
    expect(fs.existsSync(path.join(root, 'scripts', 'healthcheck.cjs'))).toBe(true);
    expect(fs.readFileSync(path.join(root, '.dockerignore'), 'utf8')).not.toMatch(/^scripts/m);
  });

  it.each([...APP_NAMES])('gives %s more time to stop than its own grace period (SHUTDOWN_GRACE_MS), behind tini', (app) => {
    const graceMs = Number(/SHUTDOWN_GRACE_MS: positiveInt\.default\(([\d_]+)\)/.exec(read('libs/config/src/env-schemas.ts'))![1].replace(/_/g, ''));
    expect(seconds(compose.services[app].stop_grace_period) * 1000).toBeGreaterThan(graceMs);
    expect(compose.services[app].init).toBe(true);
    // Stopped before the servers they need: compose stops in reverse dependency order.
    expect(compose.services[app].depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
  });

  it('runs the migration once: never restarted', () => {
    expect(compose.services.migrate.restart).toBe('no');
  });

  it('migrates with dbmate over prisma/migrations once Postgres is healthy', () => {
    const migrate = compose.services.migrate;
    expect(migrate.entrypoint).toEqual(expect.arrayContaining(['node_modules/dbmate/dist/cli.js', 'prisma/migrations']));
    expect(migrate.command).toEqual(['up']);
    expect(migrate.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
  });

  it('declares every named volume it mounts', () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(['files', 'pgdata', 'redisdata']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('is one multi-stage build whose runtime stage runs an app chosen by command', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/FROM .* AS build/);
    expect(dockerfile).toMatch(/COPY --from=build/);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "-r", "@swc-node\/register"\]/);
  });

  it('copies every workspace package.json before npm ci (so the lock file resolves)', () => {
    for (const dir of ['apps', 'libs']) {
      for (const name of fs.readdirSync(path.join(root, dir))) {
        if (fs.existsSync(path.join(root, dir, name, 'package.json'))) expect(dockerfile).toContain(`COPY ${dir}/${name}/package.json ${dir}/${name}/`);
      }
    }
  });
});

it('.env.example documents every variable the config schemas read', () => {
  const schemas = read('libs/config/src/env-schemas.ts');
  const names = new Set([...schemas.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]));
  expect(names.size).toBeGreaterThan(30);
  for (const name of names) expect([name, documented.has(name)]).toEqual([name, true]);
});
