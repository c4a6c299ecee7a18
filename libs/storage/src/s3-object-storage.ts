import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand,
  HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, S3Client, UploadPartCommand, type CompletedPart,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { meteredFileWrite } from './metered-file-write';
import {
  assertSafeKey, ObjectNotFoundError, putThroughPendingWrite, removeFilesOfDeadProcesses, type ObjectStorage, type PendingWrite, type StoredObject,
} from './object-storage';
import { ownerTag } from './process-scratch';

export interface S3StorageOptions {
  bucket: string;
  /** Spool directory for bytes on their way up (default: the OS temp directory). */
  spoolDir?: string;
  /** Objects above this size go up as a multipart upload (S3 takes at most 5 GB in one PUT). Default: one part. */
  multipartThresholdBytes?: number;
  /** Default 16 MiB (S3's minimum is 5 MiB); grown for very large objects, which may have 10,000 parts at most. */
  partSizeBytes?: number;
}

const MIB = 1024 * 1024;
const SPOOL_PREFIX = 'amc-s3-spool-';
/** S3 allows at most 10,000 parts per upload. */
const MAX_PARTS = 10_000;

/**
 * S3-compatible storage (AWS S3, MinIO, R2 …). A write is spooled to a local file while it is
 * hashed, then uploaded at commit: S3 makes a PUT (or a completed multipart upload) visible only
 * when whole, so readers never see half an object. A process that dies mid-upload leaves an
 * incomplete multipart upload, which `removeStaleTemporaries` aborts.
 */
export class S3ObjectStorage implements ObjectStorage {
  readonly kind = 's3' as const;
  private readonly bucket: string;
  private readonly spoolDir: string;
  private readonly multipartThreshold: number;
  private readonly partSize: number;

  constructor(private readonly client: Pick<S3Client, 'send'>, options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.spoolDir = options.spoolDir ?? os.tmpdir();
    this.partSize = options.partSizeBytes ?? 16 * MIB;
    this.multipartThreshold = options.multipartThresholdBytes ?? this.partSize;
  }

  async beginWrite(key: string): Promise<PendingWrite> {
    assertSafeKey(key);
    await fs.promises.mkdir(this.spoolDir, { recursive: true });
    const spoolPath = path.join(this.spoolDir, `${SPOOL_PREFIX}${ownerTag()}.${randomBytes(8).toString('hex')}`);
    const write = meteredFileWrite(spoolPath);
    return {
      stream: write.stream,
      commit: async (): Promise<StoredObject> => {
        try {
          const { sizeBytes, sha256 } = await write.finish();
          await this.upload(key, spoolPath, sizeBytes);
          return { key, sizeBytes, sha256 };
        } finally {
          await fs.promises.rm(spoolPath, { force: true });
        }
      },
      abort: () => write.discard(),
    };
  }

  async put(key: string, body: Readable | Buffer): Promise<StoredObject> {
    if (Buffer.isBuffer(body) && body.length <= this.multipartThreshold) {
      assertSafeKey(key);
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: body.length }));
      return { key, sizeBytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    }
    return putThroughPendingWrite(this, key, body);
  }

  async read(key: string): Promise<Readable> {
    assertSafeKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(response.Body instanceof Readable)) throw new Error(`S3 answered GetObject for "${key}" without a readable body`);
      return response.Body;
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async stat(key: string): Promise<{ sizeBytes: number } | null> {
    assertSafeKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { sizeBytes: Number(head.ContentLength ?? 0) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    // S3 answers 204 for a missing key too: deleting is idempotent, as the interface promises.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** The local spool files of dead writers; an upload they began is aborted by age (removeStaleTemporaries). */
  async removeTemporariesOfDeadProcesses(): Promise<number> {
    return removeFilesOfDeadProcesses(this.spoolDir, SPOOL_PREFIX);
  }

  async removeStaleTemporaries(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated.getTime() > cutoff) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId }));
        removed++;
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
    for (const name of await fs.promises.readdir(this.spoolDir).catch(() => [] as string[])) {
      if (!name.startsWith(SPOOL_PREFIX)) continue;
      const file = path.join(this.spoolDir, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat && stat.mtimeMs < cutoff) {
        await fs.promises.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /**
   * Bodies go up as buffers of at most one part, not as file streams: the SDK retries a request
   * (throttling, a reset connection) only when it can send the body again.
   */
  private async upload(key: string, file: string, size: number): Promise<void> {
    if (size <= this.multipartThreshold) {
      const body = await fs.promises.readFile(file);
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: size }));
      return;
    }
    const partSize = Math.max(this.partSize, Math.ceil(size / MAX_PARTS));
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }));
    if (!UploadId) throw new Error(`S3 started no multipart upload for "${key}"`);
    const handle = await fs.promises.open(file, 'r');
    try {
      const parts: CompletedPart[] = [];
      for (let start = 0, number = 1; start < size; start += partSize, number++) {
        const body = Buffer.alloc(Math.min(partSize, size - start));
        await handle.read(body, 0, body.length, start);
        const { ETag } = await this.client.send(new UploadPartCommand({
          Bucket: this.bucket, Key: key, UploadId, PartNumber: number, ContentLength: body.length, Body: body,
        }));
        parts.push({ ETag, PartNumber: number });
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (error) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => undefined);
      throw error;
    } finally {
      await handle.close();
    }
  }
}

function isNotFound(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return candidate?.name === 'NoSuchKey' || candidate?.name === 'NotFound' || candidate?.$metadata?.httpStatusCode === 404;
}
