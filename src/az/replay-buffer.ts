// The FIFO replay buffer: a ring of the most recent `capacity` positions. Rows are stored
// compactly (one-hot observations and masks as bytes, visit counts as 16-bit integers,
// outcomes as bytes) so the paper's 65,536 Pentago positions take ~47 MB, and so the whole
// buffer can be written to the resume state and read back bit for bit. Beside them, each
// row's policy target (its visit fractions, as float32s: ~75 MB more there), divided out once
// when the row arrives rather than each time a minibatch draws it: a row is drawn `reuse`
// times, and the divisions were most of filling a minibatch: 0.22 ms of Pentago's 256 rows,
// against 0.06 ms now and a w16 gradient pass of 1.3 ms.

import type { TrainingBatch } from './network.ts';
import type { GameRecord } from './selfplay.ts';

export class ReplayBuffer {
  readonly capacity: number;
  readonly inputSize: number;
  readonly numActions: number;
  private observations: Uint8Array;
  private legalMasks: Uint8Array;
  private visitCounts: Uint16Array;
  /** visitCounts as fractions of their row's total (zeros where it is 0). */
  private policyTargets: Float32Array;
  private valueTargets: Int8Array;
  /** Rows held (≤ capacity). */
  size = 0;
  /** Next row to write; the oldest row once full. */
  private head = 0;
  /** Rows ever added (for logs). */
  totalAdded = 0;

  constructor(capacity: number, inputSize: number, numActions: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`replay buffer: capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.inputSize = inputSize;
    this.numActions = numActions;
    this.observations = new Uint8Array(capacity * inputSize);
    this.legalMasks = new Uint8Array(capacity * numActions);
    this.visitCounts = new Uint16Array(capacity * numActions);
    this.policyTargets = new Float32Array(capacity * numActions);
    this.valueTargets = new Int8Array(capacity);
  }

  addGame(game: GameRecord): void {
    const { inputSize: n, numActions: a } = this;
    for (let i = 0; i < game.length; i++) {
      const row = this.head;
      this.observations.set(game.observations.subarray(i * n, (i + 1) * n), row * n);
      this.legalMasks.set(game.legalMasks.subarray(i * a, (i + 1) * a), row * a);
      this.visitCounts.set(game.visitCounts.subarray(i * a, (i + 1) * a), row * a);
      this.writePolicyTarget(row);
      this.valueTargets[row] = game.valueTargets[i]!;
      this.head = (this.head + 1) % this.capacity;
      if (this.size < this.capacity) this.size += 1;
      this.totalAdded += 1;
    }
  }

  /** Fills `out` with the given rows: floats for the network, visit counts normalised to fractions. */
  fillBatch(rows: ArrayLike<number>, out: TrainingBatch): void {
    const { inputSize: n, numActions: a, observations, legalMasks, policyTargets, valueTargets } = this;
    out.size = rows.length;
    // Whole rows by native copies (bytes to floats for the observations): element loops here
    // cost about a third of a small Pentago network's gradient pass.
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      out.observations.set(observations.subarray(row * n, (row + 1) * n), i * n);
      out.legalMasks.set(legalMasks.subarray(row * a, (row + 1) * a), i * a);
      out.policyTargets.set(policyTargets.subarray(row * a, (row + 1) * a), i * a);
      out.valueTargets[i] = valueTargets[row]!;
    }
  }

  private writePolicyTarget(row: number): void {
    const { numActions: a, visitCounts, policyTargets } = this;
    const from = row * a;
    let total = 0;
    for (let j = 0; j < a; j++) total += visitCounts[from + j]!;
    if (total > 0) for (let j = 0; j < a; j++) policyTargets[from + j] = visitCounts[from + j]! / total;
    else policyTargets.fill(0, from, from + a);
  }

  /** A batch object with room for `size` rows. */
  allocateBatch(size: number): TrainingBatch {
    return {
      size,
      observations: new Float32Array(size * this.inputSize),
      legalMasks: new Uint8Array(size * this.numActions),
      policyTargets: new Float32Array(size * this.numActions),
      valueTargets: new Float32Array(size),
    };
  }

  /** The buffer's bytes (sections in a fixed order) and the counters that go with them. */
  serialize(): { header: { size: number; head: number; totalAdded: number; capacity: number }; data: Uint8Array } {
    const parts = [this.observations, this.legalMasks, new Uint8Array(this.visitCounts.buffer), new Uint8Array(this.valueTargets.buffer)];
    const data = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
    let offset = 0;
    for (const p of parts) {
      data.set(p, offset);
      offset += p.byteLength;
    }
    return { header: { size: this.size, head: this.head, totalAdded: this.totalAdded, capacity: this.capacity }, data };
  }

  static deserialize(
    header: { size: number; head: number; totalAdded: number; capacity: number },
    data: Uint8Array,
    inputSize: number,
    numActions: number,
  ): ReplayBuffer {
    const buffer = new ReplayBuffer(header.capacity, inputSize, numActions);
    const c = header.capacity;
    const expected = c * inputSize + c * numActions + 2 * c * numActions + c;
    if (data.byteLength !== expected) throw new Error(`replay buffer: saved data has ${data.byteLength} bytes, expected ${expected}`);
    let offset = 0;
    const take = (bytes: number) => {
      const copy = data.slice(offset, offset + bytes);
      offset += bytes;
      return copy;
    };
    buffer.observations = take(c * inputSize);
    buffer.legalMasks = take(c * numActions);
    buffer.visitCounts = new Uint16Array(take(2 * c * numActions).buffer);
    for (let row = 0; row < c; row++) buffer.writePolicyTarget(row);
    buffer.valueTargets = new Int8Array(take(c).buffer);
    buffer.size = header.size;
    buffer.head = header.head;
    buffer.totalAdded = header.totalAdded;
    return buffer;
  }
}
