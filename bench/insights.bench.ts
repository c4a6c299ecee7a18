/**
 * Insight benchmark (DESIGN §7).
 *
 *   node -r @swc-node/register bench/insights.bench.ts [runs] [configurations]
 *
 * (a) Findings + statistical wording per configuration, 52 weekly executions of generated history
 *     (20 campaigns × 4 ad products, 7 metrics): findInsights alone, and composeInsights without an
 *     LLM (findings + templates + verification). Mean and p95 over `runs` (default 200).
 * (b) composeInsights with an instant local fake OpenAI server (real HTTP through the openai SDK),
 *     `configurations` (default 200) at concurrency 1 and 8, next to the raw limit: the same number
 *     of bare chat-completion round trips to the same server through the SDK with no findings work.
 */
import { chatCompletionBody, startFakeOpenAiServer, type RecordedRequest } from '@amc-reports/testing/src/fake-openai-server';
import { findInsights } from '../apps/insight-worker/src/findings/find-insights';
import type { ExecutionProfile, InsightInput } from '../apps/insight-worker/src/findings/finding';
import { composeInsights } from '../apps/insight-worker/src/insight-composer';
import { FINDINGS_BLOCK_END, FINDINGS_BLOCK_START } from '../apps/insight-worker/src/wording/insight-prompt';
import { LlmInsightWriter } from '../apps/insight-worker/src/wording/llm-insight-writer';
import { wordFinding } from '../apps/insight-worker/src/wording/templated-wording';
import OpenAI from 'openai';
import { HISTORY_CAMPAIGNS, HISTORY_METRICS, weekProfile } from './generated-history';
import { seededRandom } from './seeded-random';

const RUNS = Number(process.argv[2] ?? 200);
const CONFIGURATIONS = Number(process.argv[3] ?? 200);
const EXECUTIONS = 52;
const CAMPAIGNS = HISTORY_CAMPAIGNS;
const METRICS = HISTORY_METRICS;

const random = seededRandom;

function generateInput(seed: number): InsightInput {
  const next = random(seed);
  const history: ExecutionProfile[] = Array.from({ length: EXECUTIONS }, (_, week) => ({
    executionId: `exec-${seed}-${week}`,
    timeWindowStart: new Date(Date.UTC(2026, 0, 5 + 7 * week)).toISOString(),
    timeWindowEnd: new Date(Date.UTC(2026, 0, 11 + 7 * week)).toISOString(),
    profile: weekProfile(week, next, seed % 2 === 0 && week === EXECUTIONS - 1),
  }));
  return { dashboardType: 'funnel', latest: history[EXECUTIONS - 1], history, views: [] };
}

interface Timing {
  mean: number;
  p50: number;
  p95: number;
}

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
  return { mean: samples.reduce((sum, value) => sum + value, 0) / samples.length, p50: at(0.5), p95: at(0.95) };
}

function formatTiming({ mean, p50, p95 }: Timing): string {
  return `mean ${mean.toFixed(3)} ms   p50 ${p50.toFixed(3)} ms   p95 ${p95.toFixed(3)} ms`;
}

async function timeEach(count: number, run: (index: number) => unknown): Promise<Timing> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const startedAt = process.hrtime.bigint();
    await run(index);
    samples.push(Number(process.hrtime.bigint() - startedAt) / 1e6);
  }
  return summarize(samples);
}

async function throughput(count: number, concurrency: number, run: (index: number) => Promise<unknown>): Promise<number> {
  let nextIndex = 0;
  const startedAt = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (nextIndex < count) await run(nextIndex++);
    }),
  );
  return count / (Number(process.hrtime.bigint() - startedAt) / 1e9);
}

async function main(): Promise<void> {
  const inputs = Array.from({ length: 16 }, (_, seed) => generateInput(seed + 1));
  const findingCounts = inputs.map((input) => findInsights(input).length);
  console.log(`history: ${EXECUTIONS} executions × ${CAMPAIGNS} campaigns, ${METRICS.length} metrics; findings per configuration: ${Math.min(...findingCounts)}–${Math.max(...findingCounts)}`);

  for (let warmup = 0; warmup < 20; warmup++) await composeInsights(inputs[warmup % inputs.length], null);
  const findingsOnly = await timeEach(RUNS, (index) => findInsights(inputs[index % inputs.length]));
  const statistical = await timeEach(RUNS, (index) => composeInsights(inputs[index % inputs.length], null));
  console.log(`(a) findInsights                     ${formatTiming(findingsOnly)}   (${RUNS} runs)`);
  console.log(`    findings + statistical wording   ${formatTiming(statistical)}   (${RUNS} runs)`);

  // Answers are precomputed per finding (id + numbers), so the server side costs a JSON parse and a lookup.
  const answerKey = (finding: { id: string; numbers: Record<string, number> }) => `${finding.id}|${JSON.stringify(finding.numbers)}`;
  const textByFinding = new Map<string, string>();
  for (const input of inputs) for (const finding of findInsights(input)) textByFinding.set(answerKey(finding), `In short: ${wordFinding(finding)}`);
  const rawAnswer = chatCompletionBody(JSON.stringify({ insights: [] }));
  const answer = (request: RecordedRequest) => {
    const user = (request.body as { messages: { content: string }[] }).messages[1]?.content ?? '';
    const start = user.indexOf(FINDINGS_BLOCK_START);
    if (start < 0) return { body: rawAnswer };
    const block = user.slice(start + FINDINGS_BLOCK_START.length, user.indexOf(FINDINGS_BLOCK_END));
    const findings = JSON.parse(block).findings as { id: string; type: string; numbers: Record<string, number> }[];
    const insights = findings.map((finding) => ({ findingId: finding.id, type: finding.type, text: textByFinding.get(answerKey(finding)) ?? '' }));
    return { body: chatCompletionBody(JSON.stringify({ insights })) };
  };
  const server = await startFakeOpenAiServer();
  server.setFallback(answer);
  const writer = new LlmInsightWriter({ apiKey: 'bench', baseURL: server.baseURL, model: 'fake-model', timeoutMs: 10_000, maxRetries: 0 });
  const client = new OpenAI({ apiKey: 'bench', baseURL: server.baseURL, maxRetries: 0 });
  const bareRoundTrip = () => client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'ping' }] });

  for (let warmup = 0; warmup < 20; warmup++) await Promise.all([composeInsights(inputs[0], writer), bareRoundTrip()]);
  let llmInsights = 0;
  let insights = 0;
  for (const concurrency of [1, 8]) {
    server.requests.length = 0; // the server records every request; keep memory flat between rounds
    const composed = await throughput(CONFIGURATIONS, concurrency, async (index) => {
      const result = await composeInsights(inputs[index % inputs.length], writer);
      insights += result.insights.length;
      llmInsights += result.insights.filter((insight) => insight.aiModel === 'fake-model').length;
    });
    const raw = await throughput(CONFIGURATIONS, concurrency, () => bareRoundTrip());
    console.log(
      `(b) concurrency ${concurrency}: composeInsights ${composed.toFixed(0)} configurations/s   ` +
        `bare SDK round trips ${raw.toFixed(0)} /s   ratio ${(composed / raw).toFixed(2)}   (${CONFIGURATIONS} each)`,
    );
  }
  console.log(`    insights kept with LLM wording: ${llmInsights} of ${insights} (each one number-verified)`);
  await server.close();
}

void main();
