import { findInsights } from './findings/find-insights';
import type { Finding, FindingType, InsightInput } from './findings/finding';
import { roundTo } from './findings/strength';
import { viewKeyForFinding } from './findings/view-for-finding';
import { MAX_INSIGHT_TEXT_CHARS, PROMPT_VERSION } from './wording/insight-prompt';
import { LlmInsightError, type InsightWriter, type WrittenInsight } from './wording/insight-writer';
import { confineQuotedSubject } from './wording/quote-subject';
import { STATISTICAL_MODEL, wordFinding } from './wording/templated-wording';
import { verifyInsightNumbers } from './verification/verify-insight-numbers';

/** One row of `dashboard_insights`, minus the ids the processor adds. */
export interface ComposedInsight {
  findingId: string;
  insightType: FindingType;
  text: string;
  /** Finding strength × verification score, two decimals, in [0, 1]. */
  confidenceScore: number;
  /** Who wrote this text: the LLM's model name, or 'statistical' for a template. */
  aiModel: string;
  /** `BuiltView.key` of the view the insight belongs to; undefined when the dashboard has no views. */
  viewKey?: string;
  sourceData: { finding: Finding; numbers: Record<string, number>; executionIds: string[] };
}

export interface ComposedInsights {
  insights: ComposedInsight[];
  /** The LLM model when at least one of its insights survived verification, else 'statistical'. */
  aiModel: string;
  promptVersion: string;
  /** LLM insights thrown away: unknown finding id, duplicate, wrong type, a quote out of place, bad length or an unverifiable number. */
  droppedCount: number;
  /** Why no LLM wording was used at all (no writer, LLM error reason, nothing survived). */
  fallbackReason?: string;
}

/** Nest's Logger fits; one structured line per event. */
export interface ComposerLogger {
  log(message: string): void;
  warn(message: string): void;
}

type DropReason = 'unknown_finding' | 'duplicate' | 'type_mismatch' | 'bad_length' | 'stray_quote' | 'unquoted_subject' | 'unverified_number';

/**
 * Findings → wording → verification. The LLM only words; every number it writes is checked
 * against the finding it cites, and any finding without a surviving LLM insight is worded by its
 * template, so a bad answer or a dead LLM never loses a finding.
 * Only LlmInsightError is turned into a fallback: anything else is a bug and is thrown.
 */
export async function composeInsights(
  input: InsightInput,
  writer: InsightWriter | null,
  logger?: ComposerLogger,
): Promise<ComposedInsights> {
  const findings = findInsights(input);
  const executionId = input.latest.executionId;
  const compose = (finding: Finding, text: string, aiModel: string, verificationScore: number): ComposedInsight => ({
    findingId: finding.id,
    insightType: finding.type,
    text,
    confidenceScore: roundTo(Math.min(1, Math.max(0, finding.strength * verificationScore)), 2),
    aiModel,
    viewKey: viewKeyForFinding(finding, input.views),
    sourceData: { finding, numbers: finding.numbers, executionIds: finding.executionIds },
  });
  const templated = (finding: Finding) => {
    const text = wordFinding(finding);
    return compose(finding, text, STATISTICAL_MODEL, verifyInsightNumbers(text, finding).score);
  };
  const statisticalOnly = (fallbackReason: string): ComposedInsights => ({
    insights: findings.map(templated),
    aiModel: STATISTICAL_MODEL,
    promptVersion: PROMPT_VERSION,
    droppedCount: 0,
    fallbackReason,
  });

  if (findings.length === 0) return { insights: [], aiModel: STATISTICAL_MODEL, promptVersion: PROMPT_VERSION, droppedCount: 0 };
  if (!writer) return statisticalOnly('no_llm_configured');

  let written: WrittenInsight[];
  try {
    written = await writer.writeInsights({ dashboardType: input.dashboardType, findings });
  } catch (error) {
    if (!(error instanceof LlmInsightError)) throw error;
    logger?.warn(
      JSON.stringify({ event: 'insights.llm_failed', executionId, reason: error.reason, attempts: error.details.attempts, message: error.message }),
    );
    return statisticalOnly(`llm_${error.reason}`);
  }

  const byId = new Map(findings.map((finding) => [finding.id, finding]));
  const accepted = new Map<string, ComposedInsight>();
  let droppedCount = 0;
  const drop = (insight: WrittenInsight, reason: DropReason, unmatched?: string[]) => {
    droppedCount++;
    logger?.warn(JSON.stringify({ event: 'insights.llm_insight_dropped', executionId, findingId: insight.findingId.slice(0, 200), reason, unmatched }));
  };
  for (const insight of written) {
    const finding = byId.get(insight.findingId);
    // The subject may be named only inside our quotes, exactly as the templates quote it.
    const quoting = confineQuotedSubject(insight.text.replace(/\s+/g, ' ').trim(), [finding?.subject, finding?.counterpart]);
    const text = quoting.ok ? quoting.text : '';
    if (!finding) drop(insight, 'unknown_finding');
    else if (accepted.has(finding.id)) drop(insight, 'duplicate');
    else if (insight.type !== finding.type) drop(insight, 'type_mismatch');
    else if (!quoting.ok) drop(insight, quoting.problem);
    else if (text.length === 0 || text.length > MAX_INSIGHT_TEXT_CHARS) drop(insight, 'bad_length');
    else {
      const verification = verifyInsightNumbers(text, finding);
      if (!verification.verified) drop(insight, 'unverified_number', verification.unmatched);
      else accepted.set(finding.id, compose(finding, text, writer.model, verification.score));
    }
  }

  const insights = findings.map((finding) => accepted.get(finding.id) ?? templated(finding));
  logger?.log(
    JSON.stringify({ event: 'insights.composed', executionId, findings: findings.length, llmInsights: accepted.size, droppedCount }),
  );
  return {
    insights,
    aiModel: accepted.size > 0 ? writer.model : STATISTICAL_MODEL,
    promptVersion: PROMPT_VERSION,
    droppedCount,
    ...(accepted.size === 0 ? { fallbackReason: 'no_verified_llm_insights' } : {}),
  };
}
