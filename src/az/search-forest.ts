// The searches a batched player runs at once (self-play's games, the tournament agent's
// matches), as one forest: reset to the roots, `run` simulation rounds with one network call
// per round, then read each root's visits. Two implementations make the same choices to the
// bit: the JavaScript trees of mcts.ts behind BatchedSearch, for every game, and the
// WebAssembly search of Connect Four and Pentago (wasm-forest.ts), which 'auto' picks for them.

import type { Rng } from '../engine/rng.ts';
import type { Game } from '../games/game.ts';
import { BatchedSearch, type BatchEvaluator, type SearchCounters } from './batched-search.ts';
import { SearchTree, type MctsOptions } from './mcts.ts';
import { WasmForest } from './wasm-forest.ts';

export interface SearchForest<S> {
  /** Starts one search per root, trees 0 .. roots.length−1 (none terminal); noiseRngs[i] draws tree i's root noise when ε > 0. */
  reset(roots: readonly S[], noiseRngs?: readonly Rng[]): void;
  /** `rounds` more simulations of every tree (at most the forest's `simulations` since reset()). */
  run(net: BatchEvaluator, rounds: number, counters: SearchCounters): void;
  /** Tree i's root visit counts, indexed by action (zeros for the rest). */
  rootVisitCounts<T extends Float32Array | Float64Array | Uint16Array | Int32Array>(tree: number, out: T): T;
  /** The priors tree i's search gave its root's actions (the network's, with the root noise mixed in). */
  rootPriors(tree: number, out: Float32Array): Float32Array;
  /** Tree i's most visited root action; ties go to the higher mean value, then to the lower action. */
  bestAction(tree: number): number;
  /** A root action of tree i drawn ∝ N(a)^(1/temperature); temperature 0 = bestAction(). */
  sampleAction(tree: number, rng: Rng, temperature: number): number;
  /** Forget cached evaluations: call whenever the weights change. */
  clearCache(): void;
}

/** 'auto': WebAssembly where a game has it (Connect Four, Pentago), else JavaScript. */
export type SearchImplementation = 'auto' | 'js' | 'wasm';

export interface ForestOptions {
  mcts: MctsOptions;
  /** Entries of the evaluation cache (0 disables it). */
  cacheSize: number;
  /** Simulations a search makes between resets, at most. */
  simulations: number;
  implementation?: SearchImplementation;
}

export function createSearchForest<S>(game: Game<S>, options: ForestOptions): SearchForest<S> {
  const implementation = options.implementation ?? 'auto';
  if (implementation === 'wasm' || (implementation === 'auto' && WasmForest.supports(game))) return new WasmForest(game, options);
  return new TreeForest(game, options);
}

/** The JavaScript search: one SearchTree per root, stepped together by BatchedSearch. */
class TreeForest<S> implements SearchForest<S> {
  private readonly game: Game<S>;
  private readonly mcts: MctsOptions;
  private readonly search: BatchedSearch<S>;
  private readonly trees: SearchTree<S>[] = [];
  private active: SearchTree<S>[] = [];

  constructor(game: Game<S>, options: ForestOptions) {
    this.game = game;
    this.mcts = options.mcts;
    this.search = new BatchedSearch(game, options.cacheSize);
  }

  reset(roots: readonly S[], noiseRngs?: readonly Rng[]): void {
    while (this.trees.length < roots.length) this.trees.push(new SearchTree(this.game, this.mcts));
    if (this.active.length !== roots.length) this.active = this.trees.slice(0, roots.length);
    this.active.forEach((tree, i) => tree.reset(roots[i]!, noiseRngs?.[i] ?? null));
  }

  run(net: BatchEvaluator, rounds: number, counters: SearchCounters): void {
    this.search.run(this.active, net, rounds, counters);
  }

  rootVisitCounts<T extends Float32Array | Float64Array | Uint16Array | Int32Array>(tree: number, out: T): T {
    return this.active[tree]!.rootVisitCounts(out);
  }

  rootPriors(tree: number, out: Float32Array): Float32Array {
    return this.active[tree]!.rootPriors(out);
  }

  bestAction(tree: number): number {
    return this.active[tree]!.bestAction();
  }

  sampleAction(tree: number, rng: Rng, temperature: number): number {
    return this.active[tree]!.sampleAction(rng, temperature);
  }

  clearCache(): void {
    this.search.clearCache();
  }
}
