// Conversions into the solver's Position from the notations the rest of the study uses:
// move strings ("4453", 1-based columns, Pons's benchmark notation) and the game engine's
// Connect4State (src/games/connect4.ts), whose bitboard has the same column-major layout
// but splits the words at bit 32 instead of bit 28.

import type { Connect4Game, Connect4State } from '../../games/connect4.ts';
import { HEIGHT, WIDTH } from './bitboard.ts';
import { Position } from './position.ts';

/** The position after a 1-based move string; throws on an illegal move or a finished game. */
export function positionFromMoves(moves: string): Position {
  return Position.fromMoves(moves);
}

/** The position after 0-based column actions (the game engine's action numbers). */
export function positionFromActions(actions: readonly number[]): Position {
  return Position.fromMoves(actions.map((a) => String(a + 1)).join(''));
}

/** The solver position of a running 7x6 game-engine state. */
export function positionFromState(game: Connect4Game, state: Connect4State): Position {
  if (game.width !== WIDTH || game.height !== HEIGHT) {
    throw new RangeError(`connect4 solver: only the 7x6 board is supported, got ${game.width}x${game.height}`);
  }
  if (game.isTerminal(state)) throw new RangeError('connect4 solver: the game is already over');
  const p = new Position();
  // Re-split the 49-bit boards: our low word is bits 0..27, our high word bits 28..48.
  p.cl = state.curLo & 0x0fffffff;
  p.ch = ((state.curLo >>> 28) | (state.curHi << 4)) & 0x1fffff;
  p.ml = state.maskLo & 0x0fffffff;
  p.mh = ((state.maskLo >>> 28) | (state.maskHi << 4)) & 0x1fffff;
  p.moves = state.ply;
  return p;
}
