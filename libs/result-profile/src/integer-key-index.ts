const EMPTY_KEY = -1;
const INITIAL_CAPACITY = 1024;

/**
 * A map from non-negative integer keys (below 2^53) to ids, as an open-addressing table of typed
 * arrays: the facet × dimension pair keys are looked up once per cross per row, and this is
 * several times cheaper than a `Map` there. Grows with the keys it holds (the caller caps those).
 */
export class IntegerKeyIndex {
  private keys = new Float64Array(INITIAL_CAPACITY).fill(EMPTY_KEY);
  private ids = new Int32Array(INITIAL_CAPACITY);
  private size = 0;

  get(key: number): number | undefined {
    const keys = this.keys;
    const mask = keys.length - 1;
    let slot = slotOf(key) & mask;
    for (;;) {
      const held = keys[slot];
      if (held === key) return this.ids[slot];
      if (held === EMPTY_KEY) return undefined;
      slot = (slot + 1) & mask;
    }
  }

  /** Adds a key that `get` did not find. */
  set(key: number, id: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    this.insert(this.keys, this.ids, key, id);
    this.size++;
  }

  private insert(keys: Float64Array, ids: Int32Array, key: number, id: number): void {
    const mask = keys.length - 1;
    let slot = slotOf(key) & mask;
    while (keys[slot] !== EMPTY_KEY) slot = (slot + 1) & mask;
    keys[slot] = key;
    ids[slot] = id;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2).fill(EMPTY_KEY);
    const ids = new Int32Array(this.keys.length * 2);
    for (let slot = 0; slot < this.keys.length; slot++) {
      if (this.keys[slot] !== EMPTY_KEY) this.insert(keys, ids, this.keys[slot], this.ids[slot]);
    }
    this.keys = keys;
    this.ids = ids;
  }
}

/** Mixes both 32-bit halves of the key (pair keys are `first * stride + second`). */
function slotOf(key: number): number {
  const low = key >>> 0;
  const high = (key / 4294967296) | 0;
  const mixed = Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1);
  return mixed ^ (mixed >>> 15);
}
