import type { BuiltView, DashboardType, HistoryPointRef, ViewComparison } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { UnusableResultError } from '@amc-reports/result-profile';
import { buildDashboard } from './build-dashboard';
import { compareViews } from './compare-views';
import type { ComparisonInput, ExecutionProfile } from './dashboard-build-input';
import { windowRange } from './dashboard-context';
import { mergeProfiles } from './merge-profiles';
import type { PeriodPlan, PlannedPeriod } from './period-plan';
import type { TimelineExecution } from './timeline';

export interface ReportSettingsInput {
  visualization: unknown;
  aggregation: unknown;
}

/** The executions whose profiles a plan needs (the caller loads exactly these). */
export function profilesNeeded(plan: PeriodPlan): string[] {
  const ids = [...plan.period.members, ...(plan.comparison?.members ?? []), ...plan.history].map((execution) => execution.executionId);
  return [...new Set(ids)];
}

const refOf = (execution: TimelineExecution): HistoryPointRef => ({
  executionId: execution.executionId, timeWindowStart: execution.timeWindowStart, timeWindowEnd: execution.timeWindowEnd,
  ...(execution.timeZone ? { timeZone: execution.timeZone } : {}),
});

function executionProfile(execution: TimelineExecution, profiles: ReadonlyMap<string, ResultProfile>): ExecutionProfile {
  const profile = profiles.get(execution.executionId);
  if (!profile) throw new Error(`the profile of execution ${execution.executionId} was not loaded`);
  return { ...refOf(execution), profile };
}

const metricSettings = (aggregation: unknown) => {
  const raw = (aggregation ?? {}) as { columns?: Record<string, string>; spendUnit?: 'auto'; currency?: string };
  return { columns: raw.columns, spendUnit: raw.spendUnit, currency: raw.currency };
};

/** A planned period as the builders' input: its one execution, or its members merged into one profile. */
export function periodProfile(period: PlannedPeriod, profiles: ReadonlyMap<string, ResultProfile>, aggregation: unknown): ExecutionProfile | null {
  if (period.members.length === 0) return null;
  if (period.kind === 'execution') return executionProfile(period.members[0], profiles);
  const members = period.members.map((member) => executionProfile(member, profiles));
  return {
    executionId: `period-${period.first}-${period.last}`,
    timeWindowStart: period.timeWindowStart,
    timeWindowEnd: period.timeWindowEnd,
    timeZone: period.timeZone,
    profile: mergeProfiles(members.map((member) => ({ profile: member.profile, window: windowRange(member) })), metricSettings(aggregation)),
    members: members.map(({ profile: _profile, ...ref }) => ref),
  };
}

const windowOf = (period: PlannedPeriod) => ({ timeWindowStart: period.timeWindowStart, timeWindowEnd: period.timeWindowEnd, timeZone: period.timeZone });

function comparisonInput(plan: PeriodPlan, compared: ExecutionProfile | null, problem: string | null): ComparisonInput | null {
  const comparison = plan.comparison;
  if (!comparison) return null;
  const gaps = comparison.gaps.length;
  const partial = comparison.state === 'ok' && gaps > 0 ? `${gaps} window${gaps === 1 ? '' : 's'} of it without numbers: ${comparison.gaps.map((gap) => gap.state).join(', ')}` : null;
  return {
    kind: comparison.comparisonKind,
    window: windowOf(comparison),
    execution: problem ? null : compared,
    state: problem ? 'unusable' : comparison.state,
    ...(problem ?? comparison.reason ?? partial ? { reason: (problem ?? comparison.reason ?? partial) as string } : {}),
  };
}

export interface PlannedDashboard {
  views: BuiltView[];
  comparison: ViewComparison | null;
}

/**
 * The views of a planned period: built from its profile (merged for a range), cards compared with
 * the plan's comparison (or its gap), history charts with their gaps; with `compareTables`, tables
 * and charts beside the compared period's too. Throws UnusableResultError when the shown period's
 * result cannot make this dashboard; a compared result that cannot is stated as such, not thrown.
 */
export function buildPlannedDashboard(
  type: DashboardType, settings: ReportSettingsInput, plan: PeriodPlan, profiles: ReadonlyMap<string, ResultProfile>,
  options: { compareTables: boolean },
): PlannedDashboard {
  const shown = periodProfile(plan.period, profiles, settings.aggregation);
  if (!shown) return { views: [], comparison: null };
  const compared = plan.comparison ? periodProfile(plan.comparison, profiles, settings.aggregation) : null;
  let baseline: BuiltView[] | null = null;
  let problem: string | null = null;
  if (compared && options.compareTables) {
    try {
      baseline = buildDashboard(type, { latest: compared, history: [compared], settings, comparison: null });
    } catch (error) {
      if (!(error instanceof UnusableResultError)) throw error;
      problem = `this report cannot use that result: ${error.message}`;
    }
  }
  const history = plan.period.kind === 'range' ? shown.members!.map((member) => ({ ...member, profile: profiles.get(member.executionId)! })) : plan.history.map((execution) => executionProfile(execution, profiles));
  const comparison = comparisonInput(plan, compared, problem);
  const built = buildDashboard(type, { latest: shown, history, settings, comparison, gaps: plan.historyGaps });
  // What adding the weeks up means for these numbers (reach unknown, units converted) is said on every view.
  const memberNotes = new Set(history.flatMap((member) => member.profile.notes ?? []));
  const periodNotes = shown.members ? (shown.profile.notes ?? []).filter((note) => !memberNotes.has(note)) : [];
  const views = periodNotes.length === 0 ? built : built.map((view) => ({ ...view, data: { ...view.data, notes: [...periodNotes, ...(view.data.notes ?? [])] } }));
  const stated: ViewComparison | null = comparison
    ? {
      kind: comparison.kind,
      window: windowRange(comparison.window),
      state: comparison.state,
      ...(comparison.reason ? { reason: comparison.reason } : {}),
    }
    : null;
  if (!baseline || !compared || !stated) return { views, comparison: stated };
  const first = (profile: ExecutionProfile) => windowRange(profile).slice(0, 10);
  return {
    views: compareViews(views, baseline, {
      shown: { range: windowRange(shown), first: first(shown) },
      compared: { range: windowRange(compared), first: first(compared) },
      comparison: stated,
    }),
    comparison: stated,
  };
}
