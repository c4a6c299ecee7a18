/**
 * The planted-effect benchmark (bench/planted-effects.bench.ts), smaller and seeded: 4 histories of
 * each planted effect and 30 quiet ones. Each effect must be named in the top 3 of its latest
 * execution by exactly one card; quiet histories raise no anomaly and no insight at confidence
 * ≥ 0.6; and wherever an execution has three stories, its top 3 are three different ones.
 */
import { generateHistory, PLANTED_EFFECTS } from '../../../bench/planted-histories';
import { combinedEffectsNamed, FALSE_ALARM_CONFIDENCE, scoreHistory } from '../../../bench/planted-scoring';

const SEEDS = [1, 2, 3, 4];

describe.each(PLANTED_EFFECTS.map((effect) => [effect]))('a planted %s', (effect) => {
  it.each(SEEDS)('is named by one card in the top 3 of the latest execution (seed %i)', async (seed) => {
    const score = await scoreHistory(generateHistory(effect, seed));
    expect({ seed, named: score.namedInTop3, cards: score.cardsNamingEffect, top3: score.top3.map((insight) => insight.text) }).toMatchObject({ named: true, cards: 1 });
    if (score.distinctAvailable === 3) expect(score.distinctInTop3).toBe(3);
  });
});

describe('three effects at once (a trend, a click-through drop, a campaign breaking)', () => {
  it.each([1, 2])('are three cards with three different causes (seed %i)', async (seed) => {
    const score = await scoreHistory(generateHistory('combined', seed));
    expect(combinedEffectsNamed(score.planted, score.top3.map((insight) => insight.sourceData.finding))).toEqual([true, true, true]);
    expect(score.distinctInTop3).toBe(3);
  });
});

describe('quiet histories', () => {
  it(`raise no anomaly and no insight at confidence ≥ ${FALSE_ALARM_CONFIDENCE} (30 seeds)`, async () => {
    const alarms: string[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const score = await scoreHistory(generateHistory('quiet', seed));
      if (score.falseAlarm) alarms.push(`seed ${seed}: ${score.ranked[0].text}`);
    }
    expect(alarms).toEqual([]);
  });
});
