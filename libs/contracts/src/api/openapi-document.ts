import { z } from 'zod';
import { ErrorBody } from './common.schema';
import { API_OPERATIONS, errorStatusesOf, type ApiOperation } from './operations';

/** OpenAPI 3.1: its schema dialect is JSON Schema 2020-12, which zod 4 writes directly. */
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, OpenApiOperationObject>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

export interface OpenApiOperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: 'path' | 'query'; required: boolean; schema: unknown; description?: string }[];
  requestBody?: { required: true; content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'a bad request: each bad field is named in `issues`',
  401: 'missing or invalid credentials (`reason` says why)',
  403: 'authenticated, but not allowed (a viewer changing a report, a user in no organization, a user token on the admin API)',
  404: 'no such row, or one the caller may not see (never a 403 that confirms it exists)',
  409: 'conflicts with the current state (a taken key, a file not ready, an instance owned elsewhere)',
  410: 'gone: the export or link expired, its file was removed, or the share link was revoked',
  413: 'the body is larger than this route accepts',
  414: 'a path parameter is longer than any id (100 characters)',
  415: 'the body is not application/json',
  429: 'too many requests: come back after Retry-After seconds',
  503: 'a dependency (Postgres, Redis) is unavailable: retry after Retry-After seconds',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): unknown {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete generated.$schema;
  return generated;
}

function parameters(operation: ApiOperation): OpenApiOperationObject['parameters'] {
  const list: NonNullable<OpenApiOperationObject['parameters']> = [];
  for (const [place, object] of [['path', operation.params], ['query', operation.query]] as const) {
    if (!object) continue;
    for (const [name, field] of Object.entries(object.shape)) {
      const schema = field as z.ZodType;
      const optional = schema.safeParse(undefined).success;
      list.push({ name, in: place, required: place === 'path' || !optional, schema: jsonSchema(schema, 'input') });
    }
  }
  return list.length ? list : undefined;
}

const SECURITY: Record<ApiOperation['auth'], Record<string, string[]>[] | undefined> = {
  user: [{ bearer: [] }],
  admin: [{ adminToken: [] }],
  signature: [{ amcSignature: [] }],
  none: undefined,
};

/** Text other libs add to an operation's description (the gateway: the columns each dashboard type reads, from libs/dashboards). */
export interface OpenApiOptions {
  appendDescriptions?: Record<string, string>;
}

function operationObject(operation: ApiOperation, options: OpenApiOptions): OpenApiOperationObject {
  const responses: OpenApiOperationObject['responses'] = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: jsonSchema(response.schema, 'output') } } } :
        response.contentType ? { content: { [response.contentType]: { schema: { type: 'string' } } } } : {}),
    };
  }
  for (const status of errorStatusesOf(operation)) {
    responses[String(status)] = { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  const description = [operation.description, options.appendDescriptions?.[operation.operationId]].filter(Boolean).join('\n\n');
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: description || undefined,
    tags: [operation.tag],
    security: SECURITY[operation.auth],
    parameters: parameters(operation),
    requestBody: operation.body
      ? { required: true, content: { 'application/json': { schema: jsonSchema(operation.body, 'input'), ...(operation.example !== undefined ? { example: operation.example } : {}) } } }
      : undefined,
    responses,
  };
}

/** The gateway's API description, built from the same zod schemas the gateway validates with. */
export function buildOpenApiDocument(operations: readonly ApiOperation[] = API_OPERATIONS, options: OpenApiOptions = {}): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const operation of operations) {
    paths[operation.path] ??= {};
    paths[operation.path][operation.method] = JSON.parse(JSON.stringify(operationObject(operation, options))) as OpenApiOperationObject;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'amc-reports',
      version: '1',
      description: 'AMC execution events in; dashboards, insights and expiring exports out. User routes take a Bearer JWT '
        + '(sub = user id); rows are visible through membership of the owning organization. The operator\'s admin API '
        + 'takes Bearer ADMIN_TOKEN.',
    },
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorBody, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'the operator\'s ADMIN_TOKEN' },
        amcSignature: { type: 'apiKey', in: 'header', name: 'X-AMC-Signature', description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">' },
      },
    },
  };
}
