import { unpackProfile, type ResultProfile, type StoredProfile } from '@amc-reports/contracts';
import type { RawSql } from './raw-sql';

/**
 * Parsed result profiles by execution, kept between jobs: every rebuild and every insight set of
 * a workflow reads the same dozen history profiles again (the storm bench found 87 % of
 * Postgres' time in those reads, and as much again parsing them in Node). An entry is valid for
 * one row version (`xmin`, which any update of the execution changes), so a profile written again
 * is read again. Outside production, profiles are deep-frozen: a builder that sorted or changed one
 * in place would corrupt every later build, and throws in every test instead. Production skips it
 * (freezing 2,000 objects a profile was 5 % of the insight worker's time in the storm bench).
 *
 * Eviction is random, not least-recently-used: the history reads of many workflows cycle through
 * more profiles than fit, and LRU then misses every time where random eviction keeps a share.
 */
export class ProfileCache {
  private readonly entries = new Map<string, { version: string; profile: ResultProfile }>();
  private readonly ids: string[] = [];
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number, private readonly random: () => number = Math.random) {}

  get(executionId: string, version: string): ResultProfile | undefined {
    const entry = this.entries.get(executionId);
    if (entry?.version === version) return entry.profile;
    return undefined;
  }

  set(executionId: string, version: string, profile: ResultProfile): void {
    if (this.capacity <= 0) return;
    if (!this.entries.has(executionId)) {
      if (this.ids.length >= this.capacity) {
        const index = Math.floor(this.random() * this.ids.length);
        this.entries.delete(this.ids[index]);
        this.ids[index] = executionId;
      } else {
        this.ids.push(executionId);
      }
    }
    this.entries.set(executionId, { version, profile: freezeOutsideProduction(profile) });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** NODE_ENV as the Node ecosystem uses it: anything but production (tests, development) freezes. */
const FREEZE_PROFILES = process.env.NODE_ENV !== 'production';

function freezeOutsideProduction<T>(value: T): T {
  return FREEZE_PROFILES ? deepFreeze(value) : value;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

/**
 * The (unpacked) profiles of these executions, only those a plan needs. With a cache: one small
 * query for the row versions, then only the profiles not cached at that version; without one, a
 * single query. Frozen outside production either way, so a reader that changes one fails in every
 * test, not only in the processes that cache.
 */
export async function readExecutionProfiles(client: RawSql, executionIds: readonly string[], cache?: ProfileCache): Promise<Map<string, ResultProfile>> {
  const found = new Map<string, ResultProfile>();
  if (executionIds.length === 0) return found;
  const ids = [...new Set(executionIds)];
  let missing = ids;
  if (cache) {
    const versions = await client.$queryRaw<Array<{ id: string; version: string }>>`
      SELECT id, xmin::text AS version FROM workflow_executions WHERE id = ANY(${ids}::uuid[]) AND result_profile IS NOT NULL`;
    missing = [];
    for (const { id, version } of versions) {
      const profile = cache.get(id, version);
      if (profile) found.set(id, profile);
      else missing.push(id);
    }
    cache.hits += found.size;
    cache.misses += missing.length;
    if (missing.length === 0) return found;
  }
  const rows = await client.$queryRaw<Array<{ id: string; version: string; result_profile: StoredProfile }>>`
    SELECT id, xmin::text AS version, result_profile FROM workflow_executions WHERE id = ANY(${missing}::uuid[]) AND result_profile IS NOT NULL`;
  for (const row of rows) {
    const profile = freezeOutsideProduction(unpackProfile(row.result_profile));
    cache?.set(row.id, row.version, profile);
    found.set(row.id, profile);
  }
  return found;
}
