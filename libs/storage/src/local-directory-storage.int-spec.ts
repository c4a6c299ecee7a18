import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { LocalDirectoryStorage } from './local-directory-storage';
import { ObjectNotFoundError } from './object-storage';

let root: string;
let storage: LocalDirectoryStorage;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-storage-'));
  storage = new LocalDirectoryStorage(root);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

it('makes a written object visible only after commit, with its size and sha256', async () => {
  const write = await storage.beginWrite('exports/abc.csv');
  write.stream.write('a,b\n');
  expect(await storage.stat('exports/abc.csv')).toBeNull();
  write.stream.end('1,2\n');
  const stored = await write.commit();
  expect(stored).toEqual({ key: 'exports/abc.csv', sizeBytes: 8, sha256: createHash('sha256').update('a,b\n1,2\n').digest('hex') });
  expect(await text(await storage.read('exports/abc.csv'))).toBe('a,b\n1,2\n');
});

it('leaves nothing behind when a write is aborted', async () => {
  const write = await storage.beginWrite('x.pdf');
  write.stream.write('partial');
  await write.abort();
  expect(await storage.stat('x.pdf')).toBeNull();
  expect(fs.readdirSync(path.join(root, '.tmp'))).toEqual([]);
});

it('refuses keys that could escape the directory or carry user text', async () => {
  for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'name with spaces.pdf', '', 'a//b']) {
    await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(/unsafe storage key/);
  }
});

it('reports a missing object as ObjectNotFoundError and removes stale temporaries', async () => {
  await expect(storage.read('nope.csv')).rejects.toBeInstanceOf(ObjectNotFoundError);
  fs.writeFileSync(path.join(root, '.tmp', 'dead.pdf.123'), 'half');
  const old = new Date(Date.now() - 3_600_000);
  fs.utimesSync(path.join(root, '.tmp', 'dead.pdf.123'), old, old);
  expect(await storage.removeStaleTemporaries(60_000)).toBe(1);
});
