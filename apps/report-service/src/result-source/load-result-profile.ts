import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExecutionResult, ResultProfile } from '@amc-reports/contracts';
import type { ObjectStorage } from '@amc-reports/storage';
import { profileCsvStream, profileInlineRows, UnusableResultError } from '@amc-reports/result-profile';
import { inlineRowsCsv } from './inline-rows-csv';
import { openResultStream, type ResultSourcePolicy } from './open-result-stream';

export interface LoadedResult {
  profile: ResultProfile;
  /** Where the raw CSV is archived, for raw exports. */
  rawResultKey: string;
}

export const rawResultKey = (executionId: string): string => `raw/${executionId}.csv`;

/**
 * Profiles the result in one pass and archives it as CSV at the same time: the download is read
 * once, fanned out to the profiler and to storage (backpressure from either slows the source).
 * The archive is committed only after the profile succeeded, so a bad result leaves no file.
 */
export async function loadResultProfile(
  result: ExecutionResult, executionId: string, storage: ObjectStorage, policy: ResultSourcePolicy,
): Promise<LoadedResult> {
  const key = rawResultKey(executionId);
  if (result.format === 'rows') {
    const profile = profileInlineRows(result.columns, result.rows);
    // Inline rows are already in memory (the event carried them): written in one go, not as a
    // stream of one chunk per row (that stream was ~1 ms of CPU per 200-row result in the storm bench).
    await storage.put(key, Buffer.from(inlineRowsCsv(result.columns, result.rows)));
    return { profile, rawResultKey: key };
  }
  const source = await openResultStream(result.url, policy);
  const archive = await storage.beginWrite(key);
  const toProfiler = new PassThrough();
  const fanOut = pipeline(source, async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      await Promise.all([writeWithBackpressure(toProfiler, chunk), writeWithBackpressure(archive.stream, chunk)]);
    }
    toProfiler.end();
    archive.stream.end();
  });
  // Either side failing stops the other, so both settle and neither waits for a drain forever.
  const profiling = profileCsvStream(toProfiler).catch((error: unknown) => {
    toProfiler.destroy();
    source.destroy();
    throw error;
  });
  const fannedOut = fanOut.catch((error: unknown) => {
    toProfiler.destroy(error as Error);
    throw error;
  });
  const [profiled, copied] = await Promise.allSettled([profiling, fannedOut]);
  if (profiled.status === 'fulfilled' && copied.status === 'fulfilled') {
    await archive.commit();
    return { profile: profiled.value, rawResultKey: key };
  }
  source.destroy();
  toProfiler.destroy();
  await archive.abort();
  // When the profiler gives up (a duplicate header, a ragged row) it stops reading, and the copy
  // then fails with an abort: the profiler's reason is the one a person can act on.
  if (profiled.status === 'rejected' && (profiled.reason instanceof UnusableResultError || copied.status === 'fulfilled')) throw profiled.reason;
  throw copied.status === 'rejected' ? copied.reason : (profiled as PromiseRejectedResult).reason;
}

/** Resolves when the stream can take more (or is gone), so the slower consumer paces the download. */
function writeWithBackpressure(stream: Writable, chunk: Buffer): Promise<void> {
  if (stream.destroyed) return Promise.reject(new Error('the consumer stopped reading'));
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', closed);
      resolve();
    };
    const closed = (): void => {
      stream.off('drain', done);
      reject(new Error('the consumer stopped reading'));
    };
    stream.once('drain', done);
    stream.once('close', closed);
  });
}
