import type { DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import type { Finding, FindingType } from '../findings/finding';

/** One insight as a writer returns it: not yet verified, not yet trusted. */
export interface WrittenInsight {
  findingId: string;
  type: FindingType;
  text: string;
}

export interface InsightWritingRequest {
  dashboardType: DashboardType;
  /** Strongest first. */
  findings: readonly Finding[];
}

/** What composeInsights needs from a wording backend; LlmInsightWriter is the real one. */
export interface InsightWriter {
  /** Stored as `dashboard_insights.ai_model` for the insights it wrote. */
  readonly model: string;
  writeInsights(request: InsightWritingRequest): Promise<WrittenInsight[]>;
}

export type LlmFailureReason =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection'
  | 'rejected'
  | 'refused'
  | 'truncated'
  | 'malformed_output'
  | 'schema_violation';

const RETRYABLE: ReadonlySet<LlmFailureReason> = new Set(['rate_limited', 'server_error', 'timeout', 'connection']);

/** Every way the LLM can fail, typed, so the composer can fall back and say why. */
export class LlmInsightError extends Error {
  override readonly name = 'LlmInsightError';

  constructor(
    readonly reason: LlmFailureReason,
    message: string,
    readonly details: { attempts: number; status?: number; retryAfterMs?: number; cause?: unknown } = { attempts: 1 },
  ) {
    super(message, { cause: details.cause });
  }

  /** Transient at the HTTP level (the writer already retried these `maxRetries` times). */
  get retryable(): boolean {
    return RETRYABLE.has(this.reason);
  }
}
