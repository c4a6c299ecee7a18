import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Temporary files that a crash cannot leave behind for long. Each process works in a directory of
 * its own, named after its owner (`<host>~<pid>~<boot>`), one sub-directory per job; a finished
 * job removes its directory, a clean stop the process's. A process killed with -9 removes
 * nothing, so every process sweeps at start-up the directories of owners that are gone: same host
 * and a pid that no longer runs (or runs as someone else, this very process after a container
 * restart). Other hosts' leftovers go by age (exports.cleanup).
 */

const BOOT = randomBytes(4).toString('hex');
const SEPARATOR = '~';
/** The host name as it can stand in a file name between dots (`a.b.local` → `a-b-local`). */
const HOST = os.hostname().replace(/[^A-Za-z0-9-]/g, '-');

/** This process as an owner of temporaries. */
export function ownerTag(): string {
  return [HOST, process.pid, BOOT].join(SEPARATOR);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True for a tag of a process on this host that is gone; false for live, foreign-host or unreadable tags. */
export function isDeadOwner(tag: string): boolean {
  const [host, pidText, boot] = tag.split(SEPARATOR);
  const pid = Number(pidText);
  if (host !== HOST || !Number.isInteger(pid) || !boot) return false;
  if (pid === process.pid) return boot !== BOOT;
  return !alive(pid);
}

/** True for a tag of a process on this host that still runs (this one included): never swept by age. */
export function isLiveLocalOwner(tag: string): boolean {
  const [host, pidText, boot] = tag.split(SEPARATOR);
  return host === HOST && Number.isInteger(Number(pidText)) && Boolean(boot) && !isDeadOwner(tag);
}

/** The owner tag inside a temporary's name (`…<tag>…`), if it has one. */
export function ownerTagIn(name: string): string | null {
  const match = /([A-Za-z0-9-]+~\d+~[0-9a-f]{8})/.exec(name);
  return match ? match[1] : null;
}

export class ProcessScratch {
  private constructor(readonly root: string, readonly directory: string, readonly swept: number) {}

  /** Sweeps the directories of dead owners under `root`, then makes this process's own. */
  static async open(root: string): Promise<ProcessScratch> {
    await fs.promises.mkdir(root, { recursive: true });
    let swept = 0;
    for (const name of await fs.promises.readdir(root)) {
      if (!isDeadOwner(name)) continue;
      await fs.promises.rm(path.join(root, name), { recursive: true, force: true });
      swept++;
    }
    const directory = path.join(root, ownerTag());
    await fs.promises.mkdir(directory, { recursive: true });
    return new ProcessScratch(root, directory, swept);
  }

  /** A fresh directory for one job; the caller removes it with `release` when the job ends. */
  async jobDirectory(label: string): Promise<string> {
    // Made again if something removed it meanwhile (an operator's tmp cleaner).
    await fs.promises.mkdir(this.directory, { recursive: true });
    return fs.promises.mkdtemp(path.join(this.directory, `${label.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  }

  async release(jobDirectory: string): Promise<void> {
    await fs.promises.rm(jobDirectory, { recursive: true, force: true });
  }

  /** At a clean stop: whatever jobs were abandoned (released to the queue) leave nothing. */
  async close(): Promise<void> {
    await fs.promises.rm(this.directory, { recursive: true, force: true });
  }
}

/** The default scratch root for an app: `<base or the OS temp directory>/amc-<app>`. */
export function scratchRoot(app: string, base?: string): string {
  return path.join(base ?? os.tmpdir(), `amc-${app}`);
}
