import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { seededRandom } from '@amc-reports/testing/src/seeded-random';
import { FIXTURES_DIR } from '../test/profile-fixtures';
import { profileCsvStream } from './profile-csv-stream';
import type { ResultProfileOptions } from './result-profile-builder';
import { profileWithCsvParse, type ProfileOutcome } from './testing/profile-with-csv-parse';
import { randomAmcCsv, randomChunks, randomProfileOptions } from './testing/random-amc-csv';
import { UnusableResultError } from './unusable-result.error';

async function profileWithScanner(chunks: Buffer[], options: ResultProfileOptions): Promise<ProfileOutcome> {
  try {
    return { profile: await profileCsvStream(Readable.from(chunks), options) };
  } catch (error) {
    if (error instanceof UnusableResultError) return { refused: error.reason };
    throw error;
  }
}

const fixtureFiles = [
  ...readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.csv')),
  ...readdirSync(join(FIXTURES_DIR, 'history')).map((name) => join('history', name)),
];

// Small caps, so that folding, sampling boundaries and untracked keys happen on the fixtures too.
const SMALL_CAPS: ResultProfileOptions = { sampleSize: 2, topK: 3, maxTrackedKeys: 4, maxTrackedPairs: 5, maxDates: 4, facetMaxKeys: 3, maxKeyLength: 12 };

describe('the byte-scanner profile against the csv-parse profile it replaced', () => {
  it.each(fixtureFiles)('profiles fixture %s exactly as before, whole and cut into 1- to 7-byte chunks', async (name) => {
    const bytes = readFileSync(join(FIXTURES_DIR, name));
    const random = seededRandom(name.length);
    for (const options of [{}, SMALL_CAPS]) {
      const expected = profileWithCsvParse(bytes, options);
      expect(expected).toHaveProperty('profile');
      const tiny = Array.from({ length: bytes.length }, () => 1 + Math.floor(random() * 7));
      const chunks: Buffer[] = [];
      for (let at = 0, index = 0; at < bytes.length; at += tiny[index++]) chunks.push(bytes.subarray(at, at + tiny[index]));
      expect(await profileWithScanner([bytes], options)).toEqual(expected);
      expect(await profileWithScanner(chunks, options)).toEqual(expected);
    }
  });

  it('gives the same profile, or refuses for the same reason, on 160 seeded random AMC-shaped results cut at nasty places', async () => {
    const random = seededRandom(20261201);
    const outcomes = { profiled: 0, refused: 0, withInvalidCells: 0, withFoldedKeys: 0, crlf: 0 };
    for (let file = 0; file < 160; file++) {
      const bytes = randomAmcCsv(random);
      const options = randomProfileOptions(random);
      const expected = profileWithCsvParse(bytes, options);
      const whole = await profileWithScanner([bytes], options);
      const cut = await profileWithScanner(randomChunks(random, bytes), options);
      // isDeepStrictEqual is quick on big profiles and tells -0 from 0; expect names the file that differs.
      if (!isDeepStrictEqual(whole, expected) || !isDeepStrictEqual(cut, expected)) {
        expect({ file, options, whole, cut }).toEqual({ file, options, whole: expected, cut: expected });
      }
      if ('profile' in expected) {
        outcomes.profiled++;
        if (expected.profile.columns.some((column) => column.invalidCount)) outcomes.withInvalidCells++;
        if (Object.values(expected.profile.dimensionKeyCounts ?? {}).some((count) => !count.exact)) outcomes.withFoldedKeys++;
      } else {
        outcomes.refused++;
      }
      if (bytes.includes('\r\n')) outcomes.crlf++;
    }
    // The generator must really produce the hard cases, or this test proves little.
    expect(outcomes.profiled).toBeGreaterThan(120);
    expect(outcomes.withInvalidCells).toBeGreaterThan(20);
    expect(outcomes.withFoldedKeys).toBeGreaterThan(20);
    expect(outcomes.crlf).toBeGreaterThan(50);
  });
});
