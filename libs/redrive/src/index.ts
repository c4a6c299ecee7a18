export {
  markEventProcessed, markEventFailed, requestInsightGenerations, markGenerationCompleted, markGenerationFailed, type InsightRequest,
  requestExecutionInsights, requestInsightRegeneration, releaseHeldRegenerations, workflowEventsInFlight, settleRegeneration, markRegenerationFailed, markRegenerationSkipped, redriveFailedRegeneration,
} from './processing-ledger';
export { EventLedger, InsightLedger, generationEntry, type Ledger, type LedgerEntry } from './ledgers';
export { DeliveryLedger } from './delivery-ledger';
export { RedriveSweeper, redriveItems, type RedriveOptions, type LedgerSweep, type Redrive } from './redrive-sweeper';
export { listFailedJobs, redriveFailedJobs, redriveOnResend, type FailedJob, type RedriveSelection, type ResendVerdict } from './failed-work';
