import { APP_NAMES, READY_PATTERNS, startApp, waitForAppReady, type AppName, type RunningApp, type StartAppOptions } from './apps';
import { onShutdown, stopAllChildren } from './child-processes';

export interface SupervisorOptions extends StartAppOptions {
  /** One line per supervision event (start, crash, restart, giving up). */
  log: (line: string) => void;
  /** First restart delay; doubled per crash in the window, up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Crashes of one app within `crashWindowMs` after which it is not restarted again. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** How long a (re)started app may take to say it is ready. */
  readyTimeoutMs?: number;
}

export type SupervisorEvent =
  | { kind: 'crashed'; app: AppName; code: number | null; signal: NodeJS.Signals | null; restartInMs: number }
  | { kind: 'restarted'; app: AppName; pid: number }
  | { kind: 'gave-up'; app: AppName; crashes: number };

interface Supervised {
  name: AppName;
  current: RunningApp;
  crashes: number[];
  gaveUp: boolean;
  restartTimer?: NodeJS.Timeout;
}

/**
 * Keeps the apps running under `npm start` (and the fault tests, which use it the same way): an
 * app that exits on its own is restarted after a backoff (1 s, 2 s, 4 s… up to 30 s), each crash
 * and restart logged; after `maxCrashes` within `crashWindowMs` it gives up on that app, loudly,
 * with the app's last output, and the rest keeps running (/health shows the app missing). A stop
 * goes through the ordered shutdown of child-processes (gateway, workers, then infrastructure).
 */
export class Supervisor {
  private readonly apps = new Map<AppName, Supervised>();
  private readonly listeners = new Set<(event: SupervisorEvent) => void>();
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    onShutdown(() => this.markStopping());
  }

  async start(names: readonly AppName[] = APP_NAMES): Promise<void> {
    const started = names.map((name) => this.launch(name));
    try {
      await Promise.all(started.map((entry) => waitForAppReady(entry.current, READY_PATTERNS[entry.name], this.options.readyTimeoutMs ?? 60_000)));
    } catch (error) {
      this.markStopping();
      await Promise.all(started.map((entry) => entry.current.stop()));
      throw error;
    }
    for (const entry of started) this.options.log(`${entry.name} ready (pid ${entry.current.child.pid})`);
  }

  /** The app's current process (it changes when the app is restarted). */
  app(name: AppName): RunningApp {
    const entry = this.apps.get(name);
    if (!entry) throw new Error(`${name} is not supervised`);
    return entry.current;
  }

  running(): RunningApp[] {
    return [...this.apps.values()].map((entry) => entry.current);
  }

  on(listener: (event: SupervisorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops everything the launcher started, in order (see child-processes). */
  async stop(): Promise<void> {
    this.markStopping();
    await stopAllChildren();
  }

  private markStopping(): void {
    this.stopping = true;
    for (const entry of this.apps.values()) clearTimeout(entry.restartTimer);
  }

  private launch(name: AppName, previous?: Supervised): Supervised {
    const current = startApp(name, this.options);
    const entry: Supervised = previous ?? { name, current, crashes: [], gaveUp: false };
    entry.current = current;
    this.apps.set(name, entry);
    current.child.once('exit', (code, signal) => this.exited(entry, current, code, signal));
    return entry;
  }

  private exited(entry: Supervised, process_: RunningApp, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping || entry.current !== process_) return;
    const now = Date.now();
    const window = this.options.crashWindowMs ?? 60_000;
    entry.crashes = [...entry.crashes.filter((at) => now - at < window), now];
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (entry.crashes.length > (this.options.maxCrashes ?? 5)) {
      entry.gaveUp = true;
      const tail = process_.output().trim().split('\n').slice(-10).join('\n  ');
      this.options.log(`ERROR ${entry.name} crashed ${entry.crashes.length} times within ${window / 1000} s (last: ${how}): giving up on it. `
        + `The other apps keep running and /health shows it missing; fix the cause and restart. Its last output:\n  ${tail}`);
      this.emit({ kind: 'gave-up', app: entry.name, crashes: entry.crashes.length });
      return;
    }
    const delay = Math.min((this.options.initialBackoffMs ?? 1_000) * 2 ** (entry.crashes.length - 1), this.options.maxBackoffMs ?? 30_000);
    this.options.log(`WARN ${entry.name} (pid ${process_.child.pid}) exited unexpectedly (${how}): restarting in ${delay} ms `
      + `(crash ${entry.crashes.length} of ${(this.options.maxCrashes ?? 5) + 1} allowed within ${window / 1000} s)`);
    this.emit({ kind: 'crashed', app: entry.name, code, signal, restartInMs: delay });
    entry.restartTimer = setTimeout(() => void this.restart(entry), delay);
  }

  private async restart(entry: Supervised): Promise<void> {
    if (this.stopping) return;
    const next = this.launch(entry.name, entry);
    try {
      await waitForAppReady(next.current, READY_PATTERNS[entry.name], this.options.readyTimeoutMs ?? 60_000);
    } catch {
      // It exited before it was ready (`exited` counts the crash and schedules the next try), or it
      // hangs: then it is killed, which comes to the same.
      if (next.current.child.exitCode === null && next.current.child.signalCode === null) next.current.child.kill('SIGKILL');
      return;
    }
    this.options.log(`${entry.name} restarted (pid ${next.current.child.pid})`);
    this.emit({ kind: 'restarted', app: entry.name, pid: next.current.child.pid! });
  }

  private emit(event: SupervisorEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
