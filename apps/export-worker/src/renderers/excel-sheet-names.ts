/** Excel reserves this name (and refuses a workbook using it). */
const RESERVED = new Set(['history']);

/** Excel sheet names: at most 31 characters (never splitting one), none of []:*?/\, unique regardless of case, never "History". */
export function uniqueSheetName(name: string, used: Set<string>): string {
  const cleaned = name.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').replace(/\s+/g, ' ').trim();
  const base = Array.from(cleaned).slice(0, 31).join('').trim() || 'Sheet';
  let candidate = base;
  for (let suffix = 2; used.has(candidate.toLowerCase()) || RESERVED.has(candidate.toLowerCase()); suffix += 1) {
    candidate = `${Array.from(base).slice(0, 31 - String(suffix).length - 1).join('').trim()} ${suffix}`;
  }
  used.add(candidate.toLowerCase());
  return candidate;
}
