import type { Finding } from './finding';

/**
 * When two findings tell the same story. Anomalies, recoveries, comparisons and the weakest stage
 * are all about the latest execution's moves; a trend is about the history; recommendations are
 * about the mix. Within one family, two findings are one story when the cause of one is the cause
 * or a consequence of the other ("CTR fell; clicks followed" and "Clicks fell" are one story), at
 * the same scope (a campaign's own metric is not the total's). The top of an execution's list holds
 * one finding per story (find-insights.ts), and the planted-effect benchmark counts stories with
 * this rule.
 */
type Family = 'move' | 'trend' | 'structure' | 'summary';

function familyOf(finding: Finding): Family {
  if (finding.type === 'summary') return 'summary';
  if (finding.type === 'trend') return 'trend';
  if (finding.type === 'recommendation' && finding.kind !== 'recommendation.weakest_stage') return 'structure';
  return 'move';
}

const scoped = (subject: string | undefined, metric: string) => (subject === undefined ? metric : `${subject}\u0000${metric}`);

/** The scoped metric the story starts at. */
function causeKeys(finding: Finding): string[] {
  const metric = finding.metric ?? finding.id;
  if (finding.kind === 'anomaly.mix_shift') return [scoped(finding.subject, metric), scoped(finding.counterpart, metric)];
  // A comparison names the campaign that moved it, but its cause is the total's move.
  if (finding.kind === 'comparison.metric') return [metric];
  return [scoped(finding.subject, metric)];
}

function storyKeys(finding: Finding): Set<string> {
  const keys = new Set(causeKeys(finding));
  for (const consequence of finding.consequences ?? []) keys.add(scoped(consequence.scope === 'subject' ? finding.subject : undefined, consequence.metric));
  if (finding.kind === 'comparison.metric' && finding.subject !== undefined && finding.metric) keys.add(scoped(finding.subject, finding.metric));
  return keys;
}

export function sameStory(a: Finding, b: Finding): boolean {
  if (familyOf(a) !== familyOf(b)) return false;
  if (familyOf(a) === 'summary') return true;
  const keysA = storyKeys(a);
  const keysB = storyKeys(b);
  return causeKeys(a).some((key) => keysB.has(key)) || causeKeys(b).some((key) => keysA.has(key));
}

/** Findings (in order) that tell a story none before them told. */
export function distinctStories<T extends Finding>(findings: readonly T[]): T[] {
  const kept: T[] = [];
  for (const finding of findings) if (!kept.some((earlier) => sameStory(earlier, finding))) kept.push(finding);
  return kept;
}
