import { INSIGHT_THRESHOLD_DEFAULTS, type InsightOptimizationMetric } from '@amc-reports/contracts/src/report-settings';

/**
 * Practical significance, from `visualization_settings.insights` (libs/contracts): a move must be
 * unusual (the statistics) AND big enough to matter (these floors) to be reported.
 */
export interface InsightThresholds {
  /** Smallest relative change worth a sentence: 0.1 = 10 %. */
  minRelativeChange: number;
  /** Smallest share of the volume a campaign (or other key) must carry to be named. */
  minVolumeShare: number;
  /** The metric budget advice is judged by. */
  optimizeFor: InsightOptimizationMetric;
}

export function resolveThresholds(partial: Partial<InsightThresholds> | undefined): InsightThresholds {
  return {
    minRelativeChange: partial?.minRelativeChange ?? INSIGHT_THRESHOLD_DEFAULTS.minRelativeChange,
    minVolumeShare: partial?.minVolumeShare ?? INSIGHT_THRESHOLD_DEFAULTS.minVolumeShare,
    optimizeFor: partial?.optimizeFor ?? INSIGHT_THRESHOLD_DEFAULTS.optimizeFor,
  };
}
