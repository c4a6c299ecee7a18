import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PREFIX = 'amc-export-';

/** A file of its own per render: `amc-export-<export id>-<random>.<ext>` in the render directory. */
export function renderTemporaryPath(directory: string, exportId: string, extension: string): string {
  return path.join(directory, `${PREFIX}${exportId}-${randomBytes(6).toString('hex')}.${extension}`);
}

/**
 * Render files a killed worker left behind. Age is measured from the last write, so a render in
 * progress (whose file keeps growing) is never taken, however long it runs.
 */
export async function removeStaleRenderTemporaries(directory: string, olderThanMs: number): Promise<number> {
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const name of await fs.promises.readdir(directory).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX)) continue;
    const file = path.join(directory, name);
    const stat = await fs.promises.stat(file).catch(() => null);
    if (stat?.isFile() && stat.mtimeMs < cutoff) {
      await fs.promises.rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}
