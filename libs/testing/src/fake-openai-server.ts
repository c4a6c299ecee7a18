/**
 * A real HTTP server on 127.0.0.1 that speaks enough of the OpenAI chat-completions API for
 * tests and benchmarks: the SDK under test makes real requests, with real status codes,
 * headers (Retry-After) and bodies. Each request takes the next entry of a script; when the
 * script runs out, the fallback entry answers. Every request is recorded.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOpenAiResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is (to test malformed bodies). */
  body?: unknown;
  /** Wait this long before answering (to test client timeouts). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  receivedAt: number;
}

export type FakeOpenAiEntry = FakeOpenAiResponse | ((request: RecordedRequest) => FakeOpenAiResponse);

export interface FakeOpenAiServer {
  /** Pass as the SDK's baseURL (ends in /v1). */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Appends entries to the script. */
  enqueue(...entries: FakeOpenAiEntry[]): void;
  /** Answers once the script is exhausted (default: 500). */
  setFallback(entry: FakeOpenAiEntry): void;
  /** Clears the script, the fallback and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** A chat.completion body whose single message carries `content`. */
export function chatCompletionBody(
  content: string | null,
  options: { model?: string; finishReason?: string; refusal?: string | null } = {},
): Record<string, unknown> {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: options.model ?? 'fake-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: options.refusal ?? null },
        finish_reason: options.finishReason ?? 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

/** An OpenAI-style error body, as the API sends with 4xx / 5xx. */
export function errorBody(message: string, type = 'server_error'): Record<string, unknown> {
  return { error: { message, type, param: null, code: null } };
}

const DEFAULT_FALLBACK: FakeOpenAiResponse = { status: 500, body: errorBody('fake server: script exhausted') };

export async function startFakeOpenAiServer(script: FakeOpenAiEntry[] = []): Promise<FakeOpenAiServer> {
  const queue = [...script];
  const requests: RecordedRequest[] = [];
  let fallback: FakeOpenAiEntry = DEFAULT_FALLBACK;

  const server = createServer((incoming, outgoing) => {
    void answer(incoming, outgoing);
  });

  async function answer(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: incoming.headers,
      rawBody,
      body: parseJson(rawBody),
      receivedAt: Date.now(),
    };
    requests.push(request);
    const entry = queue.shift() ?? fallback;
    const response = typeof entry === 'function' ? entry(request) : entry;
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    // The client may have given up (timeout) while we waited.
    if (outgoing.destroyed || incoming.socket?.destroyed) return;
    const payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? {});
    outgoing.writeHead(response.status ?? 200, {
      'content-type': typeof response.body === 'string' ? 'text/plain' : 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...response.headers,
    });
    outgoing.end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...entries) => queue.push(...entries),
    setFallback: (entry) => {
      fallback = entry;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      fallback = DEFAULT_FALLBACK;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
