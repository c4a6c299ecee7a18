const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

/**
 * Channels in an AMC exposure group name: "DSP only" → 1, "DSP + Sponsored Products" → 2,
 * "All three" → 3; null when the name does not say. The audience dashboard's overlap table and the
 * overlap insight both count channels with this, so "combined exposure" means the same in both.
 */
export function parseChannelCount(segment: string): number | null {
  const name = segment.trim().toLowerCase();
  const allMatch = /^all\s+(\w+)$/.exec(name);
  if (allMatch) return NUMBER_WORDS[allMatch[1]] ?? (Number(allMatch[1]) || null);
  if (name.includes('+')) return name.split('+').filter((part) => part.trim() !== '').length;
  if (/\bonly$/.test(name)) return 1;
  return null;
}
