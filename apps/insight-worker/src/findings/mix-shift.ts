import { metricValue, readSums } from '@amc-reports/metrics';
import type { ExecutionProfile } from './finding';
import { isNamedKey, type InsightMetric, type InsightMetrics } from './insight-metrics';

/**
 * Shift-share decomposition of a blended rate's change over the keys of a dimension (campaigns):
 *
 *   R₁ − R₀ = Σ (w₁ − w₀)·r₀  +  Σ w₁·(r₁ − r₀)
 *             mix effect        rate effect
 *
 * with w a key's share of the denominator and r its own rate, 0 = the baseline executions summed,
 * 1 = the target execution. When volume moved from a campaign with a high purchase rate to one with
 * a low one, the blended rate falls though no campaign's rate changed: that is the mix shift's
 * consequence, not a cause of its own. Returns the mix effect's share of the change (can exceed 1
 * or be negative when the rate effect works against it), undefined when the rate did not change.
 */
export function mixShareOfChange(
  catalog: InsightMetrics,
  baseline: readonly ExecutionProfile[],
  target: ExecutionProfile,
  dimension: string,
  rate: InsightMetric,
): number | undefined {
  if (rate.definition.kind !== 'derived') return undefined;
  const { numerator, denominator } = rate.definition;
  const sumsByKey = (executions: readonly ExecutionProfile[]) => {
    const byKey = new Map<string, { numerator: number; denominator: number }>();
    for (const execution of executions) {
      const frame = catalog.frameOf(execution);
      for (const bucket of execution.profile.dimensionBreakdowns[dimension] ?? []) {
        if (!isNamedKey(bucket.key)) continue;
        const sums = readSums(bucket.totals, frame);
        const n = metricValue(numerator, sums);
        const d = metricValue(denominator, sums);
        if (n === null || d === null) continue;
        const entry = byKey.get(bucket.key) ?? { numerator: 0, denominator: 0 };
        entry.numerator += n;
        entry.denominator += d;
        byKey.set(bucket.key, entry);
      }
    }
    return byKey;
  };
  const before = sumsByKey(baseline);
  const after = sumsByKey([target]);
  const total = (byKey: Map<string, { numerator: number; denominator: number }>) =>
    [...byKey.values()].reduce((sum, entry) => ({ numerator: sum.numerator + entry.numerator, denominator: sum.denominator + entry.denominator }), { numerator: 0, denominator: 0 });
  const totalBefore = total(before);
  const totalAfter = total(after);
  if (!(totalBefore.denominator > 0) || !(totalAfter.denominator > 0)) return undefined;
  const blendedBefore = totalBefore.numerator / totalBefore.denominator;
  const blendedAfter = totalAfter.numerator / totalAfter.denominator;
  const change = blendedAfter - blendedBefore;
  if (change === 0) return undefined;
  let mix = 0;
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    const shareBefore = (b?.denominator ?? 0) / totalBefore.denominator;
    const shareAfter = (a?.denominator ?? 0) / totalAfter.denominator;
    // A key new in the target execution has no rate of its own before: the blend's stands in.
    const rateBefore = b && b.denominator > 0 ? b.numerator / b.denominator : blendedBefore;
    mix += (shareAfter - shareBefore) * rateBefore;
  }
  return mix / change;
}
