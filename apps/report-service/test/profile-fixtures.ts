import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { DashboardBuildInput, ExecutionProfile } from '@amc-reports/dashboards';
import { profileCsvStream } from '../src/profile/profile-csv-stream';

/** Copies of the AMC sample results: the project reads only its own fixtures. */
export const FIXTURES_DIR = join(__dirname, 'fixtures');

export function fixturePath(name: string): string {
  return join(FIXTURES_DIR, name);
}

export function profileFixture(name: string): Promise<ResultProfile> {
  return profileCsvStream(createReadStream(fixturePath(name)));
}

/** An execution of the weekly window starting `2026-10-05 + 7 × week` days. */
export function weeklyExecution(profile: ResultProfile, week: number, executionId = `exec-week-${week}`): ExecutionProfile {
  const start = new Date(Date.UTC(2026, 9, 5 + 7 * week));
  const end = new Date(start.getTime() + 7 * 86_400_000 - 1000);
  return { executionId, timeWindowStart: start.toISOString(), timeWindowEnd: end.toISOString(), profile };
}

/** A build input with the latest execution as its only history point. */
export function singleExecutionInput(profile: ResultProfile, settings: Partial<DashboardBuildInput['settings']> = {}): DashboardBuildInput {
  const latest = weeklyExecution(profile, 0, 'exec-latest');
  return { latest, history: [latest], settings: { visualization: settings.visualization ?? {}, aggregation: settings.aggregation ?? {} } };
}
