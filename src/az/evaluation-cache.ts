// Network evaluations by position (the game's binary key, Game.writeKey), least recently used evicted first.
// Self-play revisits the same positions constantly (openings, transpositions, the next
// move's subtree), and a hit costs a hash lookup instead of a row of a forward pass.
// Entries are only valid for the weights that produced them: clear() whenever they change.
//
// An entry is the network's whole row (every action's prior) and value, as SearchTree.expandRow
// takes it. Entries live in slots of flat typed arrays, not in an array object each:
// allocating small typed arrays per evaluation cost more than the tree search itself. get()
// returns a view into a slot, valid until the next get() or set(): expandRow copies it at once.

import { copyRange } from './copy-range.ts';
import { ABSENT, PositionTable } from './position-table.ts';

const INITIAL_SLOTS = 1024;
// A const enum, written in where used: V8 (Node 20) loads a module-level const from the
// module's context at every use.
const enum Lru {
  /** No slot: the end of the recency list. */
  NONE = -1,
}

/** A cached evaluation: priors[offset .. offset+rowSize) and the value for the player to move. */
export interface CachedRow {
  priors: Float32Array;
  offset: number;
  value: number;
}

export class EvaluationCache {
  readonly capacity: number;
  /** Priors per entry: the game's action count. */
  readonly rowSize: number;
  readonly keyWords: number;
  /** Key → slot. */
  private readonly slotOf: PositionTable;
  private allocated = 0;
  private priors: Float32Array;
  private values: Float32Array;
  /** Each slot's key, to take it out of the table when the slot is reused. */
  private slotKeys: Int32Array;
  // Slots from least to most recently used, as a doubly linked list.
  private older: Int32Array;
  private newer: Int32Array;
  private oldest = Lru.NONE;
  private newest = Lru.NONE;
  /** What get() returns, refilled on every call. */
  private readonly view: CachedRow;

  constructor(capacity: number, rowSize: number, keyWords: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`evaluation cache: capacity must be an integer >= 0, got ${capacity}`);
    this.capacity = capacity;
    this.rowSize = rowSize;
    this.keyWords = keyWords;
    const n = Math.min(capacity, INITIAL_SLOTS);
    this.slotOf = new PositionTable(keyWords, n);
    this.priors = new Float32Array(n * rowSize);
    this.values = new Float32Array(n);
    this.slotKeys = new Int32Array(n * keyWords);
    this.older = new Int32Array(n);
    this.newer = new Int32Array(n);
    this.view = { priors: this.priors, offset: 0, value: 0 };
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** The evaluation stored under the key words[offset .. offset+keyWords) (Game.writeKey), now the most recently used. */
  get(words: Int32Array, offset: number): CachedRow | undefined {
    if (this.allocated === 0) return undefined;
    const slot = this.slotOf.get(words, offset);
    if (slot === ABSENT) return undefined;
    this.touch(slot);
    const view = this.view;
    view.priors = this.priors;
    view.offset = slot * this.rowSize;
    view.value = this.values[slot]!;
    return view;
  }

  /** Stores a copy of the row priors[rowOffset .. rowOffset+rowSize) and its value under the key. */
  set(words: Int32Array, offset: number, priors: Float32Array, rowOffset: number, value: number): void {
    if (this.capacity === 0) return;
    let slot = this.slotOf.get(words, offset);
    if (slot !== ABSENT) {
      this.touch(slot);
    } else {
      if (this.allocated < this.capacity) {
        slot = this.allocated++;
        if (slot === this.values.length) this.grow();
      } else {
        slot = this.oldest;
        this.unlink(slot);
        this.slotOf.delete(this.slotKeys, slot * this.keyWords);
      }
      this.append(slot);
      const kw = this.keyWords;
      for (let i = 0; i < kw; i++) this.slotKeys[slot * kw + i] = words[offset + i]!;
      this.slotOf.set(words, offset, slot);
    }
    copyRange(priors, rowOffset, this.priors, slot * this.rowSize, this.rowSize);
    this.values[slot] = value;
  }

  clear(): void {
    this.slotOf.clear();
    this.allocated = 0;
    this.oldest = Lru.NONE;
    this.newest = Lru.NONE;
  }

  private touch(slot: number): void {
    if (slot === this.newest) return;
    this.unlink(slot);
    this.append(slot);
  }

  private unlink(slot: number): void {
    const before = this.older[slot]!;
    const after = this.newer[slot]!;
    if (before === Lru.NONE) this.oldest = after;
    else this.newer[before] = after;
    if (after === Lru.NONE) this.newest = before;
    else this.older[after] = before;
  }

  private append(slot: number): void {
    this.older[slot] = this.newest;
    this.newer[slot] = Lru.NONE;
    if (this.newest === Lru.NONE) this.oldest = slot;
    else this.newer[this.newest] = slot;
    this.newest = slot;
  }

  private grow(): void {
    const n = Math.min(this.capacity, this.values.length * 2);
    this.priors = copyInto(this.priors, new Float32Array(n * this.rowSize));
    this.values = copyInto(this.values, new Float32Array(n));
    this.slotKeys = copyInto(this.slotKeys, new Int32Array(n * this.keyWords));
    this.older = copyInto(this.older, new Int32Array(n));
    this.newer = copyInto(this.newer, new Int32Array(n));
  }
}

function copyInto<T extends Float32Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
