import { exportFileKind, type ExportFormat, type ExportScope } from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';
import type { StoredObject } from '@amc-reports/storage';

/**
 * The report_exports transitions the worker makes, each one conditional UPDATE so that a job run
 * twice, a sweeper and a render racing each other never move a row backwards: the status trigger
 * allows pending→processing→completed|failed, processing→pending and completed→expired only.
 */

export interface ExportOptions {
  width?: number;
  bom?: boolean;
  auto?: boolean;
}

export interface ClaimedExport {
  id: string;
  reportConfigurationId: string;
  userId: string;
  format: ExportFormat;
  scope: ExportScope;
  viewId: string | null;
  executionId: string | null;
  options: ExportOptions;
  attempts: number;
  /** This render's fencing token (report_exports.render_claim): only it may complete the export. */
  claim: number;
}

export type ClaimResult =
  | { kind: 'claimed'; row: ClaimedExport }
  | { kind: 'missing' }
  /** completed, failed or expired: a rerun of the job has nothing left to do. */
  | { kind: 'settled'; status: string }
  /** Still pending or processing, but every allowed attempt was used (a crash loop). */
  | { kind: 'exhausted'; attempts: number }
  /** Its organization already renders as many exports as it may at once: try again shortly. */
  | { kind: 'busy'; organizationId: string };

/** Reasons people read in GET /v1/exports/:id, not stacks: bounded. */
const MAX_ERROR_LENGTH = 2_000;
const bounded = (reason: string) => reason.slice(0, MAX_ERROR_LENGTH);

/**
 * pending → processing with attempts + 1, a new render claim and a fresh started_at — unless the export's
 * organization already renders `rendersPerOrganization` exports: then it is `busy` and waits, so
 * one organization's burst never holds every render slot while another organization waits. A rerun of the same job (a
 * worker died mid-render and BullMQ handed the job to another) finds it processing and claims it
 * again, counting the attempt; once `maxAttempts` renders have started, it is not claimed again.
 * The new claim fences out any earlier render still running.
 */
export async function claimExport(prisma: PrismaClient, exportId: string, maxAttempts: number, rendersPerOrganization: number): Promise<ClaimResult> {
  const claimed = await prisma.$transaction(async (tx) => {
    const [owner] = await tx.$queryRaw<{ organizationId: string }[]>`
      SELECT w.organization_id AS "organizationId" FROM report_exports e
      JOIN report_configurations c ON c.id = e.report_configuration_id JOIN workflows w ON w.id = c.workflow_id
      WHERE e.id = ${exportId}::uuid`;
    if (owner) {
      // Serialised per organization, so two workers cannot both take its last render slot.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`export-renders:${owner.organizationId}`}, 0))`;
      const [{ rendering }] = await tx.$queryRaw<{ rendering: number }[]>`
        SELECT count(*)::int AS rendering FROM report_exports e
        JOIN report_configurations c ON c.id = e.report_configuration_id JOIN workflows w ON w.id = c.workflow_id
        WHERE w.organization_id = ${owner.organizationId}::uuid AND e.status = 'processing' AND e.id <> ${exportId}::uuid`;
      if (rendering >= rendersPerOrganization) return { kind: 'busy' as const, organizationId: owner.organizationId };
    }
    const rows = await tx.$queryRaw<ClaimedExport[]>`
      UPDATE report_exports SET status = 'processing', attempts = attempts + 1, render_claim = render_claim + 1, started_at = now(), progress = 0
      WHERE id = ${exportId}::uuid AND status IN ('pending', 'processing') AND attempts < ${maxAttempts}
      RETURNING id, report_configuration_id AS "reportConfigurationId", user_id AS "userId", format, scope,
        view_id AS "viewId", execution_id AS "executionId", options, attempts, render_claim AS "claim"`;
    return rows[0] ? { kind: 'claimed' as const, row: rows[0] } : null;
  });
  if (claimed) return claimed;
  const current = await prisma.reportExport.findUnique({ where: { id: exportId }, select: { status: true, attempts: true } });
  if (!current) return { kind: 'missing' };
  if (current.status === 'pending' || current.status === 'processing') return { kind: 'exhausted', attempts: current.attempts };
  return { kind: 'settled', status: current.status };
}

/** Only forward, and only while processing: a late write never touches a finished row. */
export async function saveProgress(prisma: PrismaClient, exportId: string, percent: number): Promise<void> {
  const value = Math.max(0, Math.min(99, Math.floor(percent)));
  await prisma.$executeRaw`
    UPDATE report_exports SET progress = ${value}
    WHERE id = ${exportId}::uuid AND status = 'processing' AND progress < ${value}`;
}

export interface CompletedExport {
  completedAt: Date;
  expiresAt: Date;
}

/**
 * processing → completed with the stored file's facts, by the render holding the latest claim
 * only; null when the row is no longer its to finish (completed, failed, or claimed again since).
 */
export async function markCompleted(prisma: PrismaClient, exportId: string, claim: number, stored: StoredObject, retentionDays: number): Promise<CompletedExport | null> {
  const rows = await prisma.$queryRaw<CompletedExport[]>`
    UPDATE report_exports
    SET status = 'completed', progress = 100, storage_key = ${stored.key}, file_size_bytes = ${stored.sizeBytes},
        sha256 = ${stored.sha256}, error = NULL, completed_at = now(),
        expires_at = now() + make_interval(days => ${retentionDays}::int)
    WHERE id = ${exportId}::uuid AND status = 'processing' AND render_claim = ${claim}
    RETURNING completed_at AS "completedAt", expires_at AS "expiresAt"`;
  return rows[0] ?? null;
}

export interface FailedExport {
  id: string;
  reportConfigurationId: string;
  userId: string;
  format: string;
}

/**
 * → failed with the reason. A pending row (returned by the sweeper, not yet picked up) passes
 * through processing, the only way the status trigger allows. Null when it already finished.
 */
export async function markFailed(prisma: PrismaClient, exportId: string, reason: string): Promise<FailedExport | null> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`UPDATE report_exports SET status = 'processing' WHERE id = ${exportId}::uuid AND status = 'pending'`;
    const rows = await tx.$queryRaw<FailedExport[]>`
      UPDATE report_exports SET status = 'failed', error = ${bounded(reason)}
      WHERE id = ${exportId}::uuid AND status = 'processing'
      RETURNING id, report_configuration_id AS "reportConfigurationId", user_id AS "userId", format`;
    return rows[0] ?? null;
  });
}

/** A transient failure that will be retried: the row stays processing and shows why the last attempt failed. */
export async function noteAttemptError(prisma: PrismaClient, exportId: string, reason: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE report_exports SET error = ${bounded(reason)} WHERE id = ${exportId}::uuid AND status = 'processing'`;
}

/** processing → pending with the attempt given back: the render was interrupted by an outage, not by itself. */
export async function releaseClaim(prisma: PrismaClient, exportId: string): Promise<void> {
  await prisma.$executeRaw`
    UPDATE report_exports SET status = 'pending', progress = 0, attempts = greatest(attempts - 1, 0)
    WHERE id = ${exportId}::uuid AND status = 'processing'`;
}

/** processing → pending (the sweeper's retry), only if it is still stuck as the sweeper saw it. */
export async function returnToPending(prisma: PrismaClient, exportId: string, startedBefore: Date): Promise<boolean> {
  const count = await prisma.$executeRaw`
    UPDATE report_exports SET status = 'pending', progress = 0
    WHERE id = ${exportId}::uuid AND status = 'processing' AND started_at < ${startedBefore}`;
  return count > 0;
}

export function exportExtension(format: ExportFormat, scope: ExportScope): string {
  return exportFileKind(format, scope).extension;
}

/**
 * `<export id>.<ext>` (a dashboard CSV is a .zip), never user text (DESIGN §8); a second or later
 * render claim stores under `<export id>.r<claim>.<ext>`, so it never replaces another render's
 * file (see render_claim).
 */
export function exportStorageKey(exportId: string, format: ExportFormat, scope: ExportScope, claim = 1): string {
  const extension = exportExtension(format, scope);
  return claim <= 1 ? `${exportId}.${extension}` : `${exportId}.r${claim}.${extension}`;
}
