import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { DashboardBuildInput, ExecutionProfile } from '../src/dashboard-build-input';

// The builders are tested on what the real profiler makes of the AMC sample results.
export { profileFixture } from '../../result-profile/test/profile-fixtures';

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
