// Reference players for Connect Four: the perfect player (uniform among the best-scoring
// moves; the score convention already prefers the fastest win and the slowest loss) and
// its temperature-softened variant (softmax over move scores), as in the paper's
// evaluation. Every random choice comes from a seeded Rng.

import type { Rng } from '../../engine/rng.ts';
import type { Connect4Game, Connect4State } from '../../games/connect4.ts';
import { positionFromState } from './adapter.ts';
import { WIDTH } from './bitboard.ts';
import type { OpeningBook } from './opening-book.ts';
import type { Position } from './position.ts';
import { Solver } from './solver.ts';

/** Per-column scores of a position: null for a full column. */
export type MoveScores = readonly (number | null)[];

/** Columns (0-based) whose score is the highest. */
export function bestMoves(scores: MoveScores): number[] {
  let best = -Infinity;
  for (const s of scores) if (s !== null && s > best) best = s;
  const out: number[] = [];
  scores.forEach((s, c) => {
    if (s !== null && s === best) out.push(c);
  });
  return out;
}

/** A column drawn uniformly among the best-scoring ones. */
export function chooseBest(scores: MoveScores, rng: Rng): number {
  const best = bestMoves(scores);
  if (best.length === 0) throw new RangeError('connect4 player: no legal move');
  return best.length === 1 ? best[0]! : best[rng.int(best.length)]!;
}

/** Probability of each column under softmax(score / T); T = 0 is uniform over the best. */
export function softmaxPolicy(scores: MoveScores, temperature: number): Float64Array {
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new RangeError(`connect4 player: temperature ${temperature} must be finite and >= 0`);
  const p = new Float64Array(scores.length);
  if (temperature === 0) {
    const best = bestMoves(scores);
    for (const c of best) p[c] = 1 / best.length;
    return p;
  }
  let max = -Infinity;
  for (const s of scores) if (s !== null && s > max) max = s;
  if (max === -Infinity) throw new RangeError('connect4 player: no legal move');
  let total = 0;
  scores.forEach((s, c) => {
    if (s === null) return;
    // Shifting by the maximum keeps exp() from overflowing at small temperatures.
    p[c] = Math.exp((s - max) / temperature);
    total += p[c]!;
  });
  for (let c = 0; c < p.length; c++) p[c]! /= total;
  return p;
}

/** A column sampled from softmax(score / T). */
export function chooseWithTemperature(scores: MoveScores, temperature: number, rng: Rng): number {
  if (temperature === 0) return chooseBest(scores, rng);
  return rng.categorical(softmaxPolicy(scores, temperature));
}

export interface PlayerOptions {
  rng: Rng;
  /** 0 (default) for the perfect player. */
  temperature?: number;
  book?: OpeningBook;
  /** Shared solver; one with a 2^24-slot table is made when absent. */
  solver?: Solver;
}

/**
 * A Connect Four player backed by the solver: book lookups where the book has the
 * position, search elsewhere. The transposition table is kept across moves of a game,
 * which makes consecutive positions much cheaper to analyse.
 */
export class SolverPlayer {
  readonly temperature: number;
  readonly solver: Solver;
  readonly book: OpeningBook | undefined;
  private readonly rng: Rng;

  constructor(options: PlayerOptions) {
    this.rng = options.rng;
    this.temperature = options.temperature ?? 0;
    softmaxPolicy(new Array(WIDTH).fill(0), this.temperature); // validates the temperature
    this.book = options.book;
    this.solver = options.solver ?? new Solver({ ttLog2Size: 24, book: options.book });
    if (options.book && !this.solver.book) this.solver.book = options.book;
  }

  /** Per-column scores of the position (null for a full column). */
  moveScores(pos: Position): (number | null)[] {
    return this.book?.moveScores(pos) ?? this.solver.analyze(pos);
  }

  /** The 0-based column to play. */
  chooseMove(pos: Position): number {
    if (this.temperature === 0) {
      // The perfect player needs only the set of best moves, not every move's exact score.
      const scores = this.book?.moveScores(pos);
      const best = scores ? bestMoves(scores) : this.solver.bestMoves(pos).best;
      if (best.length === 0) throw new RangeError('connect4 player: no legal move');
      return best.length === 1 ? best[0]! : best[this.rng.int(best.length)]!;
    }
    return chooseWithTemperature(this.moveScores(pos), this.temperature, this.rng);
  }

  /** The action (0-based column) to play in a game-engine state. */
  chooseAction(game: Connect4Game, state: Connect4State): number {
    return this.chooseMove(positionFromState(game, state));
  }
}
