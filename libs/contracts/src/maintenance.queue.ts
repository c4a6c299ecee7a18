import { z } from 'zod';

export const MAINTENANCE_QUEUE = 'maintenance' as const;

/** Job scheduler ids double as job names: one scheduler per recurring task, upserted at start-up. */
export const EXPORTS_CLEANUP_JOB = 'exports.cleanup' as const;
export const EXPORTS_SWEEP_JOB = 'exports.sweep' as const;
/** Re-queues accepted events and insight generations whose processing did not complete (libs/redrive). */
export const PIPELINE_REDRIVE_JOB = 'pipeline.redrive' as const;
export const MAINTENANCE_JOBS = [EXPORTS_CLEANUP_JOB, EXPORTS_SWEEP_JOB, PIPELINE_REDRIVE_JOB] as const;

export const MaintenanceJob = z.object({}).passthrough();
export type MaintenanceJob = z.infer<typeof MaintenanceJob>;

export const EXPORTS_CLEANUP_EVERY_MS = 15 * 60_000;
export const EXPORTS_SWEEP_EVERY_MS = 60_000;
