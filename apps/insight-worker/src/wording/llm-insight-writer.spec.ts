import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { LlmInsightError } from './insight-writer';
import { classifyFailure, parseAnswer, parseRetryAfterMs } from './llm-insight-writer';
import type { ChatCompletion } from 'openai/resources/chat/completions';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-02T06:00:00Z');
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': 'Mon, 02 Nov 2026 06:00:03 GMT' }, 3000],
    [{ 'retry-after': 'Mon, 02 Nov 2026 05:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('reads %p as %p ms', (headers, expected) => {
    expect(parseRetryAfterMs(new Headers(headers), now)).toBe(expected);
  });
});

describe('classifyFailure', () => {
  const headers = new Headers({ 'retry-after': '1' });
  it.each([
    [new APIConnectionTimeoutError(), 'timeout', true],
    [new APIConnectionError({ message: 'ECONNREFUSED' }), 'connection', true],
    [APIError.generate(429, { error: { message: 'slow down' } }, undefined, headers), 'rate_limited', true],
    [APIError.generate(503, undefined, 'unavailable', new Headers()), 'server_error', true],
    [APIError.generate(408, undefined, 'timeout', new Headers()), 'server_error', true],
    [APIError.generate(401, undefined, 'bad key', new Headers()), 'rejected', false],
    [APIError.generate(400, undefined, 'bad schema', new Headers()), 'rejected', false],
    [new TypeError('boom'), 'rejected', false],
  ])('classifies %p as %s (retryable: %s)', (error, reason, retryable) => {
    const failure = classifyFailure(error, 2);
    expect(failure).toBeInstanceOf(LlmInsightError);
    expect(failure.reason).toBe(reason);
    expect(failure.retryable).toBe(retryable);
    expect(failure.details.attempts).toBe(2);
  });

  it('keeps the Retry-After of a 429', () => {
    expect(classifyFailure(APIError.generate(429, undefined, 'x', headers), 1).details.retryAfterMs).toBe(1000);
  });
});

describe('parseAnswer', () => {
  const completion = (content: string | null, extra: Record<string, unknown> = {}) =>
    ({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null, ...extra } }] }) as unknown as ChatCompletion;

  it('returns the insights of a valid answer', () => {
    const answer = { insights: [{ findingId: 'summary.totals', type: 'summary', text: 'Totals.' }] };
    expect(parseAnswer(completion(JSON.stringify(answer)), 1)).toEqual(answer.insights);
  });

  it.each([
    ['no choices', { choices: [] } as unknown as ChatCompletion, 'malformed_output'],
    ['a body that is not a completion', 'oops' as unknown as ChatCompletion, 'malformed_output'],
    ['empty content', completion(''), 'malformed_output'],
    ['content that is not JSON', completion('Here are your insights: {'), 'malformed_output'],
    ['JSON of another shape', completion('{"insights":[{"id":"x"}]}'), 'schema_violation'],
    ['a refusal', completion(null, { refusal: 'I cannot help' }), 'refused'],
    [
      'an answer cut at the token limit',
      { choices: [{ finish_reason: 'length', message: { content: '{"insights":[' } }] } as unknown as ChatCompletion,
      'truncated',
    ],
  ])('fails with a typed error on %s', (_, input, reason) => {
    expect(() => parseAnswer(input, 3)).toThrow(expect.objectContaining({ reason, details: expect.objectContaining({ attempts: 3 }) }));
  });
});
