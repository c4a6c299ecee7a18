/**
 * Finding strength: how much a finding should be believed and shown, in [0, 1]. Built from
 *
 *   saturate(x, k) = 1 − e^(−x / k)       (0 at x = 0, 0.63 at x = k, → 1 as x grows)
 *   e = |score| ÷ critical value           (how far outside its interval a value lies; ≥ 1 when outside)
 *
 * | finding                      | strength                                                            |
 * |------------------------------|---------------------------------------------------------------------|
 * | anomaly (metric, mix shift)  | 0.5 + 0.5 × saturate(e − 1, 1) × saturate(df, 4)      ∈ [0.5, 1)    |
 * | anomaly (campaign)           | the same × (0.75 + 0.25 × saturate(share of the metric, 0.1))       |
 * | trend                        | 0.35 + 0.5 × R² × saturate(e − 1, 1) × saturate(points − 4, 4)       |
 * | recovery (context)           | 0.3 + 0.15 × saturate(e of the earlier anomaly − 1, 1)   < 0.45     |
 * | comparison                   | 0.15 + 0.14 × saturate(e at 95 % − 1, 1)                < 0.3      |
 * | recommendation, weak stage   | saturate(gap / 100, 0.5) × saturate(m − 1, 4)   gap in % points      |
 * | recommendation, purchase rate| (1 − rate / peers' rate) × saturate(|z|, 3)   two-proportion z-test  |
 * | recommendation, budget       | (1 − value / mix) × saturate(spend share, 0.1), halved when prospecting |
 * | recommendation, frequency    | (1 − past-peak rate / peak rate) × saturate(impression share, 0.1)  |
 * | recommendation, overlap      | saturate(|uplift|, 0.5) × saturate(multi-channel share, 0.1) × saturate(|z|, 3) |
 * | summary                      | rows AMC did not withhold / all rows                                |
 *
 * Why these shapes: everything reported as an anomaly passed the baseline test (baseline-test.ts),
 * so it starts at 0.5 and rises as the value lies further out and more points back the baseline;
 * a recovery is context and must rank below the anomaly it explains, a comparison rests on two
 * windows: both stay under 0.5, a comparison under 0.3, the default minimum confidence of client
 * exports (export_settings.minInsightConfidence), since on quiet data such moves happen by chance.
 * Dismissed feedback multiplies a strength by 0.5 per net dismissal (feedback-weights.ts). Findings under MIN_STRENGTH (find-insights.ts, 0.05) are not reported,
 * the summary excepted. The stored `confidence_score` is strength × verification score, two
 * decimals (insight-composer.ts): 1 when every number of the text matched the finding, 0.5 for a
 * text citing no number; a text with an unmatched number is dropped, not scored.
 */
/**
 * A value outside its prediction interval (|score| > critical value, see baseline-test.ts): 0.5 at
 * the interval's edge, towards 1 as it lies further out and as more points back the baseline.
 * Everything reported as an anomaly is ≥ 0.5; context and comparisons stay under it.
 */
export function intervalStrength(score: number, criticalValue: number, df: number): number {
  const exceedance = Math.abs(score) / criticalValue;
  return roundStrength(0.5 + 0.5 * saturate(exceedance - 1, 1) * saturate(df, 4));
}

export function saturate(value: number, scale: number): number {
  if (!(value > 0)) return 0;
  if (value === Infinity) return 1;
  return 1 - Math.exp(-value / scale);
}

export function clampUnit(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

/** Strengths keep 4 decimals: enough to rank, stable in snapshots. */
export function roundStrength(value: number): number {
  return roundTo(clampUnit(value), 4);
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}
