import { cleanFloat } from './format-value';

type MaybeNumber = number | null | undefined;

/** A part of a whole (a campaign's share of a model's purchases): part ÷ whole; null over zero or unknown. */
export function shareOf(part: MaybeNumber, whole: MaybeNumber): number | null {
  if (part === null || part === undefined || whole === null || whole === undefined || whole === 0) return null;
  return cleanFloat(part / whole);
}

/** A value against a baseline as an index (1.25 = a quarter above): value ÷ baseline. */
export function indexTo(value: MaybeNumber, baseline: MaybeNumber): number | null {
  return shareOf(value, baseline);
}

/** Uplift over a baseline (0.25 = +25 %): value ÷ baseline − 1. */
export function upliftOver(value: MaybeNumber, baseline: MaybeNumber): number | null {
  const index = indexTo(value, baseline);
  return index === null ? null : cleanFloat(index - 1);
}

/** Relative change from previous to latest (0.1 = +10 %); null without a non-zero previous. */
export function relativeChange(latest: MaybeNumber, previous: MaybeNumber): number | null {
  if (latest === null || latest === undefined || previous === null || previous === undefined || previous === 0) return null;
  return cleanFloat((latest - previous) / Math.abs(previous));
}
