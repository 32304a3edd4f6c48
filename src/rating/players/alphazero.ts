// An AlphaZero agent as a match player: a checkpoint's network driving PUCT search with the
// paper's evaluation settings (c = 2, no root noise, exact terminal values, moves sampled
// from N(a)^(1/T) with T = 0.25 for the whole game).
//
// Batched like self-play, through the same search forest (search-forest.ts): the player
// searches all the positions it is given at once, one simulation per tree per round, and
// sends the leaves of all trees to the network in ONE call per round.

import type { Rng } from '../../engine/rng.ts';
import type { Game } from '../../games/game.ts';
import { emptyCounters, type BatchEvaluator, type SearchCounters } from '../../az/batched-search.ts';
import { createSearchForest, type SearchForest } from '../../az/search-forest.ts';
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
  private readonly net: BatchEvaluator & { dispose?(): void };
  /** Tree i searches the i-th state of a chooseActions() call. */
  private readonly forest: SearchForest<S>;

  constructor(game: Game<S>, net: BatchEvaluator & { dispose?(): void }, name: string, options: AgentSearchOptions) {
    if (!Number.isInteger(options.simulations) || options.simulations < 1) {
      throw new RangeError(`${name}: simulations must be a positive integer, got ${options.simulations}`);
    }
    if (!(options.temperature >= 0)) throw new RangeError(`${name}: temperature must be >= 0, got ${options.temperature}`);
    this.net = net;
    this.name = name;
    this.options = options;
    // Evaluation matches use no root noise.
    const mcts = { c: options.c, dirichletAlpha: 1, dirichletEpsilon: 0 };
    this.forest = createSearchForest(game, { mcts, cacheSize: options.cacheSize, simulations: options.simulations });
  }

  chooseActions(states: readonly S[], rngs: readonly Rng[]): number[] {
    this.forest.reset(states);
    this.forest.run(this.net, this.options.simulations, this.stats);
    this.stats.moves += states.length;
    return states.map((_, i) => this.forest.sampleAction(i, rngs[i]!, this.options.temperature));
  }

  dispose(): void {
    this.net.dispose?.();
    this.forest.clearCache();
  }
}
