/**
 * Text Postgres and UTF-8 cannot hold faithfully: NUL (Postgres text refuses it) and lone UTF-16
 * surrogates (they have no UTF-8 encoding; Node would silently turn them into U+FFFD). Requests
 * carrying either are refused with a 400 naming the field, instead of failing later as a 500.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function unstorableTextProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return null;
}

export interface UnstorableText {
  field: string;
  message: string;
}

/** `__proto__`, or `constructor.prototype`: what replaces an object's prototype when a parsed body is merged (as secure-json-parse defines it). */
function isPrototypeKey(key: string, value: unknown): boolean {
  if (key === '__proto__') return true;
  return key === 'constructor' && value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype');
}

/**
 * Whether a JSON text, decoded as strict UTF-8, can parse to anything findUnstorableText refuses.
 * JSON.parse refuses a raw NUL (a control character) and strict UTF-8 has no lone surrogates, so
 * both can only come from a `\u` escape; a prototype key is spelt out or escaped. Without any of
 * these the walk is skipped: for an event with 200 inline rows it was a fifth of the parser's work.
 */
export function mayHoldUnstorableText(jsonText: string): boolean {
  return jsonText.includes('\\u') || jsonText.includes('__proto__') || jsonText.includes('constructor');
}

/** The first string or object key in a parsed JSON body or query that cannot be stored, or that is a prototype key, as a field path. */
export function findUnstorableText(value: unknown, path: string[] = [], depth = 0): UnstorableText | null {
  const field = (): string => path.join('.') || '(body)';
  if (typeof value === 'string') {
    const problem = unstorableTextProblem(value);
    return problem ? { field: field(), message: problem } : null;
  }
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findUnstorableText(value[index], [...path, String(index)], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyPath = [...path, key];
    if (isPrototypeKey(key, (value as Record<string, unknown>)[key])) {
      return { field: keyPath.join('.'), message: `the key "${key}" is not allowed (it would replace an object's prototype)` };
    }
    const problem = unstorableTextProblem(key);
    if (problem) return { field: keyPath.join('.'), message: `the key ${problem}` };
    const found = findUnstorableText((value as Record<string, unknown>)[key], keyPath, depth + 1);
    if (found) return found;
  }
  return null;
}
