/** Reading AMC's audience labels: exposure group names, frequency buckets, conversion paths. */

// Channel counting is the metric layer's, shared with the overlap insight.
export { parseChannelCount } from '@amc-reports/metrics';

/** Lower bound of a frequency bucket: "3" → 3, "6-10" → 6, "21+" → 21; null when not numeric. */
export function parseFrequencyLowerBound(bucket: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)/.exec(bucket);
  return match ? Number(match[1]) : null;
}

export interface DescribedPath {
  /** "Brand_Defense_SB → Launch_Sponsored_Display". */
  text: string;
  steps: number | null;
}

/**
 * AMC's `path` is an array of [position, touchpoint] pairs, as JSON-like text:
 * `[[1, "Brand_Defense_SB"], [2, "Launch_Sponsored_Display"]]`, or AMC's unquoted array text
 * `[Brand_Defense_SB, Launch_Sponsored_Display]` (an ARRAY column cast to string). Anything else is
 * shown as is.
 */
export function describePath(raw: string): DescribedPath {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return describeUnquotedPath(raw);
  }
  if (!Array.isArray(parsed)) return { text: raw, steps: null };
  const steps = parsed.map((step, index): [number, string] => {
    if (Array.isArray(step) && step.length >= 2) return [typeof step[0] === 'number' ? step[0] : index, String(step[1])];
    return [index, typeof step === 'string' ? step : JSON.stringify(step)];
  });
  steps.sort((a, b) => a[0] - b[0]);
  return { text: steps.map(([, touchpoint]) => touchpoint).join(' → '), steps: steps.length };
}

/** `[A, B]`, `[[1, A], [2, B]]`: touchpoints between commas, positions dropped when paired. */
function describeUnquotedPath(raw: string): DescribedPath {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return { text: raw, steps: null };
  const inner = trimmed.slice(1, -1).trim();
  // Touchpoint names have no parentheses: "[(1, 'A')]" is some other notation, shown as it is.
  if (inner === '' || /[()]/.test(inner)) return { text: raw, steps: null };
  const pairs = /^\[.*\]$/.test(inner) ? inner.slice(1, -1).split(/\]\s*,\s*\[/) : null;
  const unquote = (text: string) => text.trim().replace(/^["']|["']$/g, '');
  const touchpoints = pairs
    ? pairs.map((pair) => {
        const parts = pair.split(',');
        return unquote(parts.length > 1 && /^\s*\d+\s*$/.test(parts[0]) ? parts.slice(1).join(',') : pair);
      })
    : inner.split(',').map(unquote);
  if (touchpoints.some((touchpoint) => touchpoint === '')) return { text: raw, steps: null };
  return { text: touchpoints.join(' → '), steps: touchpoints.length };
}
