import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { createObjectStorage, createS3Client } from './create-object-storage';
import { ObjectNotFoundError } from './object-storage';
import { S3ObjectStorage } from './s3-object-storage';

/**
 * An in-memory stand-in for an S3-compatible server (path-style, like MinIO), just enough of the
 * REST API for the calls the storage makes. No S3 server runs here; this checks the requests the
 * real SDK sends (URLs, signing, lengths, multipart sequence) and how answers are interpreted.
 */
class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly uploads = new Map<string, { key: string; initiated: Date; parts: Map<number, Buffer> }>();
  readonly requests: Array<{ method: string; url: string; authorization?: string }> = [];
  failPart = false;
  private server!: Server;
  private nextUpload = 1;

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(request.url ?? '/', 'http://fake');
    this.requests.push({ method: request.method ?? '', url: url.pathname + url.search, authorization: request.headers.authorization });
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const query = url.searchParams;
    const xml = (status: number, payload: string) => response.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>${payload}`);
    const notFound = () => (request.method === 'HEAD' ? response.writeHead(404).end() : xml(404, '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>'));

    if (request.method === 'GET' && query.has('uploads')) {
      const uploads = [...this.uploads].map(([id, upload]) => `<Upload><Key>${upload.key}</Key><UploadId>${id}</UploadId><Initiated>${upload.initiated.toISOString()}</Initiated></Upload>`);
      return void xml(200, `<ListMultipartUploadsResult><Bucket>${bucket}</Bucket><IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`);
    }
    if (request.method === 'POST' && query.has('uploads')) {
      const id = `upload-${this.nextUpload++}`;
      this.uploads.set(id, { key, initiated: new Date(), parts: new Map() });
      return void xml(200, `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    const uploadId = query.get('uploadId');
    if (uploadId) {
      const upload = this.uploads.get(uploadId);
      if (!upload) return void xml(404, '<Error><Code>NoSuchUpload</Code><Message>no such upload</Message></Error>');
      if (request.method === 'PUT') {
        if (this.failPart) return void xml(500, '<Error><Code>InternalError</Code><Message>disk on fire</Message></Error>');
        upload.parts.set(Number(query.get('partNumber')), body);
        return void response.writeHead(200, { etag: `"part-${query.get('partNumber')}"` }).end();
      }
      if (request.method === 'POST') {
        const numbers = [...body.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((match) => Number(match[1]));
        this.objects.set(key, Buffer.concat(numbers.map((number) => upload.parts.get(number)!)));
        this.uploads.delete(uploadId);
        return void xml(200, `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>"done"</ETag></CompleteMultipartUploadResult>`);
      }
      if (request.method === 'DELETE') {
        this.uploads.delete(uploadId);
        return void response.writeHead(204).end();
      }
    }
    switch (request.method) {
      case 'PUT':
        this.objects.set(key, body);
        return void response.writeHead(200, { etag: '"object"' }).end();
      case 'GET': {
        const object = this.objects.get(key);
        if (!object) return void notFound();
        return void response.writeHead(200, { 'content-length': String(object.length) }).end(object);
      }
      case 'HEAD': {
        const object = this.objects.get(key);
        if (!object) return void notFound();
        return void response.writeHead(200, { 'content-length': String(object.length) }).end();
      }
      case 'DELETE':
        this.objects.delete(key);
        return void response.writeHead(204).end();
    }
    response.writeHead(405).end();
  }
}

let s3: FakeS3;
let endpoint: string;
let spoolDir: string;

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'test-access-key';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';
  s3 = new FakeS3();
  endpoint = await s3.start();
});
afterAll(() => s3.stop());
beforeEach(() => {
  s3.objects.clear();
  s3.uploads.clear();
  s3.requests.length = 0;
  s3.failPart = false;
  spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-s3-spec-'));
});
afterEach(() => fs.rmSync(spoolDir, { recursive: true, force: true }));

const settings = () => ({ kind: 's3' as const, bucket: 'exports', region: 'us-east-1', endpoint, forcePathStyle: true, spoolDir });
const storageWith = (options: { multipartThresholdBytes?: number; partSizeBytes?: number } = {}) =>
  new S3ObjectStorage(createS3Client(settings()), { bucket: 'exports', spoolDir, ...options });
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

it('uploads nothing before commit, then one signed path-style PUT (MinIO) with the bytes, size and sha256', async () => {
  const storage = createObjectStorage(settings());
  expect(storage.kind).toBe('s3');
  const write = await storage.beginWrite('abc.csv');
  write.stream.write('a,b\r\n');
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(s3.requests).toEqual([]);
  write.stream.end('1,2\r\n');
  await expect(write.commit()).resolves.toEqual({ key: 'abc.csv', sizeBytes: 10, sha256: sha256('a,b\r\n1,2\r\n') });

  expect(s3.requests).toHaveLength(1);
  expect(s3.requests[0]).toMatchObject({ method: 'PUT', url: expect.stringMatching(/^\/exports\/abc\.csv/) });
  expect(s3.requests[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test-access-key\//);
  expect(s3.objects.get('abc.csv')?.toString()).toBe('a,b\r\n1,2\r\n');
  expect(fs.readdirSync(spoolDir)).toEqual([]);
});

it('reads, stats and deletes objects; a missing key is ObjectNotFoundError on read and null on stat', async () => {
  const storage = storageWith();
  await storage.put('raw/e1.csv', Buffer.from('x,y\n'));
  expect(await text(await storage.read('raw/e1.csv'))).toBe('x,y\n');
  expect(await storage.stat('raw/e1.csv')).toEqual({ sizeBytes: 4 });
  await storage.delete('raw/e1.csv');
  await storage.delete('raw/e1.csv');
  expect(await storage.stat('raw/e1.csv')).toBeNull();
  await expect(storage.read('raw/e1.csv')).rejects.toBeInstanceOf(ObjectNotFoundError);
});

it('sends a large object as a multipart upload whose parts assemble to the same bytes', async () => {
  const storage = storageWith({ multipartThresholdBytes: 10, partSizeBytes: 8 });
  const body = 'abcdefghijklmnopqrstuvwxyz0123';
  const write = await storage.beginWrite('big.xlsx');
  write.stream.end(body);
  await expect(write.commit()).resolves.toMatchObject({ sizeBytes: 30, sha256: sha256(body) });
  expect(s3.objects.get('big.xlsx')?.toString()).toBe(body);
  expect(s3.requests.map((request) => request.method)).toEqual(['POST', 'PUT', 'PUT', 'PUT', 'PUT', 'POST']);
  expect(s3.uploads.size).toBe(0);
});

it('aborts the multipart upload when a part fails, leaving no object and no spool file', async () => {
  const storage = storageWith({ multipartThresholdBytes: 10, partSizeBytes: 8 });
  s3.failPart = true;
  const write = await storage.beginWrite('broken.pdf');
  write.stream.end('x'.repeat(40));
  await expect(write.commit()).rejects.toThrow();
  expect(s3.objects.has('broken.pdf')).toBe(false);
  expect(s3.uploads.size).toBe(0);
  expect(s3.requests.at(-1)).toMatchObject({ method: 'DELETE', url: expect.stringContaining('uploadId=') });
  expect(fs.readdirSync(spoolDir)).toEqual([]);
});

it('sends nothing for an aborted write and removes its spool file', async () => {
  const storage = storageWith();
  const write = await storage.beginWrite('gone.png');
  write.stream.write('partial');
  await write.abort();
  expect(s3.requests).toEqual([]);
  expect(fs.readdirSync(spoolDir)).toEqual([]);
});

it('aborts multipart uploads and spool files a dead process left behind, keeping recent ones', async () => {
  const storage = storageWith();
  s3.uploads.set('old', { key: 'dead.xlsx', initiated: new Date(Date.now() - 2 * 3_600_000), parts: new Map() });
  s3.uploads.set('fresh', { key: 'live.xlsx', initiated: new Date(), parts: new Map() });
  const stale = path.join(spoolDir, 'amc-s3-spool-dead');
  fs.writeFileSync(stale, 'half');
  const old = new Date(Date.now() - 2 * 3_600_000);
  fs.utimesSync(stale, old, old);
  fs.writeFileSync(path.join(spoolDir, 'amc-s3-spool-live'), 'writing');

  expect(await storage.removeStaleTemporaries(3_600_000)).toBe(2);
  expect([...s3.uploads.keys()]).toEqual(['fresh']);
  expect(fs.readdirSync(spoolDir)).toEqual(['amc-s3-spool-live']);
});

it('refuses keys that carry user text before any request', async () => {
  const storage = storageWith();
  await expect(storage.put('My Report.pdf', Buffer.from('x'))).rejects.toThrow(/unsafe storage key/);
  await expect(storage.read('../secret')).rejects.toThrow(/unsafe storage key/);
  expect(s3.requests).toEqual([]);
});
