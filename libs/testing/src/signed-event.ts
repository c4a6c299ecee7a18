import { request as httpRequest } from 'node:http';
import { buildSignatureHeader } from '@amc-reports/contracts/src/amc-signature';
import { ApiConformanceError, checkResponse } from './openapi-conformance';

/** Every answer of a documented operation must be what the OpenAPI document says (status and body). */
function assertConforms(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
  const problem = checkResponse(method, path, status, contentType, body);
  if (problem) throw new ApiConformanceError(problem, body);
}

/**
 * POST over node:http, answering with the server's response even when the server stops reading
 * early (a 413 for an oversized body closes the socket while we still write: EPIPE is expected).
 */
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string; contentType: string | null }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, contentType: res.headers['content-type'] ?? null }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(body);
  });
}

/** Posts an AMC event to the gateway exactly as the pipeline does: raw JSON bytes + X-AMC-Signature. */
export async function postSignedEvent(
  gatewayUrl: string, secret: string, body: unknown, options: { timestamp?: number; headers?: Record<string, string>; raw?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = options.raw ?? JSON.stringify(body);
  const t = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await post(`${gatewayUrl}/v1/events/amc/execution-completed`,
    { 'content-type': 'application/json', 'x-amc-signature': buildSignatureHeader(secret, raw, t), ...options.headers }, raw);
  let parsed: Record<string, unknown> = {};
  try {
    parsed = response.text ? (JSON.parse(response.text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text: response.text };
  }
  assertConforms('POST', '/v1/events/amc/execution-completed', response.status, response.contentType, parsed);
  return { status: response.status, body: parsed };
}

/** A small JSON client for the user API with a bearer token. */
export function apiClient(gatewayUrl: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a file download): keep the text
    }
    assertConforms(method, path, response.status, response.headers.get('content-type'), parsed);
    return { status: response.status, body: parsed as Record<string, any>, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

/**
 * Declares a body larger than the gateway accepts and waits for its answer without sending the
 * bytes: the server must refuse from the Content-Length alone (413), never buffer 10+ MB first.
 */
export function postOversizedEvent(gatewayUrl: string, declaredBytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${gatewayUrl}/v1/events/amc/execution-completed`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declaredBytes), 'x-amc-signature': 't=1,v1=00' },
    }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.write('{"eventId":');
  });
}
