import { Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { INSIGHT_GENERATE_QUEUE, INSIGHTS_GENERATED, type InsightGenerateJob, type InsightsGeneratedEvent } from '@amc-reports/contracts';
import type { InsightWorkerEnv } from '@amc-reports/config';
import { InjectPrisma, ProfileCache, type PrismaClient } from '@amc-reports/db';
import { markGenerationCompleted, markGenerationFailed, requestInsightRegeneration } from '@amc-reports/redrive';
import { EventsPublisher, isTransientFailure } from '@amc-reports/runtime';
import { composeInsights, type ComposerLogger } from './insight-composer';
import { loadInsightTarget, type SkipReason } from './insight-input-loader';
import { storeInsightSets } from './insight-store';
import { historyFingerprint, inputsSignature, settingsSignature, viewsSignature } from './regeneration/history-fingerprint';
import { PROMPT_VERSION } from './wording/insight-prompt';
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

  private readonly delayMs: number;

  /**
   * `queue`: where one more regeneration is asked for when a newer set was stored meanwhile;
   * `profiles`: the process's parsed history profiles (both absent in some tests).
   */
  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectInsightWorkerConfig() config: InsightGenerationConfig & { INSIGHT_REGENERATE_DELAY_MS?: number },
    @Optional() @InjectQueue(INSIGHT_GENERATE_QUEUE) private readonly queue?: Queue,
    @Optional() private readonly profiles?: ProfileCache,
  ) {
    this.events = new EventsPublisher(config.REDIS_URL);
    this.writer = createInsightWriter(config);
    this.delayMs = config.INSIGHT_REGENERATE_DELAY_MS ?? 0;
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
    const loaded = await loadInsightTarget(this.prisma, job, this.profiles);
    if (loaded.kind === 'skip') {
      this.logger.log({ msg: `insights skipped: ${loaded.reason}`, reason: loaded.reason, detail: loaded.detail, ...log });
      return { status: 'skipped', reason: loaded.reason, ...(loaded.detail ? { detail: loaded.detail } : {}) };
    }

    // A coalesced regeneration may have computed this very history already (or a re-driven job
    // finds its own earlier work): then there is nothing to do.
    const input = loaded.target.input;
    const fingerprint = historyFingerprint(
      settingsSignature({ dashboardType: input.dashboardType, aggregation: loaded.target.aggregation, promptVersion: PROMPT_VERSION, writer: this.writer?.model ?? STATISTICAL_MODEL }),
      viewsSignature(input.views), job.executionId, input.history.slice(0, -1).map((point) => point.executionId),
      inputsSignature(input.thresholds, input.feedback as unknown as Array<Record<string, unknown>> | undefined),
    );
    const stored = await storedFingerprint(this.prisma, job.configurationId, job.executionId);
    if (stored === fingerprint) {
      this.logger.log({ msg: 'insights skipped: history_unchanged', reason: 'history_unchanged', ...log });
      return { status: 'skipped', reason: 'history_unchanged' };
    }

    const composed = await composeInsights(input, this.writer, this.composerLogger(log));
    const result = await storeInsightSets(this.prisma, job.configurationId, composed.promptVersion, context.jobId, [
      { executionId: job.executionId, insights: composed.insights, fingerprint, expected: stored },
    ]);
    if (result.conflicts.length > 0) {
      // Another writer stored a set for this execution since it was read: which history is newer
      // is not known here, so one regeneration pass decides (it recomputes if this one was right).
      this.logger.warn({ msg: 'insights not stored: another set was stored meanwhile; regeneration requested', ...log });
      if (this.queue) await requestInsightRegeneration(this.prisma, this.queue, job.configurationId, [job.executionId], this.delayMs);
      return { status: 'skipped', reason: 'history_unchanged', detail: 'superseded by a concurrent set' };
    }
    const insightCount = result.insightCount;
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

async function storedFingerprint(prisma: PrismaClient, configurationId: string, executionId: string): Promise<string | null> {
  const [row] = await prisma.$queryRaw<Array<{ history_fingerprint: string | null }>>`
    SELECT history_fingerprint FROM insight_generations
    WHERE report_configuration_id = ${configurationId}::uuid AND execution_id = ${executionId}::uuid`;
  return row?.history_fingerprint ?? null;
}
