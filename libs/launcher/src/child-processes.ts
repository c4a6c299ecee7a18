import type { ChildProcess } from 'node:child_process';

/**
 * Every server the launcher starts is registered here, so that whatever ends this process
 * (normal exit, Ctrl-C, SIGTERM, an uncaught error, a failing test run) stops them too, and in
 * order: the gateway first (it stops accepting and drains), then the workers (they finish or
 * release their jobs), then Redis and Postgres, which the others need until they are gone.
 */
export type StopTier = 'gateway' | 'worker' | 'infrastructure';
const TIER_ORDER: StopTier[] = ['gateway', 'worker', 'infrastructure'];

interface Registered {
  name: string;
  child: ChildProcess;
  /** The signal that makes this server shut down cleanly (postgres: SIGINT = fast shutdown). */
  signal: NodeJS.Signals;
  tier: StopTier;
  /** After the signal, how long it may take before it is killed. */
  graceMs: number;
}

export interface RegisterOptions {
  tier?: StopTier;
  graceMs?: number;
}

const registered = new Set<Registered>();
const shutdownListeners = new Set<() => void>();
let hooksInstalled = false;
let shuttingDown: Promise<void> | null = null;
let log: (line: string) => void = () => undefined;

/** Where the ordered stop reports what it does (npm start prints it; tests may collect it). */
export function setShutdownLog(writer: (line: string) => void): void {
  log = writer;
}

/** True once a stop of everything began: a supervisor must not restart what is being stopped. */
export function isShuttingDown(): boolean {
  return shuttingDown !== null;
}

export function onShutdown(listener: () => void): () => void {
  shutdownListeners.add(listener);
  return () => shutdownListeners.delete(listener);
}

export function registerChild(name: string, child: ChildProcess, signal: NodeJS.Signals, options: RegisterOptions = {}): () => Promise<void> {
  const entry: Registered = { name, child, signal, tier: options.tier ?? 'infrastructure', graceMs: options.graceMs ?? 15_000 };
  registered.add(entry);
  installExitHooks();
  child.once('exit', () => registered.delete(entry));
  return () => stopChild(entry);
}

async function stopChild(entry: Registered): Promise<void> {
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) {
    registered.delete(entry);
    return;
  }
  const started = Date.now();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(entry.signal);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    log(`${entry.name} (pid ${child.pid}) did not stop within ${entry.graceMs} ms: killed`);
    child.kill('SIGKILL');
  }, entry.graceMs);
  await exited;
  clearTimeout(timer);
  registered.delete(entry);
  if (!killed) log(`${entry.name} stopped (${Date.now() - started} ms)`);
}

/** Stops everything registered, tier by tier (gateway → workers → infrastructure); one stop at a time. */
export function stopAllChildren(): Promise<void> {
  if (shuttingDown) return shuttingDown;
  for (const listener of shutdownListeners) listener();
  shuttingDown = (async () => {
    for (const tier of TIER_ORDER) {
      const entries = [...registered].filter((entry) => entry.tier === tier);
      if (entries.length === 0) continue;
      log(`stopping ${entries.map((entry) => entry.name).join(', ')}…`);
      await Promise.all(entries.map((entry) => stopChild(entry)));
    }
  })().finally(() => {
    shuttingDown = null;
  });
  return shuttingDown;
}

/** Synchronous last resort for the 'exit' event, where no await is possible. */
function killAllNow(): void {
  for (const entry of registered) {
    try {
      entry.child.kill(entry.signal);
    } catch {
      // already gone
    }
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      // A turn later: a listener of the program's own (npm start's) reports and exits first.
      void stopAllChildren().finally(() => setImmediate(() => process.exit(signal === 'SIGINT' ? 130 : 143)));
    });
  }
}
