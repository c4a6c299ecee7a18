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
  // The event contract refuses these too; an event accepted before that rule must still fail readably.
  if (url.hostname !== '' && url.hostname.toLowerCase() !== 'localhost') {
    throw new ResultUnavailableError('RESULT_REFUSED', 'a file:// result URL must not name a host', { host: url.hostname });
  }
  let requested: string;
  try {
    requested = path.resolve(fileURLToPath(url));
  } catch (error) {
    throw new ResultUnavailableError('RESULT_REFUSED', 'the file:// result URL does not name a file path', { url: url.href, error: (error as Error).message });
  }
  const configured = path.resolve(policy.resultsDir);
  const root = await fs.promises.realpath(configured).catch(() => configured);
  const inside = (candidate: string, roots = [root]) => roots.some((dir) => candidate === dir || candidate.startsWith(`${dir}${path.sep}`));
  // Messages say what is wrong, never where: the server's paths go to the log only.
  const detail = { path: requested, resultsDir: root };
  // Lexically first (the directory as configured, or as resolved when it is itself a link), so
  // nothing outside is even looked at.
  if (!inside(requested, [configured, root])) throw new ResultUnavailableError('RESULT_REFUSED', 'the file:// result is outside RESULTS_DIR, the results directory', detail);
  // realpath defeats symlinks that point outside the directory.
  const real = await fs.promises.realpath(requested).catch((error: NodeJS.ErrnoException) => error);
  if (real instanceof Error) {
    if (real.code === 'ENOENT' || real.code === 'ENOTDIR') throw new ResultUnavailableError('RESULT_UNAVAILABLE', 'the result file does not exist', detail);
    throw new ResultUnavailableError('RESULT_UNAVAILABLE', `the result file cannot be read (${real.code ?? 'error'})`, detail);
  }
  if (!inside(real)) throw new ResultUnavailableError('RESULT_REFUSED', 'the file:// result is outside RESULTS_DIR, the results directory (through a link)', { ...detail, realPath: real });
  // Opened here, not lazily by the stream, so an unreadable file is a clear refusal and not a retry.
  const handle = await fs.promises.open(real, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ResultUnavailableError('RESULT_UNAVAILABLE', `the result file cannot be read (${error.code ?? 'error'})`, { ...detail, realPath: real });
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ResultUnavailableError('RESULT_UNAVAILABLE', 'the file:// result is not a regular file', { ...detail, realPath: real });
    if (stat.size > policy.maxBytes) throw new ResultUnavailableError('RESULT_TOO_LARGE', `the result is larger than ${policy.maxBytes} bytes`);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle.createReadStream();
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
