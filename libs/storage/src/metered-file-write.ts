import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface MeteredFileWrite {
  /** Write the object's bytes here. */
  readonly stream: PassThrough;
  /** Ends the input and resolves once every byte is in the file, with its size and sha256. */
  finish(): Promise<{ sizeBytes: number; sha256: string }>;
  /** Stops the write and removes the file; safe at any point, even before the file was opened. */
  discard(): Promise<void>;
}

/** Streams bytes into a new file (it must not exist) while counting and hashing them. */
export function meteredFileWrite(filePath: string): MeteredFileWrite {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const stream = new PassThrough();
  const file = fs.createWriteStream(filePath, { flags: 'wx' });
  const done = pipeline(stream, meter, file);
  done.catch(() => undefined);
  return {
    stream,
    async finish() {
      if (!stream.writableEnded) stream.end();
      await done;
      return { sizeBytes: size, sha256: hash.digest('hex') };
    },
    async discard() {
      stream.destroy();
      await done.catch(() => undefined);
      // The file is opened asynchronously: removing it before that open finishes would let the
      // open create it again afterwards, leaving a stray temporary.
      if (!file.closed) await once(file, 'close').catch(() => undefined);
      await fs.promises.rm(filePath, { force: true });
    },
  };
}
