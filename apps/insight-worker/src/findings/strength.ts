/**
 * Finding strength: how much a finding should be believed and shown, in [0, 1].
 * Every formula is (effect term) × (evidence term), both in [0, 1), built from
 *
 *   saturate(x, k) = 1 − e^(−x / k)       (0 at x = 0, 0.63 at x = k, → 1 as x grows)
 *
 * | type                         | strength                                                        |
 * |------------------------------|-----------------------------------------------------------------|
 * | trend                        | R² × saturate(n − 2, 4)            n = executions in the fit    |
 * | anomaly                      | saturate(|z|, 3) × saturate(m − 1, 4)  m = history before latest |
 * | comparison (metric)          | 0.5 × saturate(|Δ%|, 50)                                        |
 * | comparison (top mover)       | 0.5 × saturate(|Δ%|, 50) × share of the summed |Δ| of all keys   |
 *   (a key new since the previous execution has no Δ%: its effect term is 1)
 * | recommendation, weak stage   | saturate(gap / 100, 0.5) × saturate(m − 1, 4)   gap in % points  |
 * | recommendation, conv. rate   | (1 − rate / mix) × saturate(|z|, 3)   two-proportion z-test      |
 * | recommendation, ROAS         | (1 − roas / mix) × saturate(spend share, 0.1)                   |
 * | recommendation, frequency    | (1 − past-peak rate / peak rate) × saturate(impression share, 0.1) |
 * | summary                      | rows AMC did not withhold / all rows                            |
 *
 * Why these shapes: a trend's R² already is a [0, 1] fit quality, discounted while few points
 * back it (n = 3 → 0.22, n = 8 → 0.78, n = 52 → 1.00); |z| = 3, the anomaly threshold, maps to
 * 0.63 and |z| = 6 to 0.86; a comparison rests on two points with no variance estimate, so it is
 * capped at 0.5, under any clear anomaly (|z| ≥ 5 over ≥ 5 points) or long well-fitted trend.
 * Findings under MIN_STRENGTH (find-insights.ts, 0.05) are not reported, the summary excepted.
 * The stored `confidence_score` is strength × verification score, two decimals (insight-composer.ts):
 * the score is 1 when every number of the text matched the finding, 0.5 for a text citing no
 * number; a text with an unmatched number is dropped, not scored.
 */
export function saturate(value: number, scale: number): number {
  if (!(value > 0)) return 0;
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
