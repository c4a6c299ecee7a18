import type { PrismaClient } from './prisma-client';

export interface AutoExportRow {
  id: string;
  status: string;
  /** Made by this call (its render job still has to be queued by the caller). */
  created: boolean;
}

/**
 * The dashboard export of one (report, execution, format) that every automatic reader shares: the
 * report's own auto exports (export_settings.autoExport), the files deliveries attach and the
 * downloads of share links. One row each, whoever asks first; an advisory lock makes concurrent
 * askers (the report service and the delivery worker) take turns, so none makes a second row.
 * Requested in the name of the workflow's creator or, once that user is gone, of an owner of its
 * organization (exports are private to their requester). Null when the report has nobody to own it.
 * Once that file expired, the next asker (a monthly digest of an old execution) gets a new one.
 */
export async function ensureAutoExport(
  prisma: PrismaClient, input: { configurationId: string; executionId: string; format: string },
): Promise<AutoExportRow | null> {
  const { configurationId, executionId, format } = input;
  const find = (client: Pick<PrismaClient, '$queryRaw'>) => client.$queryRaw<{ id: string; status: string }[]>`
    SELECT id, status FROM report_exports WHERE report_configuration_id = ${configurationId}::uuid AND execution_id = ${executionId}::uuid
      AND format = ${format} AND scope = 'dashboard' AND options->>'auto' = 'true'
      AND status <> 'expired' AND NOT (status = 'completed' AND expires_at <= now())
    ORDER BY requested_at DESC LIMIT 1`;
  // The common case (a fan-out's thousand sends asking for the file one render made): one read, no lock.
  const found = await find(prisma);
  if (found[0]) return { ...found[0], created: false };
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`auto-export:${configurationId}:${executionId}:${format}`}, 0))`;
    const existing = await find(tx);
    if (existing[0]) return { ...existing[0], created: false };
    const requester = await tx.$queryRaw<{ user_id: string | null }[]>`
      SELECT coalesce(w.created_by, (SELECT m.user_id FROM organization_members m WHERE m.organization_id = w.organization_id
                                     AND m.role = 'owner' ORDER BY m.created_at LIMIT 1)) AS user_id
      FROM report_configurations c JOIN workflows w ON w.id = c.workflow_id WHERE c.id = ${configurationId}::uuid`;
    const userId = requester[0]?.user_id;
    if (!userId) return null;
    const row = await tx.reportExport.create({
      data: { reportConfigurationId: configurationId, userId, format, scope: 'dashboard', executionId, options: { auto: true } },
      select: { id: true, status: true },
    });
    return { ...row, created: true };
  });
}
