/** The colours and sizes PDF and PNG share, so both formats look like the same report. */
export const REPORT_COLORS = {
  ink: '#1f2430',
  muted: '#5f6673',
  faint: '#8a8f98',
  rule: '#d9dce3',
  band: '#1e2a44',
  bandText: '#ffffff',
  bandMuted: '#b9c3d9',
  accent: '#3b5bdb',
  cardFill: '#f4f6fa',
  headerFill: '#1e2a44',
  headerText: '#ffffff',
  zebra: '#f7f8fb',
  background: '#ffffff',
} as const;

/** Badge colour per insight type; anything unknown falls back to the accent. */
export const INSIGHT_COLORS: Record<string, string> = {
  trend: '#2f9e44',
  anomaly: '#e8590c',
  recommendation: '#3b5bdb',
  summary: '#5f3dc4',
  comparison: '#0c8599',
};

export function insightColor(insightType: string): string {
  return INSIGHT_COLORS[insightType] ?? REPORT_COLORS.accent;
}
