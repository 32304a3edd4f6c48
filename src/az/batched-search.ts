// Many PUCT searches advanced in lockstep, one simulation per tree per round, with the new
// leaves of all trees sent to the network in ONE call per round. Self-play (both sides of its
// own games) and the tournament's agent player (its side of many matches) both search this
// way, through a search forest (search-forest.ts): this is its JavaScript implementation, and
// assembly/wasm-search.ts its WebAssembly one. The batch is the number of trees, minus cache
// hits, terminal leaves and positions already in the round's batch.

import { EvaluationCache } from './evaluation-cache.ts';
import { ABSENT, PositionTable } from './position-table.ts';
import type { SearchTree } from './mcts.ts';
import type { Prediction } from './network.ts';
import type { Game } from '../games/game.ts';

/**
 * The network as a search sees it: batched inference over row-major observations and legal
 * masks, with priors of exactly 0 on illegal actions (a masked softmax's): trees rank a row's
 * actions by prior without the mask. The prediction's arrays are the caller's from then on,
 * never written again: trees keep their rows of them for the rest of the move instead of
 * copying them.
 */
export interface BatchEvaluator {
  predict(observations: Float32Array, legalMasks: Uint8Array, batch: number): Prediction;
  /** Optional: predict()'s numbers written into the first rows of out's arrays, for a search that keeps them in its own storage. */
  predictInto?(observations: Float32Array, legalMasks: Uint8Array, batch: number, out: Prediction): void;
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

export class BatchedSearch<S> {
  readonly game: Game<S>;
  /** null when disabled: the search then skips it per leaf rather than asking an empty one. */
  private readonly cache: EvaluationCache | null;
  private observations = new Float32Array(0);
  private masks = new Uint8Array(0);
  // Per batch row: its position's key (Game.writeKey, keyWords words per row) and the trees
  // waiting on it (the first, then any duplicates).
  private rowKeys = new Int32Array(0);
  private rowTrees: SearchTree<S>[] = [];
  private duplicateRows: number[] = [];
  private duplicateTrees: SearchTree<S>[] = [];
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

  /** `simulations` rounds over `trees` (each already reset() to its root). */
  run(trees: readonly SearchTree<S>[], net: BatchEvaluator, simulations: number, counters: SearchCounters): void {
    this.ensureRows(trees.length);
    const { game, cache, rowKeys, rowTrees, duplicateRows, duplicateTrees, rowOfKey } = this;
    const nIn = game.observationSize;
    const numActions = game.numActions;
    const kw = game.keyWords;
    for (let round = 0; round < simulations; round++) {
      rowTrees.length = 0;
      duplicateRows.length = 0;
      duplicateTrees.length = 0;
      rowOfKey.clear();
      for (const tree of trees) {
        counters.simulations += 1;
        const leaf = tree.descend();
        if (leaf === null) {
          counters.terminalLeaves += 1;
          continue;
        }
        // The key goes where the next row's would: kept if the leaf becomes that row.
        const row = rowTrees.length;
        const key = row * kw;
        game.writeKey(leaf, rowKeys, key);
        const cached = cache?.get(rowKeys, key);
        if (cached !== undefined) {
          counters.cacheHits += 1;
          tree.expandRow(cached.priors, cached.offset, cached.value);
          continue;
        }
        const pending = rowOfKey.getOrInsert(rowKeys, key, row);
        if (pending !== ABSENT) {
          counters.cacheHits += 1;
          duplicateRows.push(pending);
          duplicateTrees.push(tree);
          continue;
        }
        game.writeObservation(leaf, this.observations, row * nIn);
        game.legalMask(leaf, this.masks, row * numActions);
        rowTrees.push(tree);
      }
      const rows = rowTrees.length;
      if (rows === 0) continue;
      const prediction = net.predict(this.observations, this.masks, rows);
      counters.networkCalls += 1;
      counters.evaluations += rows;
      const { policy, value } = prediction;
      // The trees keep their rows of the prediction itself, which is theirs (BatchEvaluator).
      const policyBits = new Int32Array(policy.buffer, policy.byteOffset, rows * numActions);
      for (let row = 0; row < rows; row++) {
        cache?.set(rowKeys, row * kw, policy, row * numActions, value[row]!);
        rowTrees[row]!.expandOwnedRow(policyBits, row * numActions, value[row]!);
      }
      for (let i = 0; i < duplicateRows.length; i++) {
        const row = duplicateRows[i]!;
        duplicateTrees[i]!.expandOwnedRow(policyBits, row * numActions, value[row]!);
      }
    }
  }

  private ensureRows(n: number): void {
    if (this.observations.length >= n * this.game.observationSize) return;
    this.observations = new Float32Array(n * this.game.observationSize);
    this.rowKeys = new Int32Array(n * this.game.keyWords);
    this.masks = new Uint8Array(n * this.game.numActions);
  }
}
