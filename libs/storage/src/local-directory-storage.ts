import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, ObjectNotFoundError, type ObjectStorage, type PendingWrite, type StoredObject } from './object-storage';

const TEMP_DIR = '.tmp';

/** Files under one directory; a write goes to .tmp/ and is renamed into place (atomic on one filesystem). */
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
    const tempPath = path.join(this.root, TEMP_DIR, `${key.replace(/\//g, '__')}.${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const file = fs.createWriteStream(tempPath, { flags: 'wx' });
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const stream = new PassThrough();
    const done = pipeline(stream, meter, file);
    done.catch(() => undefined);
    return {
      stream,
      async commit(): Promise<StoredObject> {
        if (!stream.writableEnded) stream.end();
        await done;
        const handle = await fs.promises.open(tempPath, 'r');
        await handle.sync();
        await handle.close();
        await fs.promises.mkdir(path.dirname(finalPath), { recursive: true });
        await fs.promises.rename(tempPath, finalPath);
        return { key, sizeBytes: size, sha256: hash.digest('hex') };
      },
      async abort(): Promise<void> {
        stream.destroy();
        await done.catch(() => undefined);
        await fs.promises.rm(tempPath, { force: true });
      },
    };
  }

  async put(key: string, body: Readable | Buffer): Promise<StoredObject> {
    const write = await this.beginWrite(key);
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, write.stream);
      return await write.commit();
    } catch (error) {
      await write.abort();
      throw error;
    }
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
