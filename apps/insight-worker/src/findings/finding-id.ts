/**
 * Finding ids are shown to the LLM and come back in its answer, so they must be stable for the
 * same data and must never carry user text (a campaign name in an id would be an injection
 * channel outside the delimited data block). Dimension values are therefore hashed.
 */
const SAFE_PART = /^[a-z0-9_]{1,40}$/;

/** A column name or metric id as an id part when it is already tame (`purchaseRateOfClicks` → `purchase_rate_of_clicks`), otherwise its hash. */
export function idPart(text: string): string {
  const lowered = text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return SAFE_PART.test(lowered) ? lowered : `h${hashText(text)}`;
}

/** FNV-1a, 32 bit, base 36: short, deterministic, no dependency; collisions only cost a dropped duplicate. */
export function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function findingId(...parts: string[]): string {
  return parts.join('.');
}
