import type { ChildProcess } from 'node:child_process';

/**
 * Every server the launcher starts is registered here, so that whatever ends this process
 * (normal exit, Ctrl-C, SIGTERM, an uncaught error, a failing test run) stops them too.
 */
interface Registered {
  name: string;
  child: ChildProcess;
  /** The signal that makes this server shut down cleanly (postgres: SIGINT = fast shutdown). */
  signal: NodeJS.Signals;
}

const registered = new Set<Registered>();
let hooksInstalled = false;

export function registerChild(name: string, child: ChildProcess, signal: NodeJS.Signals): () => Promise<void> {
  const entry: Registered = { name, child, signal };
  registered.add(entry);
  installExitHooks();
  child.once('exit', () => registered.delete(entry));
  return () => stopChild(entry);
}

async function stopChild(entry: Registered, timeoutMs = 15_000): Promise<void> {
  const { child } = entry;
  if (child.exitCode !== null || child.signalCode !== null) {
    registered.delete(entry);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(entry.signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
  registered.delete(entry);
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...registered].map((entry) => stopChild(entry)));
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
      void stopAllChildren().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}
