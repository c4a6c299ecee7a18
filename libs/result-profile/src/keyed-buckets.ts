import { OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { IntegerKeyIndex } from './integer-key-index';
import { MetricAccumulator, MetricTable } from './metric-accumulator';

interface KeyIndex<K> {
  get(key: K): number | undefined;
  set(key: K, id: number): void;
}

export interface TopBuckets<K> {
  top: Array<[K, MetricAccumulator]>;
  /** Everything past the top K plus keys never tracked; null when nothing was folded. */
  other: MetricAccumulator | null;
  distinctKeys: number;
  /** False when keys past the tracking cap were folded without being told apart. */
  exact: boolean;
}

/** Returned by `add` for a row that went to the overflow bucket (its key was not tracked). */
export const UNTRACKED_KEY_ID = -1;

/**
 * Buckets by key with a hard cap on the number of keys held (bounded memory).
 *
 * Why an exact cap instead of a heavy-hitter sketch (Space-Saving, count-min): a sketch would move
 * sums between keys, and a dashboard must never show a campaign with another campaign's sales.
 * The first `maxKeys` distinct keys are tracked exactly; a key first seen after the cap is full
 * goes straight to `__other__`. AMC results are aggregates (one row per campaign / day / segment),
 * so real results rarely come near the default cap (10 × K = 10,000 keys); when one does, the
 * profile says so (`dimensionKeyCounts[...].exact = false`).
 *
 * Keys get small integer ids in order of first appearance, so a pair of dimensions can be keyed
 * by one number instead of a concatenated string (the hot path of the profile).
 */
export class KeyedBuckets<K extends string | number> {
  private readonly ids: KeyIndex<K>;
  private readonly keys: K[] = [];
  private readonly table: MetricTable;
  private overflow: MetricAccumulator | null = null;

  constructor(
    private readonly metricCount: number,
    private readonly maxKeys: number,
    /** `integer` for non-negative integer keys (pair keys): a typed-array index instead of a Map. */
    private readonly keyType: 'string' | 'integer' = 'string',
  ) {
    this.ids = (keyType === 'integer' ? new IntegerKeyIndex() : new Map<K, number>()) as KeyIndex<K>;
    this.table = new MetricTable(metricCount);
  }

  /** Adds a row to the key's bucket; returns the key's id, or UNTRACKED_KEY_ID when it went to overflow. */
  add(key: K, values: Float64Array, filtered: boolean): number {
    const id = this.idFor(key);
    this.addAt(id, values, filtered);
    return id;
  }

  /**
   * The key's id, given on first sight while there is room; UNTRACKED_KEY_ID once the cap is full.
   * Stable: the same key always gets the same answer, so a caller may remember it.
   */
  idFor(key: K): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.keys.length >= this.maxKeys) return UNTRACKED_KEY_ID;
      id = this.keys.length;
      this.ids.set(key, id);
      this.keys.push(key);
      this.table.addBucket();
    }
    return id;
  }

  /** Adds a row to the bucket of an id from `idFor` (UNTRACKED_KEY_ID: the overflow bucket). */
  addAt(id: number, values: Float64Array, filtered: boolean): void {
    if (id === UNTRACKED_KEY_ID) this.addUntracked(values, filtered);
    else this.table.add(id, values, filtered);
  }

  /** For rows whose key cannot be tracked (e.g. a pair with an untracked half). */
  addUntracked(values: Float64Array, filtered: boolean): void {
    this.overflow ??= new MetricAccumulator(this.metricCount);
    this.overflow.add(values, filtered);
  }

  keyOf(id: number): K {
    return this.keys[id];
  }

  get size(): number {
    return this.keys.length;
  }

  /** Rows that went to the overflow bucket. */
  get untrackedRowCount(): number {
    return this.overflow?.rowCount ?? 0;
  }

  /** All tracked buckets in key order (ISO dates sort naturally). */
  sortedByKey(): Array<[K, MetricAccumulator]> {
    return this.entries().sort(([a], [b]) => compareKeys(a, b));
  }

  /** The `k` largest buckets by row count (ties by key); the rest, and the overflow, folded into `other`. */
  topK(k: number): TopBuckets<K> {
    const ranked = this.entries()
      .filter(([key]) => key !== OTHER_BUCKET_KEY)
      .sort(([keyA, a], [keyB, b]) => b.rowCount - a.rowCount || compareKeys(keyA, keyB));
    let other: MetricAccumulator | null = null;
    const fold = (bucket: MetricAccumulator): void => {
      other ??= new MetricAccumulator(this.metricCount);
      other.merge(bucket);
    };
    for (const [, bucket] of ranked.slice(k)) fold(bucket);
    // A data value spelled like the reserved key is folded too, so `__other__` appears once.
    const literalOther = this.keyType === 'string' ? this.ids.get(OTHER_BUCKET_KEY as K) : undefined;
    if (literalOther !== undefined) fold(this.table.accumulator(literalOther));
    if (this.overflow) fold(this.overflow);
    return { top: ranked.slice(0, k), other, distinctKeys: this.keys.length, exact: this.overflow === null };
  }

  private entries(): Array<[K, MetricAccumulator]> {
    return this.keys.map((key, id) => [key, this.table.accumulator(id)]);
  }
}

/** Code-unit / numeric order: deterministic and locale-independent. */
function compareKeys<K extends string | number>(a: K, b: K): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
