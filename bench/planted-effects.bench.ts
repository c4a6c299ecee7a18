/**
 * Planted-effect benchmark (issue 13): does the insight engine name what happened, only that, and
 * once? Generated weekly funnel histories (bench/planted-histories.ts: 4–6 campaigns, 8–12 weeks,
 * per-campaign noise 3–10 %) each carry one planted effect; quiet histories carry none.
 *
 *   node -r @swc-node/register bench/planted-effects.bench.ts [histories per effect] [quiet histories]
 *
 * Per effect type: recall@3 (the planted effect named among the latest execution's top 3 insights,
 * the summary excluded), how many top-3 cards name it (1 = one card per cause), and the distinct
 * causes in the top 3 wherever the execution has three; histories with three effects at once must
 * show three distinct causes in their top 3. On quiet histories: the false-alarm rate
 * (any anomaly, or any non-summary insight at confidence ≥ 0.6). Insights are composed exactly as
 * the worker stores them without an LLM (templated wording, verified numbers, stored confidence).
 */
import { generateHistory, PLANTED_EFFECTS, type HistoryKind } from './planted-histories';
import { MIN_INSIGHT_CONFIDENCE_DEFAULT } from '@amc-reports/contracts/src/report-settings';
import { combinedEffectsNamed, FALSE_ALARM_CONFIDENCE, scoreHistory, type HistoryScore } from './planted-scoring';

const PER_EFFECT = Number(process.argv[2] ?? 40);
const QUIET = Number(process.argv[3] ?? 120);

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`);

async function scoreAll(kind: HistoryKind, count: number): Promise<HistoryScore[]> {
  const scores: HistoryScore[] = [];
  for (let seed = 1; seed <= count; seed++) scores.push(await scoreHistory(generateHistory(kind, seed)));
  return scores;
}

async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  console.log(`${PER_EFFECT} histories per planted effect, ${QUIET} quiet histories (seeds 1..n)`);
  console.log(
    `${'effect'.padEnd(16)} ${'recall@3'.padStart(9)} ${'cards naming it'.padStart(16)} ${'top-3 cards'.padStart(12)} ${'distinct causes'.padStart(16)} ${'3 distinct where 3 exist'.padStart(25)}`,
  );
  let failures = 0;
  for (const kind of PLANTED_EFFECTS) {
    const scores = await scoreAll(kind, PER_EFFECT);
    const named = scores.filter((score) => score.namedInTop3).length;
    const cards = scores.reduce((sum, score) => sum + score.cardsNamingEffect, 0) / scores.length;
    const withThree = scores.filter((score) => score.distinctAvailable === 3);
    const distinct = withThree.filter((score) => score.distinctInTop3 === 3).length;
    if (named < scores.length || distinct < withThree.length) failures++;
    const mean = (value: (score: HistoryScore) => number) => (scores.reduce((sum, score) => sum + value(score), 0) / scores.length).toFixed(2);
    console.log(
      `${kind.padEnd(16)} ${percent(named, scores.length).padStart(9)} ${cards.toFixed(2).padStart(16)} ${mean((score) => score.top3.length).padStart(12)} ` +
        `${mean((score) => score.distinctInTop3).padStart(16)} ${`${distinct} of ${withThree.length}`.padStart(25)}`,
    );
  }
  // Three effects at once (a trend, a click-through drop and a campaign breaking): three stories.
  const combined = await scoreAll('combined', PER_EFFECT);
  const named = [0, 1, 2].map((index) => combined.filter((score) => combinedEffectsNamed(score.planted, score.top3.map((insight) => insight.sourceData.finding))[index]).length);
  // Three causes exist in every combined history by construction, whatever the engine found.
  const threeDistinct = combined.filter((score) => score.distinctInTop3 === 3).length;
  if (threeDistinct < combined.length || named.some((count) => count < combined.length)) failures++;
  console.log(
    `combined         trend + click-through drop + campaign break at once, named in the top 3: trend ${percent(named[0], combined.length)}, ` +
      `click-through drop ${percent(named[1], combined.length)}, campaign break ${percent(named[2], combined.length)}; ` +
      `3 distinct causes in the top 3 in ${threeDistinct} of ${combined.length}`,
  );
  const quiet = await scoreAll('quiet', QUIET);
  const alarms = quiet.filter((score) => score.falseAlarm);
  const anomalies = quiet.filter((score) => score.ranked.some((insight) => insight.insightType === 'anomaly')).length;
  const confident = quiet.filter((score) => score.ranked.some((insight) => insight.confidenceScore >= FALSE_ALARM_CONFIDENCE)).length;
  const highest = Math.max(0, ...quiet.flatMap((score) => score.ranked.map((insight) => insight.confidenceScore)));
  const quietDistinct = quiet.filter((score) => score.distinctAvailable === 3);
  // What a client export would print at its default minimum confidence (export_settings.minInsightConfidence).
  const clientFacing = quiet.filter((score) => score.ranked.some((insight) => insight.confidenceScore >= MIN_INSIGHT_CONFIDENCE_DEFAULT)).length;
  if (alarms.length > 0 || clientFacing > 0) failures++;
  console.log(
    `quiet            false alarms ${alarms.length} of ${quiet.length} (${percent(alarms.length, quiet.length)}): ` +
      `${anomalies} with an anomaly, ${confident} with an insight at confidence ≥ ${FALSE_ALARM_CONFIDENCE}; highest non-summary confidence ${highest.toFixed(2)}; ` +
      `${clientFacing} with an insight a client export prints (≥ ${MIN_INSIGHT_CONFIDENCE_DEFAULT}); ` +
      `3 distinct causes in top 3: ${quietDistinct.filter((score) => score.distinctInTop3 === 3).length} of ${quietDistinct.length}`,
  );
  for (const alarm of alarms.slice(0, 3)) console.log(`  seed ${alarm.planted.seed}: ${alarm.ranked[0]?.text}`);
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const histories = PER_EFFECT * (PLANTED_EFFECTS.length + 1) + QUIET;
  console.log(`${histories} histories in ${seconds.toFixed(1)} s (${((seconds * 1000) / histories).toFixed(1)} ms each)`);
  process.exitCode = failures > 0 ? 1 : 0;
}

void main();
