import { Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import {
  INSIGHT_BACKLOG_HOLD_DELAYS, INSIGHT_GENERATE_QUEUE, INSIGHTS_GENERATED, insightRegenerationKey, type InsightRegenerateJob, type InsightsGeneratedEvent,
} from '@amc-reports/contracts';
import { InjectPrisma, ProfileCache, type PrismaClient } from '@amc-reports/db';
import { markRegenerationFailed, markRegenerationSkipped, requestInsightRegeneration, settleRegeneration, workflowEventsInFlight } from '@amc-reports/redrive';
import { EventsPublisher, isTransientFailure } from '@amc-reports/runtime';
import { composeInsights } from '../insight-composer';
import { createInsightWriter, type InsightGenerationConfig, type JobContext } from '../insight-generation.service';
import type { SkipReason } from '../insight-input-loader';
import { storeInsightSets, type FingerprintedSet } from '../insight-store';
import { InjectInsightWorkerConfig } from '../insight-worker.config';
import type { InsightWriter } from '../wording/insight-writer';
import { PROMPT_VERSION } from '../wording/insight-prompt';
import { STATISTICAL_MODEL } from '../wording/templated-wording';
import { inputsSignature, planRegeneration, settingsSignature, viewsSignature, type PlannedExecution } from './history-fingerprint';
import type { FeedbackWeight } from '../findings/feedback-weights';
import { loadFeedbackWeightsByWindowStart } from '../insight-feedback-reader';
import { loadProfiles, loadRegenerationInputs, type RegenerationInputs } from './regeneration-loader';

/** Executions computed and stored per transaction: bounds the profiles held in memory and the statement size. */
export const REGENERATION_CHUNK = 32;

export type RegenerationOutcome =
  | { status: 'skipped'; reason: SkipReason }
  | { status: 'regenerated'; executions: number; recomputed: number; conflicts: number; insightCount: number };

export type RegenerationConfig = InsightGenerationConfig & { INSIGHT_REGENERATE_DELAY_MS: number };

/**
 * insight.regenerate: one pass over a configuration's whole history. Each usable execution's
 * fingerprint (what its insights are computed from) is compared with the stored one; only those
 * that differ are recomputed, a chunk at a time (one query for their profiles, one transaction for
 * their sets). A set another writer replaced meanwhile is left alone and one more pass is asked for.
 */
@Injectable()
export class InsightRegenerationService implements OnApplicationShutdown {
  private readonly logger = new Logger(InsightRegenerationService.name);
  private readonly events: EventsPublisher;
  private readonly writer: InsightWriter | null;
  private readonly delayMs: number;

  constructor(
    @InjectPrisma() private readonly prisma: PrismaClient,
    @InjectInsightWorkerConfig() config: RegenerationConfig,
    @InjectQueue(INSIGHT_GENERATE_QUEUE) private readonly queue: Queue,
    @Optional() private readonly profiles?: ProfileCache,
  ) {
    this.events = new EventsPublisher(config.REDIS_URL);
    this.writer = createInsightWriter(config);
    this.delayMs = config.INSIGHT_REGENERATE_DELAY_MS;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.events.close();
  }

  async regenerate(job: InsightRegenerateJob, context: JobContext): Promise<RegenerationOutcome> {
    const log = { reportId: job.configurationId, jobId: context.jobId, attempt: context.attempt };
    const loaded = await loadRegenerationInputs(this.prisma, job.configurationId);
    if (loaded.kind === 'skip') {
      // Nothing to compute, as for a skipped insight.generate: the waiting executions are settled.
      await markRegenerationSkipped(this.prisma, job.configurationId);
      this.logger.log({ msg: `insight regeneration skipped: ${loaded.reason}`, ...log });
      return { status: 'skipped', reason: loaded.reason };
    }
    const inputs = loaded.inputs;
    const settings = settingsSignature({
      dashboardType: inputs.dashboardType, aggregation: inputs.aggregation, promptVersion: PROMPT_VERSION, writer: this.writer?.model ?? STATISTICAL_MODEL,
    });
    // Users' feedback on earlier insights weighs each execution's findings (windows before its own):
    // one query for every window start of the history.
    const feedback = await loadFeedbackWeightsByWindowStart(this.prisma, job.configurationId, inputs.entries.map((entry) => new Date(entry.timeWindowStart)));
    const feedbackOf = (start: number) => feedback.get(start) ?? [];
    const plan = planRegeneration(inputs.entries, inputs.stored, inputs.historyLength, settings, viewsSignature(inputs.views),
      (entry) => inputsSignature(inputs.thresholds, feedbackOf(entry.timeWindowStart) as unknown as Array<Record<string, unknown>>));
    // A fresh pass computes the sets nobody has yet; refreshes wait for a debounced full pass.
    const fresh = job.scope === 'fresh';
    const due = fresh ? plan.stale.filter((planned) => planned.stored === null) : plan.stale;
    let insightCount = 0;
    const conflicts: string[] = [];
    for (let start = 0; start < due.length; start += REGENERATION_CHUNK) {
      const chunk = due.slice(start, start + REGENERATION_CHUNK);
      const stored = await this.recompute(job.configurationId, inputs, chunk, feedbackOf);
      insightCount += stored.insightCount;
      conflicts.push(...stored.conflicts);
      await Promise.all(stored.written.map((executionId) => this.announce(job.configurationId, executionId, stored.counts.get(executionId) ?? 0)));
    }
    await settleRegeneration(this.prisma, job.configurationId, plan.all, inputs.readAt);
    if (conflicts.length > 0) await requestInsightRegeneration(this.prisma, this.queue, job.configurationId, conflicts, this.delayMs);
    // What a fresh pass left stays waiting (its ledger rows unsettled) for the debounced full pass,
    // held as the report service holds it while more of the workflow's events wait.
    else if (due.length < plan.stale.length) await this.requestFullPass(job.configurationId, inputs.workflowId, job.since);
    const outcome: RegenerationOutcome = {
      status: 'regenerated', executions: plan.all.length, recomputed: due.length - conflicts.length, conflicts: conflicts.length, insightCount,
    };
    this.logger.log({ msg: `insights regenerated for ${outcome.recomputed} of ${outcome.executions} execution(s)`, ...log, ...outcome });
    return outcome;
  }

  /**
   * `since`: when the oldest refresh left was asked for (the held pass a fresh one replaced): the
   * full pass is due no later than the longest hold after it, however often fresh sets came between.
   */
  private async requestFullPass(configurationId: string, workflowId: string, since = Date.now()): Promise<void> {
    const inFlight = await workflowEventsInFlight(this.prisma, workflowId);
    const wanted = inFlight ? this.delayMs * INSIGHT_BACKLOG_HOLD_DELAYS : this.delayMs;
    const delay = Math.max(0, Math.min(wanted, since + this.delayMs * INSIGHT_BACKLOG_HOLD_DELAYS - Date.now()));
    await requestInsightRegeneration(this.prisma, this.queue, configurationId, [], delay, { hold: inFlight, since });
  }

  private async recompute(configurationId: string, inputs: RegenerationInputs, chunk: PlannedExecution[], feedbackOf: (start: number) => FeedbackWeight[]) {
    const profiles = await loadProfiles(this.prisma, [...new Set(chunk.flatMap((planned) => [...planned.earlierIds, planned.executionId]))], this.profiles);
    const sets: FingerprintedSet[] = [];
    for (const planned of chunk) {
      const latest = profiles.get(planned.executionId);
      // Gone since the history was read (deleted with its workflow): nothing to describe.
      if (!latest) continue;
      const earlier = planned.earlierIds.map((id) => profiles.get(id)).filter((profile) => profile !== undefined);
      const composed = await composeInsights({
        dashboardType: inputs.dashboardType, latest, history: [...earlier, latest], views: inputs.views, settings: inputs.settings,
        thresholds: inputs.thresholds, feedback: feedbackOf(Date.parse(latest.timeWindowStart)),
      }, this.writer);
      sets.push({ executionId: planned.executionId, insights: composed.insights, fingerprint: planned.fingerprint, expected: planned.stored });
    }
    const result = await storeInsightSets(this.prisma, configurationId, PROMPT_VERSION, insightRegenerationKey(configurationId), sets);
    return { ...result, counts: new Map(sets.map((set) => [set.executionId, set.insights.length])) };
  }

  private async announce(reportId: string, executionId: string, insightCount: number): Promise<void> {
    const event: InsightsGeneratedEvent = {
      reportId, executionId, insightCount, aiModel: this.writer?.model ?? STATISTICAL_MODEL,
      llmCalls: this.writer ? 1 : 0, llmFailures: 0, occurredAt: new Date().toISOString(),
    };
    await this.events.publish(INSIGHTS_GENERATED, event);
  }

  /** After the last attempt: the executions waiting for this pass record why (the sweeper re-drives transient causes). */
  async recordFailure(job: InsightRegenerateJob, error: Error): Promise<void> {
    await markRegenerationFailed(this.prisma, job.configurationId, error.message, isTransientFailure(error));
    this.logger.error({ msg: `insight.regenerate failed for good: ${error.message}`, reportId: job.configurationId, error: error.name });
  }
}
