/**
 * Values for a fuzzer, generated from the JSON Schemas of the OpenAPI document (2020-12 as zod
 * writes it): mostly valid values, and on request a mutation of one that breaks a rule (a missing
 * required field, a wrong type, a value out of range, hostile text). Deterministic for a seed.
 */
export type Random = () => number;
type Schema = Record<string, any>;

const HOSTILE_TEXT = ['', ' ', '\u0000', '\ud800', '💥'.repeat(40), 'a'.repeat(5_000), '"; DROP TABLE users; --', '../../etc/passwd',
  '<script>alert(1)</script>', '=HYPERLINK("x")', '\u202eevil', 'null', '-1', '1e309', '{"a":1}', '__proto__'];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const chance = (random: Random, p: number): boolean => random() < p;

function sampleString(schema: Schema, random: Random): string {
  if (schema.format === 'uuid') return uuid(random);
  if (schema.format === 'date-time') return new Date(Date.UTC(2026, Math.floor(random() * 12), 1 + Math.floor(random() * 28))).toISOString();
  const min = schema.minLength ?? 1;
  const max = Math.min(schema.maxLength ?? 24, min + 24);
  const length = min + Math.floor(random() * (max - min + 1));
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789_-';
  return Array.from({ length }, () => pick(random, [...alphabet])).join('');
}

export function uuid(random: Random): string {
  const hex = () => Math.floor(random() * 16).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-${pick(random, ['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
}

/** A value the schema accepts (best effort: patterns are not solved, refinements are not known). */
export function sampleValid(schema: Schema, random: Random, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return pick(random, schema.enum);
  if (schema.default !== undefined && chance(random, 0.3)) return schema.default;
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) return sampleValid(pick(random, variants), random, depth + 1);
  const type = Array.isArray(schema.type) ? pick(random, schema.type) : schema.type;
  switch (type) {
    case 'null': return null;
    case 'boolean': return chance(random, 0.5);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? 0;
      const max = schema.maximum ?? schema.exclusiveMaximum ?? min + 100;
      const value = min + random() * (max - min);
      return type === 'integer' ? Math.floor(value) : value;
    }
    case 'string': return sampleString(schema, random);
    case 'array': {
      const min = schema.minItems ?? 0;
      const length = min + Math.floor(random() * Math.min(3, (schema.maxItems ?? min + 3) - min + 1));
      return Array.from({ length }, () => sampleValid(schema.items ?? {}, random, depth + 1));
    }
    case 'object': {
      const result: Record<string, unknown> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [key, property] of Object.entries<Schema>(schema.properties ?? {})) {
        if (required.has(key) || chance(random, 0.5)) result[key] = sampleValid(property, random, depth + 1);
      }
      return result;
    }
    default: return chance(random, 0.5) ? {} : 'x';
  }
}

/** One rule broken somewhere in an otherwise valid value. */
export function sampleInvalid(schema: Schema, random: Random): unknown {
  const valid = sampleValid(schema, random);
  const roll = random();
  if (roll < 0.15) return pick(random, [null, 42, 'text', [], true]);
  if (valid && typeof valid === 'object' && !Array.isArray(valid)) {
    const object = { ...(valid as Record<string, unknown>) };
    const keys = Object.keys(schema.properties ?? {});
    if (roll < 0.35 && schema.required?.length) delete object[pick(random, schema.required as string[])];
    else if (roll < 0.5) object[`unexpected_${Math.floor(random() * 100)}`] = 'x';
    else if (keys.length) {
      const key = pick(random, keys);
      object[key] = chance(random, 0.6) ? pick(random, HOSTILE_TEXT) : pick(random, [-1, 1e12, 0.5, null, {}, [[]], '2026-13-45', 'not-a-uuid']);
    }
    return object;
  }
  return pick(random, HOSTILE_TEXT);
}

export { HOSTILE_TEXT };
