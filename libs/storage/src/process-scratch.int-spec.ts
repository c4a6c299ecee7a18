import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDirectoryStorage } from './local-directory-storage';
import { ProcessScratch } from './process-scratch';

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-scratch-'));
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Another process that opens a scratch in `root`, starts a job directory with a half-written file
 * and begins a storage write, then reports and waits (to be killed, or to keep living).
 */
function writerProcess(root: string, storageDir: string): Promise<{ child: ChildProcess; jobFile: string }> {
  const script = `
    const fs = require('node:fs'); const path = require('node:path');
    const { ProcessScratch } = require(${JSON.stringify(path.join(__dirname, 'process-scratch.ts'))});
    const { LocalDirectoryStorage } = require(${JSON.stringify(path.join(__dirname, 'local-directory-storage.ts'))});
    (async () => {
      const scratch = await ProcessScratch.open(${JSON.stringify(root)});
      const job = await scratch.jobDirectory('export-1');
      const jobFile = path.join(job, 'export.pdf');
      fs.writeFileSync(jobFile, '%PDF-half');
      const write = await new LocalDirectoryStorage(${JSON.stringify(storageDir)}).beginWrite('export-1.pdf');
      write.stream.write('%PDF-half');
      await new Promise((r) => setTimeout(r, 100));
      process.stdout.write('READY ' + jobFile + '\\n');
      setInterval(() => {}, 1000);
    })();`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (.*)\n/.exec(out);
      if (match) resolve({ child, jobFile: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`writer exited ${code}: ${out}`)));
  });
}

it('sweeps at start-up what a killed process left (its render directory and storage temporaries), never a live process\'s', async () => {
  const root = path.join(dir, 'renders');
  const storageDir = path.join(dir, 'exports');
  const killed = await writerProcess(root, storageDir);
  const living = await writerProcess(root, storageDir);
  const exited = new Promise((resolve) => killed.child.once('exit', resolve));
  killed.child.kill('SIGKILL');
  await exited;
  expect(fs.existsSync(killed.jobFile)).toBe(true);
  expect(fs.readdirSync(path.join(storageDir, '.tmp'))).toHaveLength(2);

  const scratch = await ProcessScratch.open(root);
  const removedTemporaries = await new LocalDirectoryStorage(storageDir).removeTemporariesOfDeadProcesses();
  expect([scratch.swept, removedTemporaries]).toEqual([1, 1]);
  expect(fs.existsSync(killed.jobFile)).toBe(false);
  expect(fs.existsSync(living.jobFile)).toBe(true);
  const left = fs.readdirSync(path.join(storageDir, '.tmp'));
  expect(left).toHaveLength(1);
  expect(left[0]).toContain(`~${living.child.pid}~`);
  expect(fs.readdirSync(root).sort()).toEqual([path.basename(scratch.directory), path.basename(path.dirname(path.dirname(living.jobFile)))].sort());

  await scratch.close();
  expect(fs.existsSync(scratch.directory)).toBe(false);
}, 60_000);
