/**
 * Test helper: answers for the fake OpenAI server that behave like a model following the prompt
 * (or, when told to, like one that does not). Only the findings block of the request is read.
 */
import { chatCompletionBody, type FakeOpenAiResponse, type RecordedRequest } from '@amc-reports/testing/src/fake-openai-server';
import type { Finding } from '../src/findings/finding';
import { FINDINGS_BLOCK_END, FINDINGS_BLOCK_START } from '../src/wording/insight-prompt';
import { wordFinding } from '../src/wording/templated-wording';

export type PromptFinding = Omit<Finding, 'executionIds' | 'strength'>;

/** The findings the worker sent, parsed from between the block markers of the user message. */
export function promptFindings(request: RecordedRequest): PromptFinding[] {
  const messages = (request.body as { messages?: { content: string }[] } | undefined)?.messages ?? [];
  const user = messages[1]?.content ?? '';
  const start = user.indexOf(FINDINGS_BLOCK_START);
  if (start < 0) return [];
  const block = user.slice(start + FINDINGS_BLOCK_START.length, user.indexOf(FINDINGS_BLOCK_END, start));
  return (JSON.parse(block) as { findings: PromptFinding[] }).findings;
}

/**
 * Words every finding it was sent (the template's sentence with a prefix, so every number checks
 * out); `override` returns other text for a finding to make the model misbehave.
 */
export function answeringLlm(
  override: (finding: PromptFinding) => string | undefined = () => undefined,
  prefix = 'In short: ',
): (request: RecordedRequest) => FakeOpenAiResponse {
  return (request) => {
    const insights = promptFindings(request).map((finding) => ({
      findingId: finding.id,
      type: finding.type,
      text: override(finding) ?? `${prefix}${wordFinding({ ...finding, executionIds: [], strength: 0 })}`,
    }));
    return { body: chatCompletionBody(JSON.stringify({ insights })) };
  };
}
