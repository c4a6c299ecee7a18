import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ResultUnavailableError } from './result-errors';

export interface ResultSourcePolicy {
  /** Exact host names (lower case) https result URLs may point at. */
  allowedHosts: readonly string[];
  /** Directory file:// URLs must resolve inside. */
  resultsDir: string;
  timeoutMs: number;
  maxBytes: number;
  /** Tests only: http:// for allow-listed hosts (a local fake download host). */
  allowHttp: boolean;
}

/** Counts bytes and fails the stream past the cap, so a huge result cannot fill the disk. */
function byteCap(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new ResultUnavailableError('RESULT_TOO_LARGE', `the result is larger than ${maxBytes} bytes`));
      else callback(null, chunk);
    },
  });
}

async function openFile(url: URL, policy: ResultSourcePolicy): Promise<Readable> {
  const root = await fs.promises.realpath(path.resolve(policy.resultsDir)).catch(() => path.resolve(policy.resultsDir));
  const requested = path.resolve(fileURLToPath(url));
  // realpath defeats ../ and symlinks that point outside the directory.
  const real = await fs.promises.realpath(requested).catch(() => null);
  if (!real || !(real === root || real.startsWith(`${root}${path.sep}`))) {
    throw new ResultUnavailableError('RESULT_REFUSED', `file results must be inside RESULTS_DIR; refused ${url.pathname}`);
  }
  const stat = await fs.promises.stat(real);
  if (!stat.isFile()) throw new ResultUnavailableError('RESULT_UNAVAILABLE', `${url.pathname} is not a file`);
  if (stat.size > policy.maxBytes) throw new ResultUnavailableError('RESULT_TOO_LARGE', `the result is larger than ${policy.maxBytes} bytes`);
  return fs.createReadStream(real);
}

async function openDownload(url: URL, policy: ResultSourcePolicy): Promise<Readable> {
  const allowedScheme = url.protocol === 'https:' || (policy.allowHttp && url.protocol === 'http:');
  if (!allowedScheme) throw new ResultUnavailableError('RESULT_REFUSED', `result URLs must be https; refused ${url.protocol}//${url.host}`);
  if (!policy.allowedHosts.includes(url.hostname.toLowerCase())) {
    throw new ResultUnavailableError('RESULT_REFUSED', `host ${url.hostname} is not in RESULT_URL_ALLOWLIST; no request was made`);
  }
  // Redirects could leave the allow-list: they are refused, not followed.
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(policy.timeoutMs) });
  if (response.status >= 300 && response.status < 400) {
    throw new ResultUnavailableError('RESULT_REFUSED', `the result URL redirected (${response.status}); redirects are not followed`);
  }
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
    throw new ResultUnavailableError('RESULT_UNAVAILABLE', `the result download answered ${response.status} (an expired pre-signed URL answers 403)`);
  }
  if (!response.ok || !response.body) throw new Error(`result download failed with ${response.status}; will retry`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > policy.maxBytes) throw new ResultUnavailableError('RESULT_TOO_LARGE', `the result is ${length} bytes, over the ${policy.maxBytes} byte cap`);
  const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
  const capped = byteCap(policy.maxBytes);
  source.on('error', (error) => capped.destroy(error));
  return source.pipe(capped);
}

/** Opens a CSV result named by URL as a byte stream, enforcing the source policy first. */
export async function openResultStream(rawUrl: string, policy: ResultSourcePolicy): Promise<Readable> {
  const url = new URL(rawUrl);
  if (url.protocol === 'file:') return openFile(url, policy);
  return openDownload(url, policy);
}
