import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { registerChild } from './child-processes';
import { REPO_ROOT } from './migrate';

export const APP_NAMES = ['gateway', 'report-service', 'insight-worker', 'export-worker'] as const;
export type AppName = (typeof APP_NAMES)[number];

export interface RunningApp {
  name: AppName;
  child: ChildProcess;
  /** Everything the app printed so far (bounded), for error messages and tests. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  env: NodeJS.ProcessEnv;
  /** Called with each line the app prints (JSON log lines); default: discard. */
  onLine?: (app: AppName, line: string) => void;
  /** Extra node flags (e.g. --cpu-prof for a benchmark), which NODE_OPTIONS may not carry; after WORKER_NODE_FLAGS, so they win. */
  nodeArgs?: string[];
}

/**
 * V8 flags of the workers (docker-compose.yml gives them the same). A report.update or insight job
 * allocates a few MB of short-lived objects (the event, the rows, the profile and its JSON), and
 * with V8's default 16 MB semi-space the young generation was scavenged every few jobs, on helper
 * threads that only contend with the other processes on a small machine. In the storm bench
 * (2,000 events, alternating runs in one hour): report-service 17.5 → 13.8 ms of CPU per
 * execution, 39.8 → 44.1 executions/s. The young generation grows to its maximum only under load.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--single-threaded-gc'];

/** The app's own SHUTDOWN_GRACE_MS default (libs/config): it exits within it by itself. */
const APP_GRACE_DEFAULT_MS = 20_000;
/** What the launcher adds before it kills an app that did not exit (the app logs, then exits). */
const KILL_MARGIN_MS = 5_000;

/** How long the launcher waits for an app after SIGTERM: the app's own grace period, and a margin. */
export function appStopGraceMs(env: NodeJS.ProcessEnv): number {
  return Number(env.SHUTDOWN_GRACE_MS ?? APP_GRACE_DEFAULT_MS) + KILL_MARGIN_MS;
}

/** Runs an app from its TypeScript sources (swc-node): the same entry point dev, tests and CI use. */
export function startApp(name: AppName, options: StartAppOptions): RunningApp {
  const entry = path.join(REPO_ROOT, 'apps', name, 'src', 'main.ts');
  const flags = [...(name === 'gateway' ? [] : WORKER_NODE_FLAGS), ...(options.nodeArgs ?? [])];
  const child = spawn(process.execPath, [...flags, '-r', '@swc-node/register', entry], {
    cwd: REPO_ROOT,
    env: { ...options.env, SWC_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = registerChild(name, child, 'SIGTERM', { tier: name === 'gateway' ? 'gateway' : 'worker', graceMs: appStopGraceMs(options.env) });
  let buffer = '';
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    buffer = (buffer + text).slice(-20_000);
    if (options.onLine) for (const line of text.split('\n')) if (line.trim()) options.onLine(name, line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return { name, child, output: () => buffer, stop };
}

/** Resolves when the app logs that it is ready, rejects if it exits first or the timeout passes. */
export function waitForAppReady(app: RunningApp, readyPattern: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${app.name} did not become ready within ${timeoutMs} ms:\n${app.output()}`));
    }, timeoutMs);
    const check = (): void => {
      if (readyPattern.test(app.output())) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`${app.name} exited (code ${code}) before it was ready:\n${app.output()}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      app.child.stdout?.off('data', check);
      app.child.stderr?.off('data', check);
      app.child.off('exit', onExit);
    };
    app.child.stdout?.on('data', check);
    app.child.stderr?.on('data', check);
    app.child.once('exit', onExit);
    check();
  });
}

export const READY_PATTERNS: Record<AppName, RegExp> = {
  gateway: /gateway listening/,
  'report-service': /report-service ready/,
  'insight-worker': /insight-worker ready/,
  'export-worker': /export-worker ready/,
};

/** Starts all four apps against the given environment and waits until each says it is ready. */
export async function startAllApps(options: StartAppOptions): Promise<RunningApp[]> {
  const apps = APP_NAMES.map((name) => startApp(name, options));
  try {
    await Promise.all(apps.map((app) => waitForAppReady(app, READY_PATTERNS[app.name])));
    return apps;
  } catch (error) {
    await Promise.all(apps.map((app) => app.stop()));
    throw error;
  }
}
