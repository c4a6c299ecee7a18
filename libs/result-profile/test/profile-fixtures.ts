import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { profileCsvStream } from '../src/profile-csv-stream';

/** Copies of the AMC sample results: the project reads only its own fixtures. */
export const FIXTURES_DIR = join(__dirname, 'fixtures');

export function fixturePath(name: string): string {
  return join(FIXTURES_DIR, name);
}

export function profileFixture(name: string): Promise<ResultProfile> {
  return profileCsvStream(createReadStream(fixturePath(name)));
}
