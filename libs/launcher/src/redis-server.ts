import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { registerChild } from './child-processes';
import { waitForPort } from './free-port';

export interface RedisServerOptions {
  dir: string;
  port: number;
  log: (line: string) => void;
}

export interface RunningRedis {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

const INSTALL_COMMAND = 'apt-get update && apt-get install -y redis-server';

function findRedisServer(): string | null {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

/** Redis comes from Debian's package; as root we install it, otherwise we say exactly how. */
export function ensureRedisServerInstalled(log: (line: string) => void): string {
  const found = findRedisServer();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(`redis-server is not installed. Install it with:\n  sudo sh -c '${INSTALL_COMMAND}'`);
  }
  log(`redis-server missing: running "${INSTALL_COMMAND}"`);
  execFileSync('sh', ['-c', `${INSTALL_COMMAND} >/dev/null`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = findRedisServer();
  if (!installed) throw new Error(`redis-server still missing after "${INSTALL_COMMAND}"`);
  // Debian's package starts a system service on 6379; we run our own instances.
  spawnSync('sh', ['-c', 'service redis-server stop >/dev/null 2>&1 || true']);
  return installed;
}

/** What every Redis the launcher starts runs with: BullMQ needs noeviction (a queue must never lose keys) and AOF so a restart keeps jobs. */
export function redisServerArgs(port: number, dir: string): string[] {
  return [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--daemonize', 'no', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes',
  ];
}

/** Spawns one redis-server (registered for the ordered stop) and resolves once it accepts connections. */
export async function spawnRedisServer(name: string, args: string[], port: number, log: (line: string) => void): Promise<RunningRedis> {
  const binary = ensureRedisServerInstalled(log);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = registerChild(name, child, 'SIGTERM', { tier: 'infrastructure' });
  let output = '';
  const onData = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(line.trim());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server exited (code ${code}) before it was ready:\n${output}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForPort(port, 30_000), exited]);
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid, stop };
}

export async function startRedis(options: RedisServerOptions): Promise<RunningRedis> {
  fs.mkdirSync(options.dir, { recursive: true });
  return spawnRedisServer('redis', redisServerArgs(options.port, options.dir), options.port, options.log);
}
