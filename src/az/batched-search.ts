// Many PUCT searches advanced in lockstep, one simulation per tree per round, with the new
// leaves of all trees sent to the network in ONE call per round. Self-play (both sides of its
// own games) and the tournament's agent player (its side of many matches) both search this
// way; the batch is the number of trees, minus cache hits, terminal leaves and positions
// already in the round's batch.

import { EvaluationCache } from './evaluation-cache.ts';
import { ABSENT, PositionTable } from './position-table.ts';
import type { SearchTree } from './mcts.ts';
import type { Prediction } from './network.ts';
import type { Game } from '../games/game.ts';

/**
 * The network as a search sees it: batched inference over row-major observations and legal
 * masks. The prediction's arrays are the caller's from then on, never written again: trees
 * keep their rows of them for the rest of the move instead of copying them.
 */
export interface BatchEvaluator {
  predict(observations: Float32Array, legalMasks: Uint8Array, batch: number): Prediction;
}

export interface SearchCounters {
  /** MCTS simulations run (one per tree per round). */
  simulations: number;
  /** Positions the network evaluated (rows of its batches). */
  evaluations: number;
  /** Leaves answered by the cache or by an identical leaf of the same round: evaluations saved. */
  cacheHits: number;
  /** Leaves that were terminal: exact values, no evaluation. */
  terminalLeaves: number;
  /** Batched network calls. */
  networkCalls: number;
}

export function emptyCounters(): SearchCounters {
  return { simulations: 0, evaluations: 0, cacheHits: 0, terminalLeaves: 0, networkCalls: 0 };
}

/** waiting[] of a tree whose leaf needs no row this round (terminal, or answered by the cache). */
const NO_ROW = -1;
/** The prediction of a round without rows. */
const NO_ROWS: Int32Array = new Int32Array(0);
const NO_VALUES: Float32Array = new Float32Array(0);

export class BatchedSearch<S> {
  readonly game: Game<S>;
  /** null when disabled: the search then skips it per leaf rather than asking an empty one. */
  private readonly cache: EvaluationCache | null;
  private observations = new Float32Array(0);
  private masks = new Uint8Array(0);
  /** Per batch row: its position's key (Game.writeKey, keyWords words per row). */
  private rowKeys = new Int32Array(0);
  /** Rows of the round's batch so far. */
  private rows = 0;
  /** Per tree: the batch row its leaf waits on (its own, or an identical leaf's), or NO_ROW. */
  private waiting = new Int32Array(0);
  private readonly rowOfKey: PositionTable;

  /** `cacheSize` evaluations are kept by position; 0 disables the cache. */
  constructor(game: Game<S>, cacheSize: number) {
    this.game = game;
    this.cache = cacheSize === 0 ? null : new EvaluationCache(cacheSize, game.numActions, game.keyWords);
    this.rowOfKey = new PositionTable(game.keyWords);
  }

  /** Forget cached evaluations: call whenever the weights change. */
  clearCache(): void {
    this.cache?.clear();
  }

  /**
   * `simulations` rounds over `trees` (each already reset() to its root). After a network
   * call each tree takes its row and at once descends for the next round while its nodes are
   * still in the cache: a round walks all trees between two calls that evict them, and a
   * second walk (descents, then expansions) cost each tree its cold misses twice. Trees are
   * independent and the cache is written for the whole batch before it is read again, so
   * this order gives what descending all, then expanding all, gives.
   */
  run(trees: readonly SearchTree<S>[], net: BatchEvaluator, simulations: number, counters: SearchCounters): void {
    if (simulations <= 0) return;
    this.ensureRows(trees.length);
    const { game, cache } = this;
    const numActions = game.numActions;
    const kw = game.keyWords;
    this.beginRound();
    for (let i = 0; i < trees.length; i++) this.descend(trees[i]!, i, counters);
    for (let round = 0; round < simulations; round++) {
      const rows = this.rows;
      const next = round + 1 < simulations;
      this.beginRound();
      // A round without rows (every leaf terminal or answered already) calls no network.
      let policyBits = NO_ROWS;
      let value = NO_VALUES;
      if (rows > 0) {
        const prediction = net.predict(this.observations, this.masks, rows);
        counters.networkCalls += 1;
        counters.evaluations += rows;
        const { policy } = prediction;
        value = prediction.value;
        if (cache !== null) for (let row = 0; row < rows; row++) cache.set(this.rowKeys, row * kw, policy, row * numActions, value[row]!);
        // The trees keep their rows of the prediction itself, which is theirs (BatchEvaluator).
        policyBits = new Int32Array(policy.buffer, policy.byteOffset, rows * numActions);
      }
      const waiting = this.waiting;
      for (let i = 0; i < trees.length; i++) {
        const tree = trees[i]!;
        const row = waiting[i]!;
        if (row !== NO_ROW) tree.expandOwnedRow(policyBits, row * numActions, value[row]!);
        if (next) this.descend(tree, i, counters);
      }
    }
  }

  private beginRound(): void {
    this.rows = 0;
    this.rowOfKey.clear();
  }

  /**
   * One simulation's descent of tree `i`: a terminal leaf or a cache hit is done at once;
   * otherwise the leaf waits on a row of the round's batch, its own (written here) or that of
   * an identical leaf of the round.
   */
  private descend(tree: SearchTree<S>, i: number, counters: SearchCounters): void {
    counters.simulations += 1;
    this.waiting[i] = NO_ROW;
    const leaf = tree.descend();
    if (leaf === null) {
      counters.terminalLeaves += 1;
      return;
    }
    const { game, rowKeys } = this;
    // The key goes where the next row's would: kept if the leaf becomes that row.
    const row = this.rows;
    const key = row * game.keyWords;
    game.writeKey(leaf, rowKeys, key);
    const cached = this.cache?.get(rowKeys, key);
    if (cached !== undefined) {
      counters.cacheHits += 1;
      tree.expandRow(cached.priors, cached.offset, cached.value);
      return;
    }
    const pending = this.rowOfKey.getOrInsert(rowKeys, key, row);
    if (pending !== ABSENT) {
      counters.cacheHits += 1;
      this.waiting[i] = pending;
      return;
    }
    game.writeObservation(leaf, this.observations, row * game.observationSize);
    game.legalMask(leaf, this.masks, row * game.numActions);
    this.waiting[i] = row;
    this.rows = row + 1;
  }

  private ensureRows(n: number): void {
    if (this.waiting.length >= n) return;
    this.observations = new Float32Array(n * this.game.observationSize);
    this.rowKeys = new Int32Array(n * this.game.keyWords);
    this.masks = new Uint8Array(n * this.game.numActions);
    this.waiting = new Int32Array(n);
  }
}
