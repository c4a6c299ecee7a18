import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { meteredFileWrite } from './metered-file-write';
import {
  assertSafeKey, ObjectNotFoundError, putThroughPendingWrite, removeFilesOfDeadProcesses, type ObjectStorage, type PendingWrite, type StoredObject,
} from './object-storage';
import { ownerTag } from './process-scratch';

const TEMP_DIR = '.tmp';

/**
 * Files under one directory; a write goes to .tmp/ and is renamed into place (atomic on one
 * filesystem). A temporary's name carries its writer (process-scratch's owner tag), so a start-up
 * sweep can remove what a killed writer left without touching a live one's.
 */
export class LocalDirectoryStorage implements ObjectStorage {
  readonly kind = 'local' as const;

  constructor(private readonly root: string) {
    fs.mkdirSync(path.join(root, TEMP_DIR), { recursive: true });
  }

  private pathOf(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  async beginWrite(key: string): Promise<PendingWrite> {
    const finalPath = this.pathOf(key);
    const tempPath = path.join(this.root, TEMP_DIR, `${key.replace(/\//g, '__')}.${ownerTag()}.${randomBytes(6).toString('hex')}`);
    const write = meteredFileWrite(tempPath);
    return {
      stream: write.stream,
      async commit(): Promise<StoredObject> {
        const { sizeBytes, sha256 } = await write.finish();
        const handle = await fs.promises.open(tempPath, 'r');
        await handle.sync();
        await handle.close();
        await fs.promises.mkdir(path.dirname(finalPath), { recursive: true });
        await fs.promises.rename(tempPath, finalPath);
        return { key, sizeBytes, sha256 };
      },
      abort: () => write.discard(),
    };
  }

  async put(key: string, body: Readable | Buffer): Promise<StoredObject> {
    return putThroughPendingWrite(this, key, body);
  }

  async read(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      await fs.promises.access(file);
    } catch {
      throw new ObjectNotFoundError(key);
    }
    return fs.createReadStream(file);
  }

  async stat(key: string): Promise<{ sizeBytes: number } | null> {
    try {
      return { sizeBytes: (await fs.promises.stat(this.pathOf(key))).size };
    } catch {
      return null;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  async removeTemporariesOfDeadProcesses(): Promise<number> {
    return removeFilesOfDeadProcesses(path.join(this.root, TEMP_DIR));
  }

  async removeStaleTemporaries(olderThanMs: number): Promise<number> {
    const dir = path.join(this.root, TEMP_DIR);
    let removed = 0;
    for (const name of await fs.promises.readdir(dir)) {
      const file = path.join(dir, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > olderThanMs) {
        await fs.promises.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}
