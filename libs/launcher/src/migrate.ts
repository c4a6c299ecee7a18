import { spawn } from 'node:child_process';
import path from 'node:path';

/** The repository root, found from this file (libs/launcher/src). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma', 'migrations');

export type DbmateCommand = 'up' | 'migrate' | 'rollback' | 'down' | 'status' | 'create' | 'drop' | 'wait';

function dbmateCli(): string {
  return path.join(path.dirname(require.resolve('dbmate/package.json')), 'dist', 'cli.js');
}

/** dbmate wants sslmode spelled out for a local server without TLS. */
export function withSslModeDisabled(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

/** Runs dbmate (its binary ships in npm) against the project's SQL migrations; resolves with its output. */
export function runDbmate(databaseUrl: string, command: DbmateCommand, extraArgs: string[] = []): Promise<string> {
  const args = [dbmateCli(), '--url', withSslModeDisabled(databaseUrl), '--migrations-dir', MIGRATIONS_DIR,
    '--no-dump-schema', command, ...extraArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(output.trim());
      else reject(new Error(`dbmate ${command} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}
