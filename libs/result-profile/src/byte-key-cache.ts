/** Returned by `get` for bytes not (yet) remembered. */
export const CACHE_MISS = -1;

const EMPTY_SLOT = 0;
const INITIAL_SLOTS = 256;

export interface ByteKeyCacheLimits {
  /** Distinct byte strings remembered; later ones are not (the caller reads them the slow way). */
  maxEntries: number;
  /** Bytes kept for all remembered strings together. */
  maxBytes: number;
  /** Longer cells are never remembered. */
  maxKeyBytes: number;
}

export const DEFAULT_BYTE_KEY_CACHE_LIMITS: ByteKeyCacheLimits = { maxEntries: 16_384, maxBytes: 1 << 20, maxKeyBytes: 256 };

/**
 * A hash table from a cell's raw bytes to a small non-negative integer (what reading the cell
 * gave: a bucket id and what it counted), so a value repeated over a million rows is hashed and
 * compared in place instead of decoded, normalised and looked up by string each time.
 *
 * Bounded: it grows to at most `maxEntries` strings of at most `maxKeyBytes` bytes, `maxBytes` in
 * all; past that, new strings are simply not remembered. That is always correct because the
 * remembered answer is only a shortcut for what the slow path computes, and that answer never
 * changes (bucket ids are stable).
 *
 * Use: `get(bytes)`; on CACHE_MISS compute the answer and `set(bytes, answer)` for the same bytes
 * straight after (it reuses the hash and slot that `get` found).
 */
export class ByteKeyCache {
  /** Per slot: entry index + 1, or EMPTY_SLOT. Open addressing, linear probing, at most half full. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private hashes = new Int32Array(INITIAL_SLOTS / 2);
  private offsets = new Int32Array(INITIAL_SLOTS / 2);
  private lengths = new Int32Array(INITIAL_SLOTS / 2);
  private values = new Int32Array(INITIAL_SLOTS / 2);
  private arena = Buffer.allocUnsafe(4096);
  private arenaUsed = 0;
  private size = 0;
  private missHash = 0;
  private missSlot = -1;

  constructor(private readonly limits: ByteKeyCacheLimits = DEFAULT_BYTE_KEY_CACHE_LIMITS) {}

  get(buffer: Buffer, start: number, end: number): number {
    const length = end - start;
    if (length > this.limits.maxKeyBytes) {
      this.missSlot = -1;
      return CACHE_MISS;
    }
    // FNV-1a: cheap, and spreads the short ASCII keys AMC results are made of well enough.
    let hash = 0x811c9dc5 | 0;
    for (let index = start; index < end; index++) hash = Math.imul(hash ^ buffer[index], 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot];
      if (entry === EMPTY_SLOT) break;
      const index = entry - 1;
      if (this.hashes[index] === hash && this.lengths[index] === length && this.sameBytes(index, buffer, start, length)) {
        return this.values[index];
      }
      slot = (slot + 1) & mask;
    }
    this.missHash = hash;
    this.missSlot = slot;
    return CACHE_MISS;
  }

  set(buffer: Buffer, start: number, end: number, value: number): void {
    const length = end - start;
    if (this.missSlot === -1 || this.size >= this.limits.maxEntries || this.arenaUsed + length > this.limits.maxBytes) return;
    if (this.arenaUsed + length > this.arena.length) this.growArena(this.arenaUsed + length);
    buffer.copy(this.arena, this.arenaUsed, start, end);
    const index = this.size++;
    if (index === this.hashes.length) this.growEntries();
    this.hashes[index] = this.missHash;
    this.offsets[index] = this.arenaUsed;
    this.lengths[index] = length;
    this.values[index] = value;
    this.arenaUsed += length;
    this.slots[this.missSlot] = index + 1;
    this.missSlot = -1;
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private sameBytes(index: number, buffer: Buffer, start: number, length: number): boolean {
    const arena = this.arena;
    const offset = this.offsets[index];
    for (let at = 0; at < length; at++) if (arena[offset + at] !== buffer[start + at]) return false;
    return true;
  }

  private growArena(needed: number): void {
    const arena = Buffer.allocUnsafe(Math.min(this.limits.maxBytes, Math.max(needed, this.arena.length * 2)));
    this.arena.copy(arena, 0, 0, this.arenaUsed);
    this.arena = arena;
  }

  private growEntries(): void {
    const capacity = this.hashes.length * 2;
    const grow = (from: Int32Array): Int32Array<ArrayBuffer> => {
      const to = new Int32Array(capacity);
      to.set(from);
      return to;
    };
    this.hashes = grow(this.hashes);
    this.offsets = grow(this.offsets);
    this.lengths = grow(this.lengths);
    this.values = grow(this.values);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let index = 0; index < this.size; index++) {
      let slot = this.hashes[index] & mask;
      while (slots[slot] !== EMPTY_SLOT) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    this.slots = slots;
  }
}
