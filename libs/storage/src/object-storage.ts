import fs from 'node:fs';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { isDeadOwner, ownerTagIn } from './process-scratch';
import { pipeline } from 'node:stream/promises';

export interface StoredObject {
  key: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * A write that is invisible until committed: readers never see half a file, and a process that
 * dies mid-write leaves only a temporary object that cleanup removes (DESIGN §8).
 */
export interface PendingWrite {
  readonly stream: Writable;
  /** Resolves once all bytes are durable under the final key. */
  commit(): Promise<StoredObject>;
  abort(): Promise<void>;
}

export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  beginWrite(key: string): Promise<PendingWrite>;
  /** Writes a whole stream (or buffer) under the key, atomically. */
  put(key: string, body: Readable | Buffer): Promise<StoredObject>;
  read(key: string): Promise<Readable>;
  stat(key: string): Promise<{ sizeBytes: number } | null>;
  delete(key: string): Promise<void>;
  /** Removes temporary objects older than the age (left by a process that died mid-write). */
  removeStaleTemporaries(olderThanMs: number): Promise<number>;
  /**
   * Removes at once the temporaries of this host's processes that are gone (killed mid-write):
   * what a start-up sweep calls, so a crash leaves nothing for long (see process-scratch).
   */
  removeTemporariesOfDeadProcesses(): Promise<number>;
}

/** Removes the files in `directory` whose name carries the tag of a dead process of this host. */
export async function removeFilesOfDeadProcesses(directory: string, prefix = ''): Promise<number> {
  let removed = 0;
  for (const name of await fs.promises.readdir(directory).catch(() => [] as string[])) {
    const tag = name.startsWith(prefix) ? ownerTagIn(name) : null;
    if (!tag || !isDeadOwner(tag)) continue;
    await fs.promises.rm(path.join(directory, name), { force: true, recursive: true });
    removed++;
  }
  return removed;
}

/** put() in terms of beginWrite(): stream the body through a pending write, commit, or abort on error. */
export async function putThroughPendingWrite(storage: Pick<ObjectStorage, 'beginWrite'>, key: string, body: Readable | Buffer): Promise<StoredObject> {
  const write = await storage.beginWrite(key);
  try {
    await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, write.stream);
    return await write.commit();
  } catch (error) {
    await write.abort();
    throw error;
  }
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no stored object "${key}"`);
    this.name = 'ObjectNotFoundError';
  }
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,200}){0,4}$/;

/** Keys are ours (`<export id>.<ext>`, `raw/<execution id>.csv`), never user text: refuse anything else. */
export function assertSafeKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
    throw new Error(`unsafe storage key "${key}"`);
  }
}
