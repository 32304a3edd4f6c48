// Network evaluations by position (the game's key), least recently used evicted first.
// Self-play revisits the same positions constantly (openings, transpositions, the next
// move's subtree), and a hit costs a Map lookup instead of a row of a forward pass.
// Entries are only valid for the weights that produced them: clear() whenever they change.

import type { Evaluation } from './mcts.ts';

export class EvaluationCache {
  readonly capacity: number;
  private readonly entries = new Map<string, Evaluation>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`evaluation cache: capacity must be an integer >= 0, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Evaluation | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // A Map iterates in insertion order: re-inserting makes this the most recent.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, evaluation: Evaluation): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, evaluation);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
