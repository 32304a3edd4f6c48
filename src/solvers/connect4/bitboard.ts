// Bit layout of the search-optimised Connect Four position (Pascal Pons's layout).
//
// The 7x6 board is column-major with 7 bits per column: bit 7*c + r is row r (0 = bottom)
// of column c, and bit 7*c + 6 is an always-empty sentinel that stops vertical carries.
// The 49 bits are split over two 32-bit integers so the search never touches BigInt:
//   lo: columns 0..3 (bits 0..27)    hi: columns 4..6 (bits 0..20)
// Splitting on a column boundary keeps every per-column operation (next free cell, key)
// inside one word; only shifts that cross columns need a carry between the words.

export const WIDTH = 7;
export const HEIGHT = 6;
export const CELLS = WIDTH * HEIGHT;
/** Extreme scores: nobody can win before their 4th stone. */
export const MIN_SCORE = -(CELLS >> 1) + 3; // -18
export const MAX_SCORE = ((CELLS + 1) >> 1) - 3; // +18
/** Columns of the low word. */
export const LO_COLUMNS = 4;
export const LO_BITS = 7 * LO_COLUMNS; // 28

export const BOARD_LO = 0x07efdfbf; // rows 0..5 of columns 0..3, no sentinels
export const BOARD_HI = 0x000fdfbf; // rows 0..5 of columns 4..6
export const BOTTOM_LO = 0x00204081; // row 0 of columns 0..3
export const BOTTOM_HI = 0x00004081; // row 0 of columns 4..6

/** Bits of column c inside its word (rows 0..5). */
export function columnMask(col: number): number {
  return 0x3f << (7 * (col < LO_COLUMNS ? col : col - LO_COLUMNS));
}
/** Bit of the top row of column c inside its word. */
export function topMask(col: number): number {
  return 0x20 << (7 * (col < LO_COLUMNS ? col : col - LO_COLUMNS));
}

/** Search order: centre first, then outwards (the centre takes part in most alignments). */
export const COLUMN_ORDER: readonly number[] = [3, 2, 4, 1, 5, 0, 6];

/**
 * Cells of the low word where stones `p` (low word) / `q` (high word) would complete four in
 * a row, restricted to empty cells (`m` is the low word of the occupied mask).
 * Shifts left stay in the word; shifts right pull the carry in from the high word. Bits a
 * shift pushes above bit 27 are garbage, but every combination is bitwise, so they stay
 * above bit 27 and the final mask removes them.
 */
export function winLo(p: number, q: number, m: number): number {
  // vertical: three stones below the cell (never crosses a column thanks to the sentinel)
  let r = (p << 1) & (p << 2) & (p << 3);
  // horizontal: shift 7
  let a1 = p << 7;
  let a2 = p << 14;
  let a3 = p << 21;
  let b1 = (p >>> 7) | (q << 21);
  let b2 = (p >>> 14) | (q << 14);
  let b3 = (p >>> 21) | (q << 7);
  r |= (a1 & a2 & (a3 | b1)) | (b1 & b2 & (a1 | b3));
  // diagonal: shift 6
  a1 = p << 6;
  a2 = p << 12;
  a3 = p << 18;
  b1 = (p >>> 6) | (q << 22);
  b2 = (p >>> 12) | (q << 16);
  b3 = (p >>> 18) | (q << 10);
  r |= (a1 & a2 & (a3 | b1)) | (b1 & b2 & (a1 | b3));
  // anti-diagonal: shift 8
  a1 = p << 8;
  a2 = p << 16;
  a3 = p << 24;
  b1 = (p >>> 8) | (q << 20);
  b2 = (p >>> 16) | (q << 12);
  b3 = (p >>> 24) | (q << 4);
  r |= (a1 & a2 & (a3 | b1)) | (b1 & b2 & (a1 | b3));
  return r & BOARD_LO & ~m;
}

/** Same as winLo, for the high word (`m` is the high word of the occupied mask). */
export function winHi(p: number, q: number, m: number): number {
  let r = (q << 1) & (q << 2) & (q << 3);
  let a1 = (q << 7) | (p >>> 21);
  let a2 = (q << 14) | (p >>> 14);
  let a3 = (q << 21) | (p >>> 7);
  let b1 = q >>> 7;
  let b2 = q >>> 14;
  let b3 = q >>> 21;
  r |= (a1 & a2 & (a3 | b1)) | (b1 & b2 & (a1 | b3));
  a1 = (q << 6) | (p >>> 22);
  a2 = (q << 12) | (p >>> 16);
  a3 = (q << 18) | (p >>> 10);
  b1 = q >>> 6;
  b2 = q >>> 12;
  b3 = q >>> 18;
  r |= (a1 & a2 & (a3 | b1)) | (b1 & b2 & (a1 | b3));
  a1 = (q << 8) | (p >>> 20);
  a2 = (q << 16) | (p >>> 12);
  a3 = (q << 24) | (p >>> 4);
  b1 = q >>> 8;
  b2 = q >>> 16;
  b3 = q >>> 24;
  r |= (a1 & a2 & (a3 | b1)) | (b1 & b2 & (a1 | b3));
  return r & BOARD_HI & ~m;
}

/**
 * Number of empty cells where stones (p, q) would complete four: the threat count that
 * orders moves. Both words fused into one call, since this runs for every candidate move.
 */
export function threatCount(p: number, q: number, ml: number, mh: number): number {
  // One SWAR popcount over both words: per-byte counts of two words still fit a byte.
  let x = winLo(p, q, ml);
  let y = winHi(p, q, mh);
  x = x - ((x >>> 1) & 0x55555555);
  y = y - ((y >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
  x = ((x + (x >>> 4)) & 0x0f0f0f0f) + ((y + (y >>> 4)) & 0x0f0f0f0f);
  return Math.imul(x, 0x01010101) >>> 24;
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** True when stones (lo, hi) contain four in a row. */
export function hasAlignment(p: number, q: number): boolean {
  // x & (x >> s) & (x >> 2s) & (x >> 3s) is non-zero iff four stones are spaced s apart.
  for (const s of [1, 6, 7, 8]) {
    const l1 = (p >>> s) | (q << (LO_BITS - s));
    const h1 = q >>> s;
    const l2 = (p >>> (2 * s)) | (q << (LO_BITS - 2 * s));
    const h2 = q >>> (2 * s);
    const l3 = (p >>> (3 * s)) | (q << (LO_BITS - 3 * s));
    const h3 = q >>> (3 * s);
    if ((p & l1 & l2 & l3 & 0x0fffffff) !== 0 || (q & h1 & h2 & h3) !== 0) return true;
  }
  return false;
}
