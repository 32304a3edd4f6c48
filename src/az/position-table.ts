// A hash map from positions' binary keys (Game.writeKey: a few 32-bit words each) to
// non-negative int32 values, in flat typed arrays: open addressing, linear probing, and
// backward-shift deletion (no tombstones, so a long-lived LRU cache never degrades).
//
// The batched search looks every leaf up twice per simulation (the evaluation cache, and
// the round's pending rows with getOrInsert: one hash for the lookup and the insert). With
// string keys in Maps that was a string made and hashed per leaf plus the Maps' own work:
// ~0.4 µs of a 5.8 µs Pentago self-play simulation.

// A const enum, so that the probe loops compare with a literal: V8 (Node 20) loads a
// module-level const from the module's context at every use.
const enum Slot {
  /** A free slot's value; what get() answers for a key that is not in the table. */
  ABSENT = -1,
}

/** What get() answers for a key that is not in the table. */
export const ABSENT = Slot.ABSENT;

const MIN_SLOTS = 16;

export class PositionTable {
  readonly keyWords: number;
  private slots = 0;
  private used = 0;
  private keys = new Int32Array(0);
  private hashes = new Int32Array(0);
  /** ABSENT marks a free slot. */
  private values = new Int32Array(0);

  constructor(keyWords: number, expectedEntries = MIN_SLOTS) {
    if (!Number.isInteger(keyWords) || keyWords < 1) throw new RangeError(`position table: keyWords must be an integer >= 1, got ${keyWords}`);
    this.keyWords = keyWords;
    this.allocate(slotsFor(expectedEntries));
  }

  get size(): number {
    return this.used;
  }

  /** The value stored under words[offset .. offset+keyWords), or ABSENT. */
  get(words: Int32Array, offset: number): number {
    const slot = this.find(words, offset, hashKey(words, offset, this.keyWords));
    return slot < 0 ? Slot.ABSENT : this.values[slot]!;
  }

  /** Stores `value` (>= 0) under the key, replacing any value it had. */
  set(words: Int32Array, offset: number, value: number): void {
    checkValue(value);
    const hash = hashKey(words, offset, this.keyWords);
    const found = this.find(words, offset, hash);
    if (found >= 0) this.values[found] = value;
    else this.insert(words, offset, hash, value);
  }

  /**
   * The value stored under the key if there is one (the table unchanged); otherwise stores
   * `value` (>= 0) and returns ABSENT. get() then set() in one hash and one probe.
   */
  getOrInsert(words: Int32Array, offset: number, value: number): number {
    checkValue(value);
    const hash = hashKey(words, offset, this.keyWords);
    const found = this.find(words, offset, hash);
    if (found >= 0) return this.values[found]!;
    this.insert(words, offset, hash, value);
    return Slot.ABSENT;
  }

  /** Adds a key known to be absent. */
  private insert(words: Int32Array, offset: number, hash: number, value: number): void {
    // At most half full: probe runs stay short.
    if (2 * (this.used + 1) > this.slots) this.rehash(this.slots * 2);
    const kw = this.keyWords;
    const mask = this.slots - 1;
    let slot = hash & mask;
    while (this.values[slot] !== Slot.ABSENT) slot = (slot + 1) & mask;
    this.hashes[slot] = hash;
    this.values[slot] = value;
    const base = slot * kw;
    for (let i = 0; i < kw; i++) this.keys[base + i] = words[offset + i]!;
    this.used++;
  }

  /** Removes the key; false if it was not there. */
  delete(words: Int32Array, offset: number): boolean {
    let hole = this.find(words, offset, hashKey(words, offset, this.keyWords));
    if (hole < 0) return false;
    const { keyWords: kw, hashes, values, keys } = this;
    const mask = this.slots - 1;
    // Backward shift: pull later entries of the probe run into the hole unless that would
    // put one before its home slot.
    for (let next = (hole + 1) & mask; values[next] !== Slot.ABSENT; next = (next + 1) & mask) {
      const home = hashes[next]! & mask;
      // Distance from home to next and from home to hole, along the probe direction.
      if (((next - home) & mask) < ((next - hole) & mask)) continue;
      hashes[hole] = hashes[next]!;
      values[hole] = values[next]!;
      keys.copyWithin(hole * kw, next * kw, next * kw + kw);
      hole = next;
    }
    values[hole] = Slot.ABSENT;
    this.used--;
    return true;
  }

  clear(): void {
    if (this.used === 0) return;
    this.values.fill(Slot.ABSENT);
    this.used = 0;
  }

  private find(words: Int32Array, offset: number, hash: number): number {
    const { keyWords: kw, hashes, values, keys } = this;
    const mask = this.slots - 1;
    for (let slot = hash & mask; values[slot] !== Slot.ABSENT; slot = (slot + 1) & mask) {
      if (hashes[slot] !== hash) continue;
      const base = slot * kw;
      let i = 0;
      while (i < kw && keys[base + i] === words[offset + i]) i++;
      if (i === kw) return slot;
    }
    return -1;
  }

  private allocate(slots: number): void {
    this.slots = slots;
    this.keys = new Int32Array(slots * this.keyWords);
    this.hashes = new Int32Array(slots);
    this.values = new Int32Array(slots).fill(Slot.ABSENT);
    this.used = 0;
  }

  private rehash(slots: number): void {
    const { keys, values, slots: oldSlots } = this;
    this.allocate(slots);
    for (let slot = 0; slot < oldSlots; slot++) {
      if (values[slot] !== Slot.ABSENT) this.set(keys, slot * this.keyWords, values[slot]!);
    }
  }
}

function checkValue(value: number): void {
  if (value < 0 || !Number.isInteger(value)) throw new RangeError(`position table: values must be integers >= 0, got ${value}`);
}

function slotsFor(entries: number): number {
  let slots = MIN_SLOTS;
  while (slots < 2 * entries) slots *= 2;
  return slots;
}

/** Murmur3's word mixing and finaliser over the key's words; a slot's home is hash & (slots - 1). */
export function hashKey(words: Int32Array, offset: number, keyWords: number): number {
  let h = keyWords;
  for (let i = 0; i < keyWords; i++) {
    let k = Math.imul(words[offset + i]!, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
