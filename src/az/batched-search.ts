// Many PUCT searches advanced in lockstep, one simulation per tree per round, with the new
// leaves of all trees sent to the network in ONE call per round. Self-play (both sides of its
// own games) and the tournament's agent player (its side of many matches) both search this
// way; the batch is the number of trees, minus cache hits, terminal leaves and positions
// already in the round's batch.

import { EvaluationCache } from './evaluation-cache.ts';
import { ABSENT, PositionTable } from './position-table.ts';
import type { EdgeArrays, Evaluation, SearchTree } from './mcts.ts';
import type { Prediction } from './network.ts';
import type { Game } from '../games/game.ts';

/** The network as a search sees it: batched inference over row-major observations and legal masks. */
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

/** Four legal-mask bytes of 1, read as one word (either byte order). */
const ALL_LEGAL = 0x01010101;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export class BatchedSearch<S> {
  readonly game: Game<S>;
  private readonly cache: EvaluationCache;
  private observations = new Float32Array(0);
  private masks = new Uint8Array(0);
  /** The masks as 32-bit words (the same memory), or null when rows are not word-aligned. */
  private maskWords: Uint32Array | null = null;
  /**
   * One view per batch row of its evaluation, compacted to the legal actions in the edges of
   * the tree that asked for it, reused every round (an object per row and round was GC work).
   */
  private roundEvaluations: Evaluation[] = [];
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
    this.cache = new EvaluationCache(cacheSize, game.numActions, game.keyWords);
    this.rowOfKey = new PositionTable(game.keyWords);
  }

  /** Forget cached evaluations: call whenever the weights change. */
  clearCache(): void {
    this.cache.clear();
  }

  /** `simulations` rounds over `trees` (each already reset() to its root). */
  run(trees: readonly SearchTree<S>[], net: BatchEvaluator, simulations: number, counters: SearchCounters): void {
    this.ensureRows(trees.length);
    const { game, rowKeys, rowTrees, duplicateRows, duplicateTrees, rowOfKey } = this;
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
        const cached = this.cache.get(rowKeys, key);
        if (cached !== undefined) {
          counters.cacheHits += 1;
          tree.expand(cached);
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
      const evaluations = this.roundEvaluations;
      const policyBits = new Int32Array(prediction.policy.buffer, prediction.policy.byteOffset, prediction.policy.length);
      // Each row goes straight into its tree's edges; duplicates and the cache copy it from
      // there before the tree finishes its expansion (which adds root noise in place).
      for (let row = 0; row < rows; row++) {
        const tree = rowTrees[row]!;
        const first = tree.reserveEdges(numActions);
        const evaluation = evaluations[row]!;
        evaluation.priors = tree.edges.priors;
        evaluation.actions = tree.edges.actions;
        evaluation.offset = first;
        evaluation.count = this.writeLegal(policyBits, row, tree.edges, first);
        evaluation.value = prediction.value[row]!;
        this.cache.set(rowKeys, row * kw, evaluation);
      }
      for (let i = 0; i < duplicateRows.length; i++) duplicateTrees[i]!.expand(evaluations[duplicateRows[i]!]!);
      for (let row = 0; row < rows; row++) rowTrees[row]!.finishExpansion(evaluations[row]!.count, evaluations[row]!.value);
    }
  }

  private ensureRows(n: number): void {
    if (this.observations.length >= n * this.game.observationSize) return;
    this.observations = new Float32Array(n * this.game.observationSize);
    this.rowKeys = new Int32Array(n * this.game.keyWords);
    this.masks = new Uint8Array(n * this.game.numActions);
    // Rows start on word boundaries only when the action count is a multiple of 4; action
    // pairs are packed low half first, so the word path also needs a little-endian machine.
    this.maskWords = this.game.numActions % 4 === 0 && LITTLE_ENDIAN ? new Uint32Array(this.masks.buffer) : null;
    this.roundEvaluations = Array.from({ length: n }, () => ({ priors: new Float32Array(0), actions: null, offset: 0, count: 0, value: 0 }));
  }

  /**
   * Writes a row of the network's masked softmax, cut down to the legal actions in increasing
   * action order, and those actions, into `edges` from index `first` (even); returns how many.
   * Priors move as their float32 bits (integer copies: no float conversions), so the tree's
   * priors are the network's bytes.
   */
  private writeLegal(policyBits: Int32Array, row: number, edges: EdgeArrays, first: number): number {
    const numActions = this.game.numActions;
    const { masks } = this;
    const { priorBits, actions, actionPairs } = edges;
    const offset = row * numActions;
    let k = first;
    let a = 0;
    const words = this.maskWords;
    if (words !== null) {
      // Four mask bytes at a time: Pentago's actions come in runs of 8 per cell, so words
      // are all legal or all illegal. Such a word is written at k whatever it holds, and k
      // moves on by 4 or 0: no branch on legality, which follows the occupied cells and
      // which a branch predictor cannot guess. k stays even, so the actions go as pairs of
      // 16-bit values per 32-bit store. A mixed word hands the rest of the row to the byte
      // loop.
      for (let w = offset >> 2; a < numActions; a += 4, w++) {
        const word = words[w]!;
        // One comparison whatever the word holds (`word !== 0 && ...` would branch on it).
        if (word !== (word & 1) * ALL_LEGAL) break;
        const o = offset + a;
        priorBits[k] = policyBits[o]!;
        priorBits[k + 1] = policyBits[o + 1]!;
        priorBits[k + 2] = policyBits[o + 2]!;
        priorBits[k + 3] = policyBits[o + 3]!;
        const pair = k >> 1;
        actionPairs[pair] = a | ((a + 1) << 16);
        actionPairs[pair + 1] = (a + 2) | ((a + 3) << 16);
        k += (word & 1) << 2;
      }
    }
    // Branch-free: every action is written at k, and k only moves on past legal ones (masks are 0/1).
    for (; a < numActions; a++) {
      priorBits[k] = policyBits[offset + a]!;
      actions[k] = a;
      k += masks[offset + a]!;
    }
    return k - first;
  }
}
