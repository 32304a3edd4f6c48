// Many PUCT searches advanced in lockstep, one simulation per tree per round, with the new
// leaves of all trees sent to the network in ONE call per round. Self-play (both sides of its
// own games) and the tournament's agent player (its side of many matches) both search this
// way; the batch is the number of trees, minus cache hits, terminal leaves and positions
// already in the round's batch.

import { EvaluationCache } from './evaluation-cache.ts';
import type { Evaluation, SearchTree } from './mcts.ts';
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

export class BatchedSearch<S> {
  readonly game: Game<S>;
  private readonly cache: EvaluationCache;
  private observations = new Float32Array(0);
  private masks = new Uint8Array(0);
  /** The masks as 32-bit words (the same memory), or null when rows are not word-aligned. */
  private maskWords: Uint32Array | null = null;
  // The round's evaluations, compacted to legal actions, row r at r * numActions.
  private roundPriors = new Float32Array(0);
  private roundActions = new Uint16Array(0);
  /** One view per batch row, reused every round (an object per row and round was GC work). */
  private roundEvaluations: Evaluation[] = [];
  // Per batch row: its position's key and the trees waiting on it (the first, then any duplicates).
  private rowKeys: string[] = [];
  private rowTrees: SearchTree<S>[] = [];
  private duplicateRows: number[] = [];
  private duplicateTrees: SearchTree<S>[] = [];
  private readonly rowOfKey = new Map<string, number>();

  /** `cacheSize` evaluations are kept by position; 0 disables the cache. */
  constructor(game: Game<S>, cacheSize: number) {
    this.game = game;
    this.cache = new EvaluationCache(cacheSize, game.numActions);
  }

  /** Forget cached evaluations: call whenever the weights change. */
  clearCache(): void {
    this.cache.clear();
  }

  /** `simulations` rounds over `trees` (each already reset() to its root). */
  run(trees: readonly SearchTree<S>[], net: BatchEvaluator, simulations: number, counters: SearchCounters): void {
    const { game, rowKeys, rowTrees, duplicateRows, duplicateTrees, rowOfKey } = this;
    const nIn = game.observationSize;
    const numActions = game.numActions;
    this.ensureRows(trees.length);
    for (let round = 0; round < simulations; round++) {
      rowKeys.length = 0;
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
        const key = game.key(leaf);
        const cached = this.cache.get(key);
        if (cached !== undefined) {
          counters.cacheHits += 1;
          tree.expand(cached);
          continue;
        }
        const pending = rowOfKey.get(key);
        if (pending !== undefined) {
          counters.cacheHits += 1;
          duplicateRows.push(pending);
          duplicateTrees.push(tree);
          continue;
        }
        const row = rowKeys.length;
        game.writeObservation(leaf, this.observations, row * nIn);
        game.legalMask(leaf, this.masks, row * numActions);
        rowOfKey.set(key, row);
        rowKeys.push(key);
        rowTrees.push(tree);
      }
      const rows = rowKeys.length;
      if (rows === 0) continue;
      const prediction = net.predict(this.observations, this.masks, rows);
      counters.networkCalls += 1;
      counters.evaluations += rows;
      const evaluations = this.roundEvaluations;
      for (let row = 0; row < rows; row++) {
        const evaluation = this.legalEvaluation(prediction, row);
        this.cache.set(rowKeys[row]!, evaluation);
        rowTrees[row]!.expand(evaluation);
      }
      for (let i = 0; i < duplicateRows.length; i++) duplicateTrees[i]!.expand(evaluations[duplicateRows[i]!]!);
    }
  }

  private ensureRows(n: number): void {
    if (this.observations.length >= n * this.game.observationSize) return;
    this.observations = new Float32Array(n * this.game.observationSize);
    this.masks = new Uint8Array(n * this.game.numActions);
    // Rows start on word boundaries only when the action count is a multiple of 4.
    this.maskWords = this.game.numActions % 4 === 0 ? new Uint32Array(this.masks.buffer) : null;
    this.roundPriors = new Float32Array(n * this.game.numActions);
    this.roundActions = new Uint16Array(n * this.game.numActions);
    this.roundEvaluations = Array.from({ length: n }, () => ({ priors: this.roundPriors, actions: this.roundActions, offset: 0, count: 0, value: 0 }));
  }

  /** A row of the network's masked softmax cut down to the legal actions, in increasing action order, with those actions. */
  private legalEvaluation(prediction: Prediction, row: number): Evaluation {
    const numActions = this.game.numActions;
    const { masks, roundPriors, roundActions } = this;
    const policy = prediction.policy;
    const offset = row * numActions;
    let k = offset;
    let a = 0;
    const words = this.maskWords;
    if (words !== null) {
      // Four mask bytes at a time: Pentago's actions come in runs of 8 per cell, so whole
      // words are all illegal (an occupied cell) or all legal far more often than not.
      for (let w = offset >> 2; a < numActions; a += 4, w++) {
        const word = words[w]!;
        if (word === 0) continue;
        if (word === ALL_LEGAL) {
          for (let j = 0; j < 4; j++, k++) {
            roundPriors[k] = policy[offset + a + j]!;
            roundActions[k] = a + j;
          }
          continue;
        }
        for (let j = 0; j < 4; j++) {
          roundPriors[k] = policy[offset + a + j]!;
          roundActions[k] = a + j;
          k += masks[offset + a + j]!;
        }
      }
    } else {
      // Branch-free: every action is written at k, and k only moves on past legal ones (masks are 0/1).
      for (; a < numActions; a++) {
        roundPriors[k] = policy[offset + a]!;
        roundActions[k] = a;
        k += masks[offset + a]!;
      }
    }
    const evaluation = this.roundEvaluations[row]!;
    evaluation.offset = offset;
    evaluation.count = k - offset;
    evaluation.value = prediction.value[row]!;
    return evaluation;
  }
}
