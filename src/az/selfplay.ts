// Batched self-play: `concurrentGames` games advance in lockstep, one simulation each per
// round, and the leaves of all of them go to the network in ONE call per round (the batch
// is the number of games, minus cache hits, terminal leaves and duplicate positions).
// Every game makes exactly `simulations` simulations per move, so all games reach their
// move boundaries together; that is where finished games are harvested and new ones started
// in their slots, and where a training step may stop and leave games in flight.
//
// Determinism: each game is identified by (slot, index: the how-many-th game of its slot).
// The randomness of every move (root noise, temperature sampling) comes from an Rng derived
// from (seed, slot, index, ply) alone, so no generator state has to be saved to resume, and
// a game's moves do not depend on which other games happen to share its rounds.

import { Rng } from '../engine/rng.ts';
import type { Game, Player } from '../games/game.ts';
import { emptyCounters, type BatchEvaluator, type SearchCounters } from './batched-search.ts';
import type { MctsOptions } from './mcts.ts';
import { createSearchForest, type SearchForest, type SearchImplementation } from './search-forest.ts';

export type { BatchEvaluator } from './batched-search.ts';

export interface SelfPlayOptions {
  simulations: number;
  mcts: MctsOptions;
  /** Plies played at temperature 1 (sampled ∝ visits); after them, the most visited move. */
  temperaturePlies: number;
  concurrentGames: number;
  /** Entries of the evaluation cache (0 disables it). */
  cacheSize: number;
}

/** One finished game as training data: a row per position, one-hot observations kept as bytes. */
export interface GameRecord {
  slot: number;
  index: number;
  length: number;
  observations: Uint8Array; // length x n_in, 0/1
  legalMasks: Uint8Array; // length x A
  visitCounts: Uint16Array; // length x A: the policy target is these over their sum
  valueTargets: Int8Array; // length: the final outcome for the player to move at that position
}

/** A game still being played when a step ended: enough to continue it exactly. */
export interface InFlightGame {
  slot: number;
  index: number;
  moves: number[];
  visitCounts: Uint16Array; // moves.length x A
}

export interface SelfPlayStats extends SearchCounters {
  games: number;
  states: number;
}

export function emptyStats(): SelfPlayStats {
  return { games: 0, states: 0, ...emptyCounters() };
}

export function addStats(into: SelfPlayStats, more: SelfPlayStats): void {
  for (const k of Object.keys(into) as (keyof SelfPlayStats)[]) into[k] += more[k];
}

interface Slot<S> {
  slot: number;
  index: number;
  state: S;
  moves: number[];
  players: Player[];
  observations: Uint8Array;
  legalMasks: Uint8Array;
  visitCounts: Uint16Array;
}

export class SelfPlay<S> {
  readonly game: Game<S>;
  readonly options: SelfPlayOptions;
  private readonly seed: number;
  private readonly slots: Slot<S>[];
  /** Tree i searches slot i's game. */
  private readonly forest: SearchForest<S>;
  private readonly observationScratch: Float32Array;
  /** The move in progress (beginMove … finishMove): each slot's randomness for it. */
  private moveRngs: Rng[] = [];

  /**
   * `slotIds` lets a worker own a subset of the slots; by default slots 0 .. concurrentGames-1.
   * `search` picks the search's implementation: both make the same moves.
   */
  constructor(game: Game<S>, options: SelfPlayOptions, seed: number, slotIds?: readonly number[], search: SearchImplementation = 'auto') {
    if (options.simulations < 1 || options.simulations > 65535) {
      throw new RangeError(`self-play: simulations must be in 1..65535 (visit counts are stored in 16 bits), got ${options.simulations}`);
    }
    this.game = game;
    this.options = options;
    this.seed = seed;
    this.forest = createSearchForest(game, { mcts: options.mcts, cacheSize: options.cacheSize, simulations: options.simulations, implementation: search });
    const ids = slotIds ?? Array.from({ length: options.concurrentGames }, (_, i) => i);
    this.slots = ids.map((slot) => this.newSlot(slot, 0));
    this.observationScratch = new Float32Array(game.observationSize);
  }

  /**
   * Plays until at least `minStates` positions of finished games were collected, at a move
   * boundary. The weights may have changed since the last call, so the cache starts empty.
   * Finished games come out ordered by (move boundary, slot): a fixed order.
   */
  collect(net: BatchEvaluator, minStates: number): { games: GameRecord[]; stats: SelfPlayStats } {
    this.clearCache();
    const stats = emptyStats();
    const games: GameRecord[] = [];
    while (stats.states < minStates) games.push(...this.step(net, stats));
    return { games, stats };
  }

  /** Forget cached evaluations: call whenever the weights change. */
  clearCache(): void {
    this.forest.clearCache();
  }

  /** One move of every game; returns the games that just finished (slot order) and starts new ones in their slots. */
  step(net: BatchEvaluator, stats: SelfPlayStats): GameRecord[] {
    this.beginMove();
    this.searchRounds(net, this.options.simulations, stats);
    return this.finishMove(stats);
  }

  // A move in three parts, so that a worker can search a move before it knows whether the
  // move will be played (lockstep-collect.ts). Until finishMove() nothing but the search trees
  // and the evaluation cache has changed: beginMove() again starts the same move afresh.

  /** Starts a move of every game: fresh search trees at the current positions. */
  beginMove(): void {
    this.moveRngs = this.slots.map((s) => new Rng(this.seed, `selfplay/${s.slot}/${s.index}/${s.moves.length}`));
    this.forest.reset(this.slots.map((s) => s.state), this.moveRngs);
  }

  /** `rounds` more simulation rounds of the move begun (a move has options.simulations in all). */
  searchRounds(net: BatchEvaluator, rounds: number, stats: SelfPlayStats): void {
    this.forest.run(net, rounds, stats);
  }

  /** Plays the searched move in every game; returns the games that finished (slot order) and starts new ones in their slots. */
  finishMove(stats: SelfPlayStats): GameRecord[] {
    const { game } = this;
    this.slots.forEach((s, i) => {
      const ply = s.moves.length;
      this.recordPosition(s, i, ply);
      const action = ply < this.options.temperaturePlies ? this.forest.sampleAction(i, this.moveRngs[i]!, 1) : this.forest.bestAction(i);
      s.moves.push(action);
      s.state = game.apply(s.state, action);
    });
    const finished: GameRecord[] = [];
    for (const s of this.slots) {
      if (!game.isTerminal(s.state)) continue;
      const record = this.finish(s);
      finished.push(record);
      stats.games += 1;
      stats.states += record.length;
      this.restart(s);
    }
    return finished;
  }

  /** Games in progress, in slot order (for the resume state). */
  inFlight(): InFlightGame[] {
    const numActions = this.game.numActions;
    return this.slots.map((s) => ({
      slot: s.slot,
      index: s.index,
      moves: [...s.moves],
      visitCounts: s.visitCounts.slice(0, s.moves.length * numActions),
    }));
  }

  /** Restores games saved by inFlight(): their positions are replayed, their search targets copied. */
  restoreInFlight(games: readonly InFlightGame[]): void {
    const bySlot = new Map(games.map((g) => [g.slot, g]));
    for (const s of this.slots) {
      const saved = bySlot.get(s.slot);
      if (!saved) throw new Error(`self-play: no saved game for slot ${s.slot}`);
      s.index = saved.index;
      s.state = this.game.initialState();
      s.moves = [];
      s.players = [];
      for (let ply = 0; ply < saved.moves.length; ply++) {
        this.writeTrainingInputs(s, ply);
        s.moves.push(saved.moves[ply]!);
        s.state = this.game.apply(s.state, saved.moves[ply]!);
      }
      s.visitCounts.set(saved.visitCounts);
    }
  }

  /** Slot s (the forest's tree i) at `ply`: its training inputs and its search's visit counts. */
  private recordPosition(s: Slot<S>, i: number, ply: number): void {
    this.writeTrainingInputs(s, ply);
    this.forest.rootVisitCounts(i, s.visitCounts.subarray(ply * this.game.numActions, (ply + 1) * this.game.numActions));
  }

  private writeTrainingInputs(s: Slot<S>, ply: number): void {
    const nIn = this.game.observationSize;
    this.game.writeObservation(s.state, this.observationScratch, 0);
    const obs = s.observations.subarray(ply * nIn, (ply + 1) * nIn);
    for (let i = 0; i < nIn; i++) obs[i] = this.observationScratch[i]!;
    this.game.legalMask(s.state, s.legalMasks, ply * this.game.numActions);
    s.players[ply] = this.game.currentPlayer(s.state);
  }

  private finish(s: Slot<S>): GameRecord {
    const { game } = this;
    const length = s.moves.length;
    const winner = game.winner(s.state);
    const valueTargets = new Int8Array(length);
    for (let ply = 0; ply < length; ply++) {
      valueTargets[ply] = winner === 'draw' || winner === null ? 0 : winner === s.players[ply] ? 1 : -1;
    }
    return {
      slot: s.slot,
      index: s.index,
      length,
      observations: s.observations.slice(0, length * game.observationSize),
      legalMasks: s.legalMasks.slice(0, length * game.numActions),
      visitCounts: s.visitCounts.slice(0, length * game.numActions),
      valueTargets,
    };
  }

  private restart(s: Slot<S>): void {
    s.index += 1;
    s.state = this.game.initialState();
    s.moves = [];
    s.players = [];
  }

  private newSlot(slot: number, index: number): Slot<S> {
    const { game } = this;
    return {
      slot,
      index,
      state: game.initialState(),
      moves: [],
      players: [],
      observations: new Uint8Array(game.maxPlies * game.observationSize),
      legalMasks: new Uint8Array(game.maxPlies * game.numActions),
      visitCounts: new Uint16Array(game.maxPlies * game.numActions),
    };
  }
}
