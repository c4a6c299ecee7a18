import { z } from 'zod';
import { AmcExecutionCompletedEvent } from './amc-execution-event.schema';

/**
 * The AMC execution-completed event for integrators, from the zod schema the gateway validates
 * with: an example (the OpenAPI request example, the README's, and a spec parses it) and the
 * README's field-by-field table, generated from the schema's descriptions so the two cannot drift.
 */
export const AMC_EVENT_EXAMPLE = {
  eventId: 'evt-2026-11-09-weekly-funnel-01',
  type: 'amc.execution.completed',
  occurredAt: '2026-11-09T09:12:44Z',
  instanceId: 'amc1a2b3c4d',
  amcWorkflowId: 'weekly_funnel',
  executionId: '8f1c2d3e-weekly-funnel-2026-11-02',
  status: 'SUCCEEDED',
  timeWindow: { start: '2026-11-02T00:00:00-05:00', end: '2026-11-09T00:00:00-05:00', timeZone: 'America/New_York' },
  result: {
    format: 'rows',
    columns: ['campaign', 'impressions', 'clicks', 'purchases', 'product_sales', 'total_cost', 'filtered'],
    rows: [
      ['Holiday Prospecting', 120000, 1800, 54, 2970.5, 61200000, false],
      ['Brand Defense', 45000, 900, 40, 2100, 18800000, false],
      ['Small Audience Test', null, null, null, null, null, true],
    ],
  },
  error: null,
} as const;

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|');

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return code(String(schema.const));
  if (schema.enum) return schema.enum.map((value) => code(String(value))).join(' | ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return [...new Set(variants.map(typeOf))].join(' or ');
  if (schema.type === 'array') return `array of ${schema.items ? typeOf(schema.items) : 'any'}`;
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (schema.type === 'string' && schema.format) return `string (${schema.format})`;
  return schema.type ?? 'any';
}

/** The object variants of a field (an object, or a union of objects such as `result`), with the tag that tells them apart. */
function objectVariants(schema: JsonSchema): Array<{ schema: JsonSchema; tag: string | null }> {
  if (schema.properties) return [{ schema, tag: null }];
  const variants = (schema.anyOf ?? schema.oneOf ?? []).flatMap((variant) => objectVariants(variant));
  return variants.map((variant) => ({
    schema: variant.schema,
    tag: variant.tag ?? (variant.schema.properties?.format?.const !== undefined ? `format ${variant.schema.properties.format.const}` : null),
  }));
}

function fieldRows(schema: JsonSchema, prefix: string, when: string | null): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
    const path = `${prefix}${name}`;
    const need = required.has(name) ? 'yes' : field.default !== undefined ? `no (default ${code(JSON.stringify(field.default))})` : 'no';
    const own = `| ${code(path)}${when ? ` (${when})` : ''} | ${cell(typeOf(field))} | ${need} | ${cell(field.description ?? '')} |`;
    const nested = objectVariants(field).filter((variant) => variant.schema !== field || field.properties);
    return [own, ...nested.flatMap((variant) => fieldRows(variant.schema, `${path}.`, variant.tag))];
  });
}

/** The README's table of the event's fields: path, type, required, what it means. */
export function amcEventFieldsMarkdown(): string {
  const schema = z.toJSONSchema(AmcExecutionCompletedEvent, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return ['| field | type | required | meaning |', '|---|---|---|---|', ...fieldRows(schema, '', null)].join('\n');
}

/** The example as the README shows it. */
export function amcEventExampleMarkdown(): string {
  // Arrays of plain values (columns, one result row) on one line each, as one would write them.
  const json = JSON.stringify(AMC_EVENT_EXAMPLE, null, 2).replace(/\[\n\s*([^[\]{}]*?)\n\s*\]/g, (_, inner: string) => `[${inner.split(/,\n\s*/).join(', ')}]`);
  return ['```json', json, '```'].join('\n');
}
