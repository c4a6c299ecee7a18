import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { INSIGHTS_GENERATED, type InsightGenerateJob, type InsightsGeneratedEvent } from '@amc-reports/contracts';
import type { InsightWorkerEnv } from '@amc-reports/config';
import { InjectPrisma, type PrismaClient } from '@amc-reports/db';
import { markGenerationCompleted, markGenerationFailed } from '@amc-reports/redrive';
import { EventsPublisher, isTransientFailure } from '@amc-reports/runtime';
import { composeInsights, type ComposerLogger } from './insight-composer';
import { loadInsightTarget, type SkipReason } from './insight-input-loader';
import { replaceExecutionInsights } from './insight-store';
import { InjectInsightWorkerConfig } from './insight-worker.config';
import type { InsightWriter } from './wording/insight-writer';
import { LlmInsightWriter } from './wording/llm-insight-writer';
import { STATISTICAL_MODEL } from './wording/templated-wording';

export interface JobContext {
  jobId: string;
  attempt: number;
}

export type InsightGenerationOutcome =
  | { status: 'skipped'; reason: SkipReason; detail?: string }
  | {
      status: 'generated';
      insightCount: number;
      aiModel: string;
      llmInsightCount: number;
      droppedCount: number;
      fallbackReason?: string;
    };

/** What the service needs from the app config (the whole InsightWorkerEnv fits). */
export type InsightGenerationConfig = Pick<
  InsightWorkerEnv,
  'REDIS_URL' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'OPENAI_TIMEOUT_MS' | 'OPENAI_MAX_RETRIES'
>;

/** No key, no LLM: the findings are worded by templates (`ai_model = 'statistical'`, DESIGN §7.4). */
export function createInsightWriter(config: InsightGenerationConfig): InsightWriter | null {
  if (!config.OPENAI_API_KEY) return null;
  return new LlmInsightWriter({
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });
}

/**
 * insight.generate: a configuration's views + the execution's history → findings → wording →
 * verified insights → dashboard_insights (one execution's set replaced at once) → insights.generated.
 * Nothing from BullMQ here but the loader's UnrecoverableError: tests build it from a Prisma client and a config.
 */
@Injectable()
export class InsightGenerationService implements OnApplicationShutdown {
  private readonly logger = new Logger(InsightGenerationService.name);
  private readonly events: EventsPublisher;
  private readonly writer: InsightWriter | null;

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectInsightWorkerConfig() config: InsightGenerationConfig,
  ) {
    this.events = new EventsPublisher(config.REDIS_URL);
    this.writer = createInsightWriter(config);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
  }

  /** Generates the set, then records in the ledger that this job's request is done. */
  async generate(job: InsightGenerateJob, context: JobContext): Promise<InsightGenerationOutcome> {
    const outcome = await this.compose(job, context);
    await markGenerationCompleted(this.prisma, job.configurationId, job.executionId, context.jobId);
    return outcome;
  }

  private async compose(job: InsightGenerateJob, context: JobContext): Promise<InsightGenerationOutcome> {
    const log = { reportId: job.configurationId, executionId: job.executionId, jobId: context.jobId, attempt: context.attempt };
    const loaded = await loadInsightTarget(this.prisma, job);
    if (loaded.kind === 'skip') {
      this.logger.log({ msg: `insights skipped: ${loaded.reason}`, reason: loaded.reason, detail: loaded.detail, ...log });
      return { status: 'skipped', reason: loaded.reason, ...(loaded.detail ? { detail: loaded.detail } : {}) };
    }

    const composed = await composeInsights(loaded.target.input, this.writer, this.composerLogger(log));
    const insightCount = await replaceExecutionInsights(this.prisma, {
      configurationId: job.configurationId,
      executionId: job.executionId,
      promptVersion: composed.promptVersion,
      insights: composed.insights,
    });
    const llmInsightCount = composed.insights.filter((insight) => insight.aiModel !== STATISTICAL_MODEL).length;
    this.logger.log({
      msg: `${insightCount} insight(s) stored`,
      ...log,
      insightCount,
      llmInsightCount,
      aiModel: composed.aiModel,
      promptVersion: composed.promptVersion,
      droppedCount: composed.droppedCount,
      fallbackReason: composed.fallbackReason,
    });

    const event: InsightsGeneratedEvent = {
      reportId: job.configurationId,
      executionId: job.executionId,
      insightCount,
      aiModel: composed.aiModel,
      // One wording request per run when a key is configured; a fallback means it failed for good.
      llmCalls: this.writer ? 1 : 0,
      llmFailures: this.writer && composed.fallbackReason ? 1 : 0,
      occurredAt: new Date().toISOString(),
    };
    await this.events.publish(INSIGHTS_GENERATED, event);
    return {
      status: 'generated',
      insightCount,
      aiModel: composed.aiModel,
      llmInsightCount,
      droppedCount: composed.droppedCount,
      ...(composed.fallbackReason ? { fallbackReason: composed.fallbackReason } : {}),
    };
  }

  /**
   * After the last attempt. LLM trouble never gets here (the composer falls back to templates),
   * so this is the database or a bug. There is no row to write it on without harm: an error code on
   * the execution would take it out of every dashboard's history. The ledger (insight_generations)
   * keeps the reason and whether it was transient (the sweeper re-drives those; a re-sent event
   * re-drives any); BullMQ keeps the failed job with its stack; this line is what alerting watches.
   */
  async recordFailure(job: InsightGenerateJob, error: Error, jobId: string): Promise<void> {
    await markGenerationFailed(this.prisma, job.configurationId, job.executionId, jobId, error.message, isTransientFailure(error));
    this.logger.error({
      msg: `insight.generate failed for good: ${error.message}`,
      reportId: job.configurationId,
      executionId: job.executionId,
      error: error.name,
    });
  }

  /** The composer writes JSON lines; they are re-emitted as structured pino lines with the job's ids. */
  private composerLogger(context: Record<string, unknown>): ComposerLogger {
    const fields = (line: string): Record<string, unknown> => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        return { msg: String(parsed.event ?? 'insights'), ...parsed, ...context };
      } catch {
        return { msg: line, ...context };
      }
    };
    return {
      log: (line) => this.logger.log(fields(line)),
      warn: (line) => this.logger.warn(fields(line)),
    };
  }
}
