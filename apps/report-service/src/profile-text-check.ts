/**
 * The profile column is `json` (stored as written), but its names and values are copied into jsonb
 * columns later (views, insights, exports), and jsonb refuses two escapes that `json` accepts: a
 * NUL (SQLSTATE 22P05) and a lone surrogate (22P02). A result holding one is refused here, before
 * anything is written, with the SQLSTATE jsonb gives the same text, so classifyFailure reads it as
 * any value the database refuses: INVALID_DATA at once, the reason a person can read.
 */
export class UnstorableProfileTextError extends Error {
  constructor(readonly code: '22P05' | '22P02') {
    super(`the result profile holds text Postgres cannot store as JSON (SQLSTATE ${code})`);
    this.name = 'UnstorableProfileTextError';
  }
}

/**
 * Of text made by JSON.stringify: the only \u escapes it writes are control characters and lone
 * surrogates (a pair is written as it is), so any surrogate escape is a lone one. Each match
 * consumes a whole escape, so an escaped backslash followed by "u0000" is not read as a NUL.
 */
export function jsonbRefusal(json: string): '22P05' | '22P02' | null {
  if (!json.includes('\\u')) return null;
  for (const match of json.matchAll(/\\(?:u([0-9a-fA-F]{4})|[^u])/g)) {
    if (match[1] === undefined) continue;
    const code = Number.parseInt(match[1], 16);
    if (code === 0) return '22P05';
    if (code >= 0xd800 && code <= 0xdfff) return '22P02';
  }
  return null;
}
