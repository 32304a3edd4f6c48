// An AlphaZero agent as a match player: a checkpoint's network driving PUCT search with the
// paper's evaluation settings (c = 2, no root noise, exact terminal values, moves sampled
// from N(a)^(1/T) with T = 0.25 for the whole game).
//
// Batched like self-play, through the same BatchedSearch: the player searches all the
// positions it is given at once, one simulation per tree per round, and sends the leaves of
// all trees to the network in ONE call per round.

import type { Rng } from '../../engine/rng.ts';
import type { Game } from '../../games/game.ts';
import { BatchedSearch, emptyCounters, type BatchEvaluator, type SearchCounters } from '../../az/batched-search.ts';
import { SearchTree, type MctsOptions } from '../../az/mcts.ts';
import type { MatchPlayer } from './player.ts';

export interface AgentSearchOptions {
  /** MCTS simulations per move (300 in the paper's evaluation). */
  simulations: number;
  /** PUCT constant (2 in the paper). */
  c: number;
  /** Moves sampled ∝ N(a)^(1/T); 0 plays the most visited move. */
  temperature: number;
  /** Evaluations kept by position (0 disables the cache). The weights never change during a match, so entries stay valid across moves. */
  cacheSize: number;
}

/** Counters for benchmarks and run records. */
export interface SearchStats extends SearchCounters {
  moves: number;
}

export class AlphaZeroPlayer<S> implements MatchPlayer<S> {
  readonly name: string;
  readonly options: AgentSearchOptions;
  readonly stats: SearchStats = { moves: 0, ...emptyCounters() };
  private readonly game: Game<S>;
  private readonly net: BatchEvaluator & { dispose?(): void };
  private readonly mcts: MctsOptions;
  private readonly search: BatchedSearch<S>;
  private trees: SearchTree<S>[] = [];

  constructor(game: Game<S>, net: BatchEvaluator & { dispose?(): void }, name: string, options: AgentSearchOptions) {
    if (!Number.isInteger(options.simulations) || options.simulations < 1) {
      throw new RangeError(`${name}: simulations must be a positive integer, got ${options.simulations}`);
    }
    if (!(options.temperature >= 0)) throw new RangeError(`${name}: temperature must be >= 0, got ${options.temperature}`);
    this.game = game;
    this.net = net;
    this.name = name;
    this.options = options;
    // Evaluation matches use no root noise.
    this.mcts = { c: options.c, dirichletAlpha: 1, dirichletEpsilon: 0 };
    this.search = new BatchedSearch(game, options.cacheSize);
  }

  chooseActions(states: readonly S[], rngs: readonly Rng[]): number[] {
    const n = states.length;
    while (this.trees.length < n) this.trees.push(new SearchTree(this.game, this.mcts));
    const trees = this.trees.slice(0, n);
    trees.forEach((tree, i) => tree.reset(states[i]!));
    this.search.run(trees, this.net, this.options.simulations, this.stats);
    this.stats.moves += n;
    return trees.map((tree, i) => tree.sampleAction(rngs[i]!, this.options.temperature));
  }

  dispose(): void {
    this.net.dispose?.();
    this.search.clearCache();
  }
}
