// Strong Connect Four solver: the final version of Pascal Pons's tutorial solver
// (gamesolver.org), ported to 32-bit integer words. Negamax with alpha-beta, null-window
// probes that narrow [min, max], centre-first plus threat-count move ordering, forced-move
// detection and pruning of moves that lose at once, a transposition table storing upper
// and lower bounds, and opening-book cut-offs.
//
// Score of a position for the player to move: 22 - k when it wins with its k-th stone,
// k - 22 when it loses to the opponent's k-th stone, 0 for a draw.

import {
  BOARD_HI,
  BOARD_LO,
  BOTTOM_HI,
  BOTTOM_LO,
  CELLS,
  COLUMN_ORDER,
  LO_COLUMNS,
  MAX_SCORE,
  MIN_SCORE,
  WIDTH,
  columnMask,
  threatCount,
  winHi,
  winLo,
} from './bitboard.ts';
import { Position } from './position.ts';
import { TranspositionTable } from './transposition-table.ts';

/** What the search needs from an opening book: exact values of positions up to a depth. */
export interface BookProbe {
  /** Largest number of stones of a position the book holds. */
  readonly depth: number;
  /** Exact score of the position with this key (see Position.key), or NaN if absent. */
  valueOfKey(key: number): number;
}

export interface SolverOptions {
  /** log2 of the transposition-table slots (8 bytes each). Default 23 (64 MiB). */
  ttLog2Size?: number;
  book?: BookProbe;
}

// Bound codes stored in the transposition table (0 means empty): an upper bound u is
// stored as u - MIN_SCORE + 1 (1..UPPER_CODE_MAX), a lower bound l as l + LOWER_BOUND_OFFSET
// (always above UPPER_CODE_MAX).
const UPPER_CODE_MAX = MAX_SCORE - MIN_SCORE + 1;
const LOWER_BOUND_OFFSET = MAX_SCORE - 2 * MIN_SCORE + 2;

const COLUMN_MASKS = Int32Array.from({ length: WIDTH }, (_, c) => columnMask(c));
const ORDER = Int32Array.from(COLUMN_ORDER);
const TWO_28 = 2 ** 28;

/** Column of the single bit `bit` of a word whose first column is `first`. */
function columnOf(bit: number, first: number): number {
  return first + (((31 - Math.clz32(bit)) / 7) | 0);
}

export class Solver {
  readonly tt: TranspositionTable;
  book: BookProbe | undefined;
  /** Positions explored (calls of negamax), as counted by the reference solver. */
  nodeCount = 0;
  // Move lists of every ply, 8 slots per ply: column and ordering score.
  private readonly moveCols = new Int32Array(8 * (CELLS + 1));
  private readonly moveScores = new Int32Array(8 * (CELLS + 1));

  private readonly ttSlots: Uint32Array;
  private readonly ttShift: number;

  constructor(options: SolverOptions = {}) {
    this.tt = new TranspositionTable(options.ttLog2Size ?? 23);
    this.ttSlots = this.tt.slots;
    this.ttShift = this.tt.shift;
    this.book = options.book;
  }

  /** Forgets the transposition table (not the book) and the node count. */
  reset(): void {
    this.tt.reset();
    this.nodeCount = 0;
  }

  /**
   * Exact score of a position that is not already won. With `weak`, only the sign
   * (-1 loss, 0 draw, +1 win).
   */
  solve(pos: Position, weak = false): number {
    if (pos.canWinNext()) return weak ? 1 : (CELLS + 1 - pos.moves) >> 1;
    let min = 0 - ((CELLS - pos.moves) >> 1);
    let max = (CELLS + 1 - pos.moves) >> 1;
    if (weak) {
      min = -1;
      max = 1;
    }
    const { cl, ch, ml, mh, moves } = pos;
    // Iterative narrowing: each null-window probe tells whether the score is above `med`.
    // Probing near 0 first pays off because most positions have small scores.
    while (min < max) {
      let med = min + ((max - min) >> 1);
      // (x / 2) | 0 truncates toward zero like C++ and never yields -0.
      if (med <= 0 && ((min / 2) | 0) < med) med = (min / 2) | 0;
      else if (med >= 0 && ((max / 2) | 0) > med) med = (max / 2) | 0;
      const r = this.negamax(cl, ch, ml, mh, moves, med, med + 1);
      if (r <= med) max = r;
      else min = r;
    }
    // A fail-high probe may overshoot the weak window; `| 0` also turns -0 into 0.
    return weak ? Math.sign(min) | 0 : min | 0;
  }

  /**
   * Score of every column for the player to move (null where the column is full), i.e.
   * the score of the position after that move, from the mover's point of view.
   */
  analyze(pos: Position, weak = false): (number | null)[] {
    const scores: (number | null)[] = new Array(WIDTH).fill(null);
    for (let col = 0; col < WIDTH; col++) {
      if (!pos.canPlay(col)) continue;
      if (pos.isWinningMove(col)) {
        scores[col] = weak ? 1 : (CELLS + 1 - pos.moves) >> 1;
      } else {
        const child = pos.clone();
        child.play(col);
        scores[col] = child.isFull() ? 0 : 0 - this.solve(child, weak);
      }
    }
    return scores;
  }

  /**
   * The position's exact score and the columns that achieve it, without the exact scores
   * of the other moves: one solve, then one null-window probe per move ("does this move
   * reach the value?"). Much cheaper than analyze(), and all a perfect player needs.
   */
  bestMoves(pos: Position): { value: number; best: number[] } {
    const best: number[] = [];
    const win = (CELLS + 1 - pos.moves) >> 1;
    if (pos.canWinNext()) {
      for (let col = 0; col < WIDTH; col++) if (pos.canPlay(col) && pos.isWinningMove(col)) best.push(col);
      return { value: win, best };
    }
    const value = this.solve(pos);
    for (const col of COLUMN_ORDER) {
      if (!pos.canPlay(col)) continue;
      const child = pos.clone();
      child.play(col);
      let childScore: number;
      if (child.isFull()) childScore = 0;
      else if (child.canWinNext()) childScore = (CELLS + 1 - child.moves) >> 1;
      // The child scores at least -value; it is a best move iff it scores at most -value.
      else childScore = this.negamax(child.cl, child.ch, child.ml, child.mh, child.moves, 0 - value, 1 - value);
      if (childScore <= 0 - value) best.push(col);
    }
    best.sort((a, b) => a - b);
    return { value, best };
  }

  // Negations below are written `0 - x`: unary minus turns 0 into -0, which is not a small
  // integer, and V8 then deoptimises the search into floating-point code.

  /**
   * Negamax score of (stones cl/ch of the player to move, mask ml/mh, n stones played),
   * within [alpha, beta]: exact inside the window, a bound outside it. The player to move
   * must not be able to win at once.
   */
  private negamax(cl: number, ch: number, ml: number, mh: number, n: number, alpha: number, beta: number): number {
    this.nodeCount++;

    const ol = cl ^ ml;
    const oh = ch ^ mh;
    const possL = (ml + BOTTOM_LO) & BOARD_LO;
    const possH = (mh + BOTTOM_HI) & BOARD_HI;
    const owL = winLo(ol, oh, ml);
    const owH = winHi(ol, oh, mh);
    // Moves that do not hand the opponent an immediate win.
    let nlL: number;
    let nlH: number;
    const fL = possL & owL;
    const fH = possH & owH;
    if ((fL | fH) !== 0) {
      // The opponent threatens to win: with two threats we lose, with one we must block.
      if ((fL & (fL - 1)) !== 0 || (fH & (fH - 1)) !== 0 || (fL !== 0 && fH !== 0)) return 0 - ((CELLS - n) >> 1);
      nlL = fL & ~(owL >>> 1);
      nlH = fH & ~(owH >>> 1);
    } else {
      // Never play directly below a cell where the opponent would complete four.
      nlL = possL & ~(owL >>> 1);
      nlH = possH & ~(owH >>> 1);
    }
    if ((nlL | nlH) === 0) return 0 - ((CELLS - n) >> 1);
    if (n >= CELLS - 2) return 0;

    let min = 0 - ((CELLS - 2 - n) >> 1); // the opponent cannot win on its next stone
    if (alpha < min) {
      alpha = min;
      if (alpha >= beta) return alpha;
    }
    let max = (CELLS - 1 - n) >> 1; // we cannot win on this stone
    if (beta > max) {
      beta = max;
      if (alpha >= beta) return beta;
    }

    const kl = cl + ml;
    const kh = ch + mh;
    // Transposition-table probe, inlined (see TranspositionTable.get).
    const slots = this.ttSlots;
    const slot = (Math.imul(kl ^ Math.imul(kh, 0x27d4eb2f), 0x9e3779b1) >>> this.ttShift) << 1;
    const word = slots[slot + 1]!;
    const code = slots[slot] === kl && (word & 0x1fffff) === kh ? word >>> 21 : 0;
    if (code !== 0) {
      if (code > UPPER_CODE_MAX) {
        min = code + 2 * MIN_SCORE - MAX_SCORE - 2;
        if (alpha < min) {
          alpha = min;
          if (alpha >= beta) return alpha;
        }
      } else {
        max = code + MIN_SCORE - 1;
        if (beta > max) {
          beta = max;
          if (alpha >= beta) return beta;
        }
      }
    }

    const book = this.book;
    if (book !== undefined && n <= book.depth) {
      const v = book.valueOfKey(kh * TWO_28 + kl);
      if (v === v) return v;
    }

    // Order moves by the number of cells where they create a threat (insertion sort, ties
    // keep centre-first order: later-added moves come out first).
    const base = n << 3;
    const moveCols = this.moveCols;
    const moveScores = this.moveScores;
    let size = 0;
    // A single candidate (a forced move, say) needs no ordering score.
    const single = (nlL === 0 || nlH === 0) && ((nlL & (nlL - 1)) | (nlH & (nlH - 1))) === 0;
    if (single) {
      moveCols[base] = nlL !== 0 ? columnOf(nlL, 0) : columnOf(nlH, LO_COLUMNS);
      size = 1;
    } else for (let i = WIDTH - 1; i >= 0; i--) {
      const col = ORDER[i]!;
      let score: number;
      if (col < LO_COLUMNS) {
        const mv = nlL & COLUMN_MASKS[col]!;
        if (mv === 0) continue;
        const pl = cl | mv;
        score = threatCount(pl, ch, ml, mh);
      } else {
        const mv = nlH & COLUMN_MASKS[col]!;
        if (mv === 0) continue;
        const ph = ch | mv;
        score = threatCount(cl, ph, ml, mh);
      }
      let pos = size++;
      for (; pos > 0 && moveScores[base + pos - 1]! > score; pos--) {
        moveCols[base + pos] = moveCols[base + pos - 1]!;
        moveScores[base + pos] = moveScores[base + pos - 1]!;
      }
      moveCols[base + pos] = col;
      moveScores[base + pos] = score;
    }

    while (size > 0) {
      const col = moveCols[base + --size]!;
      let score: number;
      if (col < LO_COLUMNS) {
        score = 0 - this.negamax(ol, oh, ml | (nlL & COLUMN_MASKS[col]!), mh, n + 1, 0 - beta, 0 - alpha);
      } else {
        score = 0 - this.negamax(ol, oh, ml, mh | (nlH & COLUMN_MASKS[col]!), n + 1, 0 - beta, 0 - alpha);
      }
      if (score >= beta) {
        this.tt.put(kl, kh, score + LOWER_BOUND_OFFSET);
        return score;
      }
      if (score > alpha) alpha = score;
    }

    this.tt.put(kl, kh, alpha - MIN_SCORE + 1);
    return alpha;
  }
}
