// Network evaluations by position (the game's key), least recently used evicted first.
// Self-play revisits the same positions constantly (openings, transpositions, the next
// move's subtree), and a hit costs a Map lookup instead of a row of a forward pass.
// Entries are only valid for the weights that produced them: clear() whenever they change.
//
// Entries live in slots of flat typed arrays, not in an array object each: allocating two
// small typed arrays per evaluation cost more than the tree search itself. get() returns a
// view into a slot, valid until the next get() or set(): SearchTree.expand copies it at once.

import type { Evaluation } from './mcts.ts';

const INITIAL_SLOTS = 1024;

export class EvaluationCache {
  readonly capacity: number;
  /** Most actions an evaluation can have (the game's action count): the size of a slot. */
  readonly slotSize: number;
  /** Key → slot, in least- to most-recently-used order (a Map iterates in insertion order). */
  private readonly slots = new Map<string, number>();
  private allocated = 0;
  private priors: Float32Array;
  private actions: Uint16Array;
  private counts: Int32Array;
  private values: Float32Array;
  /** What get() returns, refilled on every call. */
  private readonly view: Evaluation;

  constructor(capacity: number, slotSize: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`evaluation cache: capacity must be an integer >= 0, got ${capacity}`);
    this.capacity = capacity;
    this.slotSize = slotSize;
    const n = Math.min(capacity, INITIAL_SLOTS);
    this.priors = new Float32Array(n * slotSize);
    this.actions = new Uint16Array(n * slotSize);
    this.counts = new Int32Array(n);
    this.values = new Float32Array(n);
    this.view = { priors: this.priors, actions: this.actions, offset: 0, count: 0, value: 0 };
  }

  get size(): number {
    return this.slots.size;
  }

  get(key: string): Evaluation | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    const view = this.view;
    view.priors = this.priors;
    view.actions = this.actions;
    view.offset = slot * this.slotSize;
    view.count = this.counts[slot]!;
    view.value = this.values[slot]!;
    return view;
  }

  /** Stores a copy of `evaluation` (which must carry its actions). */
  set(key: string, evaluation: Evaluation): void {
    if (this.capacity === 0) return;
    if (evaluation.actions === null) throw new Error('evaluation cache: an evaluation without its actions cannot be cached');
    let slot = this.slots.get(key);
    if (slot !== undefined) {
      this.slots.delete(key);
    } else if (this.allocated < this.capacity) {
      slot = this.allocated++;
      if (slot === this.counts.length) this.grow();
    } else {
      const [oldestKey, oldestSlot] = this.slots.entries().next().value as [string, number];
      this.slots.delete(oldestKey);
      slot = oldestSlot;
    }
    this.slots.set(key, slot);
    const { offset, count } = evaluation;
    const base = slot * this.slotSize;
    const { priors, actions } = this;
    for (let i = 0; i < count; i++) {
      priors[base + i] = evaluation.priors[offset + i]!;
      actions[base + i] = evaluation.actions[offset + i]!;
    }
    this.counts[slot] = count;
    this.values[slot] = evaluation.value;
  }

  clear(): void {
    this.slots.clear();
    this.allocated = 0;
  }

  private grow(): void {
    const n = Math.min(this.capacity, this.counts.length * 2);
    this.priors = copyInto(this.priors, new Float32Array(n * this.slotSize));
    this.actions = copyInto(this.actions, new Uint16Array(n * this.slotSize));
    this.counts = copyInto(this.counts, new Int32Array(n));
    this.values = copyInto(this.values, new Float32Array(n));
  }
}

function copyInto<T extends Float32Array | Uint16Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
