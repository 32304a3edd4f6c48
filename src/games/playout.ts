// Building blocks for benchmarks and tests: they measure nothing themselves, so a benchmark
// can time them side by side with whatever baseline it likes.

import type { Rng } from '../engine/rng.ts';
import type { Game, Winner } from './game.ts';

/** A uniformly random legal action (the game must not be over). */
export function randomAction<S>(game: Game<S>, state: S, rng: Rng): number {
  const actions = game.legalActions(state);
  if (actions.length === 0) throw new RangeError(`${game.name}: no legal action in a finished game`);
  return actions[rng.int(actions.length)]!;
}

/**
 * The position after up to `plies` uniformly random moves from the initial state, stopping
 * early rather than playing a move that ends the game: a varied, still-playable position.
 */
export function randomPosition<S>(game: Game<S>, rng: Rng, plies: number): S {
  let state = game.initialState();
  for (let p = 0; p < plies; p++) {
    const next = game.apply(state, randomAction(game, state, rng));
    if (game.isTerminal(next)) break;
    state = next;
  }
  return state;
}

export interface PlayoutResult<S> {
  final: S;
  plies: number;
  winner: Winner;
  actions: number[];
}

/**
 * Plays uniformly random legal moves from `from` (default: the initial state) to the end.
 * Uses a reusable legal mask rather than allocating an action list per ply.
 */
export function randomPlayout<S>(game: Game<S>, rng: Rng, from?: S): PlayoutResult<S> {
  let state = from ?? game.initialState();
  const mask = new Uint8Array(game.numActions);
  const actions: number[] = [];
  for (;;) {
    const count = game.legalMask(state, mask);
    if (count === 0) break;
    let pick = rng.int(count);
    let a = 0;
    for (; ; a++) if (mask[a] === 1 && pick-- === 0) break;
    actions.push(a);
    state = game.apply(state, a);
  }
  return { final: state, plies: actions.length, winner: game.winner(state)!, actions };
}

/** Number of move sequences of length `depth` from `state`; finished games are leaves counted where they end. */
export function perft<S>(game: Game<S>, state: S, depth: number): number {
  if (depth === 0) return 1;
  if (game.isTerminal(state)) return 0;
  const actions = game.legalActions(state);
  if (depth === 1) return actions.length;
  let total = 0;
  for (const a of actions) total += perft(game, game.apply(state, a), depth - 1);
  return total;
}

/**
 * Distinct positions at each ply 0..maxPly, breadth first with de-duplication by key.
 * Finished positions are counted at their ply and not expanded. `canonical` (optional)
 * maps a state to a class key, e.g. the least key over its symmetric images.
 */
export function countDistinctByPly<S>(
  game: Game<S>,
  maxPly: number,
  canonical: (state: S) => string = (s) => game.key(s),
): { distinct: number[]; terminal: number[] } {
  let level = new Map<string, S>([[canonical(game.initialState()), game.initialState()]]);
  const distinct = [1];
  const terminal = [0];
  for (let ply = 1; ply <= maxPly; ply++) {
    const next = new Map<string, S>();
    for (const s of level.values()) {
      if (game.isTerminal(s)) continue;
      for (const a of game.legalActions(s)) {
        const child = game.apply(s, a);
        const k = canonical(child);
        if (!next.has(k)) next.set(k, child);
      }
    }
    let ended = 0;
    for (const s of next.values()) if (game.isTerminal(s)) ended++;
    distinct.push(next.size);
    terminal.push(ended);
    level = next;
  }
  return { distinct, terminal };
}

/** The least key among a state's symmetric images: one key per symmetry class. */
export function canonicalKey<S>(game: Game<S>, state: S): string {
  let best = game.key(state);
  for (let g = 1; g < game.numSymmetries; g++) {
    const k = game.key(game.transformState(state, g));
    if (k < best) best = k;
  }
  return best;
}
