// An AlphaZero agent as a match player: a checkpoint's network driving PUCT search with the
// paper's evaluation settings (c = 2, no root noise, exact terminal values, moves sampled
// from N(a)^(1/T) with T = 0.25 for the whole game).
//
// Batched like self-play: the player searches all the positions it is given at once, one
// simulation per tree per round, and sends the leaves of all trees to the network in ONE
// call per round. src/az/selfplay.ts does the same but owns its games (it plays both sides
// and records training data), so the round loop is restated here around src/az's
// SearchTree and EvaluationCache rather than reused.

import type { Rng } from '../../engine/rng.ts';
import type { Game } from '../../games/game.ts';
import { EvaluationCache } from '../../az/evaluation-cache.ts';
import { SearchTree, type Evaluation, type MctsOptions } from '../../az/mcts.ts';
import type { Prediction } from '../../az/network.ts';
import type { MatchPlayer } from './player.ts';

/** The network as the search sees it: batched inference over row-major observations and legal masks. */
export interface BatchPredictor {
  predict(observations: Float32Array, legalMasks: Uint8Array, batch: number): Prediction;
}

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
export interface SearchStats {
  moves: number;
  simulations: number;
  evaluations: number;
  networkCalls: number;
}

export class AlphaZeroPlayer<S> implements MatchPlayer<S> {
  readonly name: string;
  readonly options: AgentSearchOptions;
  readonly stats: SearchStats = { moves: 0, simulations: 0, evaluations: 0, networkCalls: 0 };
  private readonly game: Game<S>;
  private readonly net: BatchPredictor & { dispose?(): void };
  private readonly mcts: MctsOptions;
  private readonly cache: EvaluationCache;
  private trees: SearchTree<S>[] = [];
  private observations = new Float32Array(0);
  private masks = new Uint8Array(0);
  private readonly priorScratch: Float32Array;

  constructor(game: Game<S>, net: BatchPredictor & { dispose?(): void }, name: string, options: AgentSearchOptions) {
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
    this.cache = new EvaluationCache(options.cacheSize);
    this.priorScratch = new Float32Array(game.numActions);
  }

  chooseActions(states: readonly S[], rngs: readonly Rng[]): number[] {
    const n = states.length;
    this.ensureCapacity(n);
    const trees = this.trees.slice(0, n);
    trees.forEach((tree, i) => tree.reset(states[i]!));
    this.search(trees);
    this.stats.moves += n;
    return trees.map((tree, i) => tree.sampleAction(rngs[i]!, this.options.temperature));
  }

  dispose(): void {
    this.net.dispose?.();
    this.cache.clear();
  }

  /** `simulations` rounds of: every tree descends, the new leaves go to the network together, every tree expands. */
  private search(trees: SearchTree<S>[]): void {
    const { game } = this;
    const nIn = game.observationSize;
    const numActions = game.numActions;
    const waiting: { key: string; trees: SearchTree<S>[] }[] = [];
    const rowOfKey = new Map<string, number>();
    for (let round = 0; round < this.options.simulations; round++) {
      waiting.length = 0;
      rowOfKey.clear();
      for (const tree of trees) {
        this.stats.simulations += 1;
        const leaf = tree.descend();
        if (leaf === null) continue; // a terminal leaf: backed up with its exact value
        const key = game.key(leaf);
        const cached = this.cache.get(key);
        if (cached !== undefined) {
          tree.expand(cached);
          continue;
        }
        const row = rowOfKey.get(key);
        if (row !== undefined) {
          waiting[row]!.trees.push(tree);
          continue;
        }
        const next = waiting.length;
        game.writeObservation(leaf, this.observations, next * nIn);
        game.legalMask(leaf, this.masks, next * numActions);
        rowOfKey.set(key, next);
        waiting.push({ key, trees: [tree] });
      }
      if (waiting.length === 0) continue;
      const prediction = this.net.predict(this.observations, this.masks, waiting.length);
      this.stats.networkCalls += 1;
      this.stats.evaluations += waiting.length;
      waiting.forEach((w, row) => {
        const evaluation = legalPriors(prediction, this.masks, row, numActions, this.priorScratch);
        this.cache.set(w.key, evaluation);
        for (const tree of w.trees) tree.expand(evaluation);
      });
    }
  }

  private ensureCapacity(n: number): void {
    while (this.trees.length < n) this.trees.push(new SearchTree(this.game, this.mcts));
    if (this.observations.length < n * this.game.observationSize) {
      this.observations = new Float32Array(n * this.game.observationSize);
      this.masks = new Uint8Array(n * this.game.numActions);
    }
  }
}

/** A row of the network's masked softmax cut down to the legal actions, in increasing action order (what SearchTree.expand takes). */
function legalPriors(prediction: Prediction, masks: Uint8Array, row: number, numActions: number, scratch: Float32Array): Evaluation {
  const base = row * numActions;
  let k = 0;
  for (let a = 0; a < numActions; a++) if (masks[base + a] !== 0) scratch[k++] = prediction.policy[base + a]!;
  return { priors: scratch.slice(0, k), value: prediction.value[row]! };
}
