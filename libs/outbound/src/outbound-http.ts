import { Agent, request } from 'undici';
import { checkOutboundUrl, guardedLookup, OutboundRefusedError, type OutboundPolicy, type Resolver } from './ssrf-guard';

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The first RESPONSE_TEXT_LIMIT bytes of the body, as text (for error messages). */
  text: string;
}

const RESPONSE_TEXT_LIMIT = 4_096;

export interface OutboundHttpOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
  /** Tests resolve names with their own table; production uses the system resolver. */
  resolve?: Resolver;
  userAgent?: string;
}

/**
 * POSTs to URLs users gave us, through the SSRF guard: undici with a connector whose DNS lookup
 * checks every address, redirects never followed (a 3xx is the answer, and the caller treats it
 * as a failure), bounded time and a bounded read of the answer. Allow-listed hosts go through an
 * ordinary agent.
 */
export class OutboundHttp {
  private readonly guarded: Agent;
  private readonly exempt: Agent;

  constructor(private readonly options: OutboundHttpOptions) {
    const timeouts = { connectTimeout: options.timeoutMs, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs };
    this.guarded = new Agent({ ...timeouts, connect: { lookup: guardedLookup(options.policy, options.resolve) as never } });
    this.exempt = new Agent(timeouts);
  }

  async postJson(target: string, body: string, headers: Record<string, string> = {}): Promise<OutboundResponse> {
    const { url, exempt } = checkOutboundUrl(target, this.options.policy);
    try {
      const response = await request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': this.options.userAgent ?? 'amc-reports-delivery/1', ...headers },
        dispatcher: exempt ? this.exempt : this.guarded,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      return { status: response.statusCode, headers: response.headers, text: await readBounded(response.body) };
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (error instanceof OutboundRefusedError) throw error;
      if (cause instanceof OutboundRefusedError) throw cause;
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.guarded.close(), this.exempt.close()]);
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_TEXT_LIMIT) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_TEXT_LIMIT).toString('utf8');
}

/** Retry-After (seconds or an HTTP date) in milliseconds, or null. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const header = Array.isArray(value) ? value[0] : value;
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
