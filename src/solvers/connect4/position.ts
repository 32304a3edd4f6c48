// A Connect Four position for the solver: the stones of the player to move and the occupied
// mask, each as a (lo, hi) pair of 32-bit words (see bitboard.ts). This class is the
// convenient, allocation-friendly API; the search itself works on the raw words.

import {
  BOTTOM_HI,
  BOTTOM_LO,
  BOARD_HI,
  BOARD_LO,
  CELLS,
  HEIGHT,
  LO_COLUMNS,
  WIDTH,
  columnMask,
  topMask,
  winHi,
  winLo,
} from './bitboard.ts';

const TWO_28 = 2 ** 28;

export class Position {
  /** Stones of the player to move. */
  cl = 0;
  ch = 0;
  /** Occupied cells. */
  ml = 0;
  mh = 0;
  /** Stones played so far. */
  moves = 0;

  static fromMoves(moves: string): Position {
    const p = new Position();
    const played = p.playMoves(moves);
    if (played !== moves.length) {
      throw new Error(`Connect Four: move ${played + 1} of "${moves}" is invalid (not 1..7, full column, or the game was already won)`);
    }
    return p;
  }

  /** The position with this key (see key()); the inverse of key(). */
  static fromKey(key: number): Position {
    const p = new Position();
    const lo = key % TWO_28;
    const hi = (key - lo) / TWO_28;
    for (let c = 0; c < WIDTH; c++) {
      const shift = 7 * (c < LO_COLUMNS ? c : c - LO_COLUMNS);
      const field = ((c < LO_COLUMNS ? lo : hi) >>> shift) & 0x7f;
      // field = (2^h - 1) + stones, with stones < 2^h: h is the column height.
      const h = 31 - Math.clz32(field + 1);
      const mask = (1 << h) - 1;
      if (c < LO_COLUMNS) {
        p.ml |= mask << shift;
        p.cl |= (field - mask) << shift;
      } else {
        p.mh |= mask << shift;
        p.ch |= (field - mask) << shift;
      }
      p.moves += h;
    }
    return p;
  }

  clone(): Position {
    const p = new Position();
    p.cl = this.cl;
    p.ch = this.ch;
    p.ml = this.ml;
    p.mh = this.mh;
    p.moves = this.moves;
    return p;
  }

  canPlay(col: number): boolean {
    const top = topMask(col);
    return col < LO_COLUMNS ? (this.ml & top) === 0 : (this.mh & top) === 0;
  }

  /** Plays a column (0-based); the caller checks canPlay. */
  play(col: number): void {
    if (col < LO_COLUMNS) {
      const move = (this.ml + BOTTOM_LO) & columnMask(col);
      this.cl ^= this.ml;
      this.ch ^= this.mh;
      this.ml |= move;
    } else {
      const move = (this.mh + BOTTOM_HI) & columnMask(col);
      this.cl ^= this.ml;
      this.ch ^= this.mh;
      this.mh |= move;
    }
    this.moves++;
  }

  /**
   * Plays 1-based column digits; stops at the first invalid move, a full column or a move
   * after which the game is won, and returns how many moves were played.
   */
  playMoves(seq: string): number {
    for (let i = 0; i < seq.length; i++) {
      const col = seq.charCodeAt(i) - 49;
      if (col < 0 || col >= WIDTH || !this.canPlay(col) || this.isWinningMove(col)) return i;
      this.play(col);
    }
    return seq.length;
  }

  /** True when playing this column makes four in a row for the player to move. */
  isWinningMove(col: number): boolean {
    const wl = winLo(this.cl, this.ch, this.ml);
    const wh = winHi(this.cl, this.ch, this.mh);
    if (col < LO_COLUMNS) return (wl & (this.ml + BOTTOM_LO) & columnMask(col)) !== 0;
    return (wh & (this.mh + BOTTOM_HI) & columnMask(col)) !== 0;
  }

  canWinNext(): boolean {
    const wl = winLo(this.cl, this.ch, this.ml) & (this.ml + BOTTOM_LO) & BOARD_LO;
    const wh = winHi(this.cl, this.ch, this.mh) & (this.mh + BOTTOM_HI) & BOARD_HI;
    return (wl | wh) !== 0;
  }

  isFull(): boolean {
    return this.moves >= CELLS;
  }

  /** Unique key (stones + mask), 49 bits, exact as a double. */
  key(): number {
    return (this.ch + this.mh) * TWO_28 + (this.cl + this.ml);
  }

  /** Key of the left-right mirror image. */
  mirrorKey(): number {
    return mirrorKey(this.key());
  }

  /** The smaller of key and mirror key: one key per position up to symmetry. */
  canonicalKey(): number {
    const k = this.key();
    const m = mirrorKey(k);
    return m < k ? m : k;
  }

  /** Height of each column. */
  heights(): number[] {
    const h: number[] = [];
    for (let c = 0; c < WIDTH; c++) {
      const col = (c < LO_COLUMNS ? this.ml : this.mh) & columnMask(c);
      let n = 0;
      while (n < HEIGHT && (col & (1 << (7 * (c < LO_COLUMNS ? c : c - LO_COLUMNS) + n))) !== 0) n++;
      h.push(n);
    }
    return h;
  }
}

/** Reverses the 7-bit column fields of a 49-bit key. */
export function mirrorKey(key: number): number {
  const lo = key % TWO_28;
  const hi = (key - lo) / TWO_28;
  const f0 = lo & 0x7f;
  const f1 = (lo >>> 7) & 0x7f;
  const f2 = (lo >>> 14) & 0x7f;
  const f3 = (lo >>> 21) & 0x7f;
  const f4 = hi & 0x7f;
  const f5 = (hi >>> 7) & 0x7f;
  const f6 = (hi >>> 14) & 0x7f;
  const mlo = f6 | (f5 << 7) | (f4 << 14) | (f3 << 21);
  const mhi = f2 | (f1 << 7) | (f0 << 14);
  return mhi * TWO_28 + mlo;
}
