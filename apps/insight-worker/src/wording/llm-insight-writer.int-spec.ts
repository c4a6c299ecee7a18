import { chatCompletionBody, errorBody, startFakeOpenAiServer, type FakeOpenAiServer } from '@amc-reports/testing/src/fake-openai-server';
import { loadWeeklyHistory } from '../../test/profile-from-csv';
import { findInsights } from '../findings/find-insights';
import { FINDINGS_BLOCK_END, FINDINGS_BLOCK_START, INSIGHT_ANSWER_JSON_SCHEMA } from './insight-prompt';
import { LlmInsightError } from './insight-writer';
import { LlmInsightWriter, type LlmInsightWriterOptions } from './llm-insight-writer';

const weeks = loadWeeklyHistory();
const findings = findInsights({ dashboardType: 'funnel', latest: weeks[6], history: weeks.slice(0, 7), views: [] });
const answer = { insights: [{ findingId: findings[0].id, type: findings[0].type, text: 'Latest execution: 588 purchases.' }] };

let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

function writer(options: Partial<LlmInsightWriterOptions> = {}): LlmInsightWriter {
  // Backoffs in milliseconds keep the suite fast; production defaults are 500 ms doubling to 8 s.
  return new LlmInsightWriter({
    apiKey: 'test-key',
    baseURL: server.baseURL,
    model: 'fake-model',
    timeoutMs: 2_000,
    maxRetries: 2,
    initialBackoffMs: 5,
    maxBackoffMs: 20,
    ...options,
  });
}

const write = (instance = writer()) => instance.writeInsights({ dashboardType: 'funnel', findings });

async function failureOf(promise: Promise<unknown>): Promise<LlmInsightError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LlmInsightError);
  return error as LlmInsightError;
}

describe('LlmInsightWriter against a local OpenAI-compatible server', () => {
  it('sends a structured-output chat completion with the findings as a delimited untrusted block, and parses the answer', async () => {
    server.enqueue({ body: chatCompletionBody(JSON.stringify(answer)) });
    await expect(write()).resolves.toEqual(answer.insights);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer test-key');
    const body = request.body as {
      model: string;
      messages: { role: string; content: string }[];
      response_format: { type: string; json_schema: { name: string; strict: boolean; schema: unknown } };
    };
    expect(body.model).toBe('fake-model');
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'dashboard_insights', strict: true, schema: INSIGHT_ANSWER_JSON_SCHEMA },
    });
    expect(body.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(body.messages[0].content).toContain('UNTRUSTED DATA');
    const user = body.messages[1].content;
    const block = user.slice(user.indexOf(FINDINGS_BLOCK_START) + FINDINGS_BLOCK_START.length, user.indexOf(FINDINGS_BLOCK_END));
    expect(JSON.parse(block).findings.map((finding: { id: string }) => finding.id)).toEqual(findings.map((finding) => finding.id));
  });

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    server.enqueue(
      { status: 429, headers: { 'retry-after': '1' }, body: errorBody('Rate limit reached', 'rate_limit_exceeded') },
      { body: chatCompletionBody(JSON.stringify(answer)) },
    );
    await expect(write()).resolves.toEqual(answer.insights);
    expect(server.requests).toHaveLength(2);
    // Retry-After: 1 means one second, not the 5 ms backoff configured for this writer.
    expect(server.requests[1].receivedAt - server.requests[0].receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('does not sleep through a Retry-After longer than it allows: fails at once, saying how long to wait', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '120' }, body: errorBody('Rate limit reached') });
    const startedAt = Date.now();
    const failure = await failureOf(write(writer({ maxRetryAfterMs: 5_000 })));
    expect(failure).toMatchObject({ reason: 'rate_limited', details: { attempts: 1, status: 429, retryAfterMs: 120_000 } });
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx until its retries run out, then fails as a server error', async () => {
    server.setFallback({ status: 503, body: errorBody('overloaded') });
    const failure = await failureOf(write());
    expect(failure).toMatchObject({ reason: 'server_error', details: { attempts: 3, status: 503 } });
    expect(failure.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('retries a request that timed out, then fails as a timeout', async () => {
    server.setFallback({ delayMs: 400, body: chatCompletionBody(JSON.stringify(answer)) });
    const failure = await failureOf(write(writer({ timeoutMs: 100, maxRetries: 1 })));
    expect(failure).toMatchObject({ reason: 'timeout', details: { attempts: 2 } });
    expect(server.requests).toHaveLength(2);
  });

  it('recovers when a retry after a 500 succeeds', async () => {
    server.enqueue({ status: 500, body: errorBody('oops') }, { body: chatCompletionBody(JSON.stringify(answer)) });
    await expect(write()).resolves.toEqual(answer.insights);
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ['content that is not JSON', { body: chatCompletionBody('Sure! Here are the insights: {"insights": [') }, 'malformed_output'],
    ['a 200 that is not a chat completion', { body: '<html>gateway</html>' }, 'malformed_output'],
    ['JSON that violates the schema', { body: chatCompletionBody(JSON.stringify({ insights: [{ findingId: 'x', type: 'prophecy', text: 't' }] })) }, 'schema_violation'],
    ['an answer cut at the token limit', { body: chatCompletionBody('{"insights": [', { finishReason: 'length' }) }, 'truncated'],
    ['a refusal', { body: chatCompletionBody(null, { refusal: 'I cannot help with that.' }) }, 'refused'],
    ['a 401', { status: 401, body: errorBody('Incorrect API key provided', 'invalid_request_error') }, 'rejected'],
  ])('fails without retrying on %s', async (_, response, reason) => {
    server.enqueue(response);
    const failure = await failureOf(write());
    expect(failure.reason).toBe(reason);
    expect(server.requests).toHaveLength(1);
  });

  it('fails as a connection error when nothing listens, after its retries', async () => {
    const closed = await startFakeOpenAiServer();
    const baseURL = closed.baseURL;
    await closed.close();
    const failure = await failureOf(write(writer({ baseURL, maxRetries: 1 })));
    expect(failure).toMatchObject({ reason: 'connection', details: { attempts: 2 } });
  });

  it('does not call the server when no finding fits the input bound', async () => {
    await expect(write(writer({ maxInputChars: 10 }))).resolves.toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});
