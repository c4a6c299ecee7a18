import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { api } from '@amc-reports/contracts';

/**
 * Holds real answers of the gateway to its OpenAPI document: every status an operation answers
 * must be documented for it, and a JSON body must match the documented schema. The e2e suite's
 * API client runs every answer through this, so the document cannot drift from the behaviour.
 */
export interface ConformanceProblem {
  operation: string;
  status: number;
  problem: string;
}

interface CompiledOperation {
  method: string;
  pattern: RegExp;
  operationId: string;
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  validators: Map<string, ValidateFunction>;
}

let compiled: CompiledOperation[] | null = null;

function compile(): CompiledOperation[] {
  const document = api.buildOpenApiDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi-components', components: document.components } as never);
  const operations: CompiledOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const segments = path.split('/').map((segment) => (segment.startsWith('{') ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\-]/g, '\\$&')));
    const pattern = new RegExp(`^${segments.join('/')}$`);
    for (const [method, operation] of Object.entries(item)) {
      const validators = new Map<string, ValidateFunction>();
      for (const [status, response] of Object.entries(operation.responses)) {
        const schema = response.content?.['application/json']?.schema as Record<string, unknown> | undefined;
        if (!schema) continue;
        const resolved = schema.$ref === '#/components/schemas/Error' ? { $ref: 'openapi-components#/components/schemas/Error' } : schema;
        validators.set(status, ajv.compile(resolved));
      }
      operations.push({ method, pattern, operationId: operation.operationId, responses: operation.responses, validators });
    }
  }
  return operations;
}

/** The documented operation for a request, or null for routes outside the API (the page, the docs, unknown paths). */
export function findOperation(method: string, url: string): CompiledOperation | null {
  compiled ??= compile();
  const path = new URL(url, 'http://x').pathname;
  return compiled.find((operation) => operation.method === method.toLowerCase() && operation.pattern.test(path)) ?? null;
}

export function checkResponse(method: string, url: string, status: number, contentType: string | null, body: unknown): ConformanceProblem | null {
  const operation = findOperation(method, url);
  if (!operation) return null;
  const response = operation.responses[String(status)];
  if (!response) return { operation: operation.operationId, status, problem: `status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})` };
  const validate = operation.validators.get(String(status));
  if (!validate) return null;
  if (!contentType?.includes('application/json')) return { operation: operation.operationId, status, problem: `answered ${contentType ?? 'no content type'}, documented application/json` };
  if (!validate(body)) {
    return { operation: operation.operationId, status, problem: `body does not match the schema: ${JSON.stringify(validate.errors?.slice(0, 5))}` };
  }
  return null;
}

export class ApiConformanceError extends Error {
  constructor(readonly found: ConformanceProblem, body: unknown) {
    super(`${found.operation} ${found.status}: ${found.problem}\nbody: ${JSON.stringify(body).slice(0, 2_000)}`);
    this.name = 'ApiConformanceError';
  }
}
