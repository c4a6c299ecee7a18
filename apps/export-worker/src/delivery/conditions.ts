import { formatValue } from '@amc-reports/charts';
import { parseMetricRule, type Condition, type SkippedBy } from '@amc-reports/contracts';
import { findMetric, normalizeMetricName, type DeliveryContent } from './delivery-content';

export type ConditionVerdict =
  | { send: true; alerts: string[] }
  | { send: false; skippedBy: SkippedBy; reason: string };

export interface ConditionContext {
  content: DeliveryContent;
  fingerprint: string;
  /** The last delivery this subscription sent, if any. */
  lastSent: { fingerprint: string | null; sentAt: Date } | null;
}

/**
 * Every condition must hold for a delivery to be sent; the first that does not names the skip.
 * Metric and insight conditions that hold are alerts: the message says what crossed.
 */
export function evaluateConditions(conditions: readonly Condition[], context: ConditionContext): ConditionVerdict {
  const alerts: string[] = [];
  for (const condition of conditions) {
    const outcome = evaluate(condition, context);
    if (!outcome.holds) return { send: false, skippedBy: condition.type, reason: outcome.reason };
    if (outcome.alert) alerts.push(outcome.alert);
  }
  return { send: true, alerts };
}

type Outcome = { holds: true; alert?: string } | { holds: false; reason: string };

function evaluate(condition: Condition, { content, fingerprint, lastSent }: ConditionContext): Outcome {
  switch (condition.type) {
    case 'changed':
      if (lastSent && lastSent.fingerprint === fingerprint) {
        return { holds: false, reason: `nothing changed since the delivery sent at ${lastSent.sentAt.toISOString()}` };
      }
      return { holds: true };
    case 'insight': {
      const wanted = condition.insightTypes ? new Set<string>(condition.insightTypes) : null;
      const candidates = content.insights.filter((insight) => !wanted || wanted.has(insight.type));
      const best = candidates.reduce<typeof candidates[number] | null>((top, insight) => (!top || insight.confidence > top.confidence ? insight : top), null);
      const kinds = wanted ? `${[...wanted].join(' or ')} insight` : 'insight';
      if (!best || best.confidence < condition.minConfidence) {
        const seen = best ? `the most confident is ${best.confidence.toFixed(2)}` : `the execution has no ${kinds}`;
        return { holds: false, reason: `no ${kinds} with confidence ≥ ${condition.minConfidence.toFixed(2)}: ${seen}` };
      }
      return { holds: true, alert: `${capitalize(best.type)} insight (confidence ${best.confidence.toFixed(2)}): ${best.text}` };
    }
    case 'metric':
      return evaluateMetric(condition.expression, content);
  }
}

function evaluateMetric(expression: string, content: DeliveryContent): Outcome {
  const parsed = parseMetricRule(expression);
  if (!parsed.ok) return { holds: false, reason: `"${expression}": ${parsed.message}` };
  const rule = parsed.rule;
  if (rule.kind === 'anomaly') {
    const wanted = normalizeMetricName(rule.metric);
    const anomaly = content.insights.find((insight) => insight.type === 'anomaly'
      && [insight.metric, insight.metricLabel].some((name) => name !== null && normalizeMetricName(name) === wanted));
    return anomaly
      ? { holds: true, alert: `${rule.metric} anomaly: ${anomaly.text}` }
      : { holds: false, reason: `"${expression}": the execution's insights flag no ${rule.metric} anomaly` };
  }
  const metric = findMetric(content.metrics, rule.metric);
  if (!metric) {
    const names = content.metrics.filter((m) => m.shown).map((m) => m.label).join(', ') || 'none';
    return { holds: false, reason: `"${expression}": the dashboard shows no metric "${rule.metric}" (it shows ${names})` };
  }
  if (metric.value === null) return { holds: false, reason: `"${expression}": ${metric.label} has no value in this execution (withheld or not computable)` };
  const threshold = rule.percent ? rule.value / 100 : rule.value;
  const crossed = compare(metric.value, rule.operator, threshold);
  const shown = `${metric.label} is ${formatValue(metric.value, metric.format)}`;
  return crossed ? { holds: true, alert: `${shown} (${rule.operator} ${rule.value}${rule.percent ? '%' : ''})` } : { holds: false, reason: `"${expression}" does not hold: ${shown}` };
}

function compare(value: number, operator: string, threshold: number): boolean {
  switch (operator) {
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '>': return value > threshold;
    default: return value >= threshold;
  }
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
