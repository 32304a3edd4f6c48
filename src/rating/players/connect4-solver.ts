// Connect Four reference players backed by the perfect solver: the perfect player (uniform
// among the best-scoring moves: fastest win, slowest loss) and the temperature-softened one
// (softmax over move scores / T). One solver serves every game of a match: its
// transposition table holds exact bounds, valid for any position, so consecutive moves of
// all games share the work.

import type { Rng } from '../../engine/rng.ts';
import type { Connect4Game, Connect4State } from '../../games/connect4.ts';
import { positionFromState } from '../../solvers/connect4/adapter.ts';
import type { OpeningBook } from '../../solvers/connect4/opening-book.ts';
import { bestMoves, chooseWithTemperature } from '../../solvers/connect4/player.ts';
import { Solver } from '../../solvers/connect4/solver.ts';
import type { MatchPlayer } from './player.ts';

export const PERFECT_PLAYER = 'solver';

/** `solver` for the perfect player, `solver-T<T>` for a softened one. */
export function solverPlayerName(temperature: number): string {
  return temperature === 0 ? PERFECT_PLAYER : `${PERFECT_PLAYER}-T${temperature}`;
}

/** The temperature a solver player's name stands for, or undefined if the name is not one. */
export function parseSolverPlayerName(name: string): number | undefined {
  if (name === PERFECT_PLAYER) return 0;
  const m = /^solver-T(\d+(?:\.\d+)?)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export interface Connect4SolverPlayerOptions {
  /** 0 for the perfect player. */
  temperature: number;
  book?: OpeningBook;
  /** log2 of the transposition-table slots (8 bytes each); default 22 (32 MiB). */
  ttLog2Size?: number;
  solver?: Solver;
}

export class Connect4SolverPlayer implements MatchPlayer<Connect4State> {
  readonly name: string;
  readonly temperature: number;
  private readonly game: Connect4Game;
  private readonly solver: Solver;
  private readonly book: OpeningBook | undefined;

  constructor(game: Connect4Game, options: Connect4SolverPlayerOptions) {
    if (!(options.temperature >= 0) || !Number.isFinite(options.temperature)) {
      throw new RangeError(`connect4 solver player: temperature must be finite and >= 0, got ${options.temperature}`);
    }
    this.game = game;
    this.temperature = options.temperature;
    this.name = solverPlayerName(options.temperature);
    this.book = options.book;
    this.solver = options.solver ?? new Solver({ ttLog2Size: options.ttLog2Size ?? 22, book: options.book });
  }

  chooseActions(states: readonly Connect4State[], rngs: readonly Rng[]): number[] {
    return states.map((state, i) => this.chooseOne(state, rngs[i]!));
  }

  private chooseOne(state: Connect4State, rng: Rng): number {
    const pos = positionFromState(this.game, state);
    const booked = this.book?.moveScores(pos);
    if (this.temperature === 0) {
      // The set of best moves needs one solve and a null-window probe per move, far less
      // than every move's exact score.
      const best = booked ? bestMoves(booked) : this.solver.bestMoves(pos).best;
      if (best.length === 0) throw new RangeError('connect4 solver player: no legal move');
      return best.length === 1 ? best[0]! : best[rng.int(best.length)]!;
    }
    return chooseWithTemperature(booked ?? this.solver.analyze(pos), this.temperature, rng);
  }
}
