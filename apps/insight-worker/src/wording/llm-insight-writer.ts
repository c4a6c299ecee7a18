import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { buildInsightPrompt, DEFAULT_MAX_INPUT_CHARS, INSIGHT_ANSWER_JSON_SCHEMA, InsightAnswer } from './insight-prompt';
import { LlmInsightError, type InsightWriter, type InsightWritingRequest, type WrittenInsight } from './insight-writer';

export interface LlmInsightWriterOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (OpenAI, Azure-compatible gateways, vLLM, Ollama, LiteLLM…). */
  baseURL?: string;
  model: string;
  /** Per HTTP attempt. */
  timeoutMs: number;
  /** Retries after the first attempt, on 408/409/429/5xx, timeouts and connection errors. */
  maxRetries: number;
  /** Exponential backoff without a Retry-After: initial × 2^(attempt−1), capped, with up to 25 % jitter off. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * A Retry-After longer than this is not slept through: the writer fails at once with
   * reason `rate_limited` and `retryAfterMs`, so a worker is never parked for minutes.
   */
  maxRetryAfterMs?: number;
  maxInputChars?: number;
  /** Optional: reasoning models reject `temperature`, some servers reject `max_completion_tokens`. */
  temperature?: number;
  maxOutputTokens?: number;
}

const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/**
 * Words findings through the official openai SDK with structured output (json_schema, strict).
 *
 * Retries are ours, not the SDK's (the client is built with maxRetries: 0): openai-node 6.x does
 * retry 408/409/429/5xx/timeouts and honours `retry-after-ms` / `Retry-After`, but it sleeps for
 * whatever Retry-After says with no upper bound and its backoff (0.5 s doubling to 8 s) cannot be
 * tuned. Here the Retry-After is honoured up to `maxRetryAfterMs`, the backoff is configurable
 * (tests run in milliseconds) and every failure ends as a typed LlmInsightError.
 */
export class LlmInsightWriter implements InsightWriter {
  readonly model: string;
  private readonly client: OpenAI;
  private readonly options: Required<Omit<LlmInsightWriterOptions, 'baseURL' | 'temperature' | 'maxOutputTokens'>> &
    Pick<LlmInsightWriterOptions, 'temperature' | 'maxOutputTokens'>;

  constructor(options: LlmInsightWriterOptions) {
    this.model = options.model;
    this.options = {
      initialBackoffMs: 500,
      maxBackoffMs: 8_000,
      maxRetryAfterMs: 30_000,
      maxInputChars: DEFAULT_MAX_INPUT_CHARS,
      ...options,
    };
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs, maxRetries: 0 });
  }

  async writeInsights(request: InsightWritingRequest): Promise<WrittenInsight[]> {
    const prompt = buildInsightPrompt(request.dashboardType, request.findings, this.options.maxInputChars);
    if (prompt.includedFindingIds.length === 0) return [];
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: this.model,
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'dashboard_insights', strict: true, schema: INSIGHT_ANSWER_JSON_SCHEMA as unknown as Record<string, unknown> },
      },
      ...(this.options.temperature === undefined ? {} : { temperature: this.options.temperature }),
      ...(this.options.maxOutputTokens === undefined ? {} : { max_completion_tokens: this.options.maxOutputTokens }),
    };
    const { completion, attempts } = await this.createWithRetries(body);
    return parseAnswer(completion, attempts);
  }

  private async createWithRetries(body: ChatCompletionCreateParamsNonStreaming): Promise<{ completion: ChatCompletion; attempts: number }> {
    for (let attempt = 1; ; attempt++) {
      const startedAt = Date.now();
      try {
        const completion = await this.client.chat.completions.create(body, { timeout: this.options.timeoutMs, maxRetries: 0 });
        return { completion, attempts: attempt };
      } catch (error) {
        let failure = classifyFailure(error, attempt);
        // The SDK spots its own timeout by the AbortError's name, which is lost when the error
        // crosses realms (jest's vm, some fetch polyfills): a connection failure that lasted the
        // whole timeout is that timeout.
        if (failure.reason === 'connection' && Date.now() - startedAt >= this.options.timeoutMs) {
          failure = new LlmInsightError('timeout', 'LLM request timed out', { ...failure.details });
        }
        if (!failure.retryable || attempt > this.options.maxRetries) throw failure;
        const retryAfterMs = failure.details.retryAfterMs;
        if (retryAfterMs !== undefined && retryAfterMs > this.options.maxRetryAfterMs) throw failure;
        await sleep(retryAfterMs ?? this.backoffMs(attempt));
      }
    }
  }

  private backoffMs(attempt: number): number {
    const base = Math.min(this.options.initialBackoffMs * 2 ** (attempt - 1), this.options.maxBackoffMs);
    return base * (1 - Math.random() * 0.25);
  }
}

/** `retry-after-ms` (milliseconds, non-standard but sent by OpenAI) first, then `Retry-After` in seconds or as an HTTP date. */
export function parseRetryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const milliseconds = headers?.get('retry-after-ms');
  if (milliseconds && Number.isFinite(Number(milliseconds))) return Math.max(0, Number(milliseconds));
  const retryAfter = headers?.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function classifyFailure(error: unknown, attempts: number): LlmInsightError {
  if (error instanceof LlmInsightError) return error;
  // Order matters: the timeout error is a connection error, and both are APIErrors without a status.
  if (error instanceof APIConnectionTimeoutError) return new LlmInsightError('timeout', 'LLM request timed out', { attempts, cause: error });
  if (error instanceof APIConnectionError) {
    return new LlmInsightError('connection', `LLM connection failed: ${error.message}`, { attempts, cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const details = { attempts, status, retryAfterMs: parseRetryAfterMs(error.headers), cause: error };
    if (status === 429) return new LlmInsightError('rate_limited', `LLM rate limited (429)`, details);
    if (status >= 500 || RETRYABLE_STATUSES.has(status)) return new LlmInsightError('server_error', `LLM server error (${status})`, details);
    return new LlmInsightError('rejected', `LLM rejected the request (${status}): ${error.message}`, details);
  }
  return new LlmInsightError('rejected', `LLM call failed: ${error instanceof Error ? error.message : String(error)}`, {
    attempts,
    cause: error,
  });
}

export function parseAnswer(completion: ChatCompletion, attempts: number): WrittenInsight[] {
  // A server that answers 200 with something other than a chat completion is malformed output too.
  const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
  if (!choice?.message) throw new LlmInsightError('malformed_output', 'LLM answer has no choices', { attempts });
  if (choice.message.refusal) throw new LlmInsightError('refused', `LLM refused: ${choice.message.refusal}`, { attempts });
  if (choice.finish_reason === 'length') throw new LlmInsightError('truncated', 'LLM answer was cut at the token limit', { attempts });
  const content = choice.message.content;
  if (typeof content !== 'string' || content.trim() === '') {
    throw new LlmInsightError('malformed_output', 'LLM answer has no content', { attempts });
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new LlmInsightError('malformed_output', 'LLM answer is not JSON', { attempts, cause: error });
  }
  const parsed = InsightAnswer.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new LlmInsightError('schema_violation', `LLM answer violates the schema: ${issues}`, { attempts, cause: parsed.error });
  }
  return parsed.data.insights;
}
