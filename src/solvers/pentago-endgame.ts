// Exact win/draw/loss of late Pentago positions (OpenSpiel rules), for checking the engine
// and for a benchmark player's late game.
//
// Negamax with alpha-beta over the three values {-1, 0, +1}, a bounded transposition table
// in typed arrays, symmetry-canonical keys for the larger subtrees, and the rule trick that
// makes Pentago search cheap: "place at c, then rotate quadrant q" gives the same board as
// "rotate q, then place at rot(c)". So a node rotates its boards once per rotation (8, fewer
// after removing rotations that give the same board) and every child is one OR away.
// The same view finds immediate results at no extra cost: per rotation, a five already
// there, a five of the opponent, or a line with four of ours and an empty fifth.
//
// The search works relative to the player to move: `m*` are the mover's stones, `o*` the
// opponent's, each as the (lo, hi) 18-bit words of src/games/pentago.ts.

import {
  LINE_HI,
  LINE_LO,
  PENTAGO_SYMMETRIES,
  ROTATE,
  SYMMETRY_LOCAL,
  SYMMETRY_QUADRANT,
  popcount,
  type PentagoGame,
  type PentagoState,
} from '../games/pentago.ts';

const FULL = (1 << 18) - 1;
const NO_MOVE = -1;

/** Thrown inside the search when the node budget runs out; never escapes `solve`. */
class NodeBudgetExceeded extends Error {}

export interface EndgameSolverOptions {
  /** log2 of the transposition table's entries (default 20: about 22 MB). */
  tableBits?: number;
  /** Canonicalize keys over the 8 symmetries at nodes with at least this many empty cells (default 14:
   *  late positions are rarely symmetric, so below that the canonical form costs more than it saves). */
  symmetryMinEmpties?: number;
}

export interface SolveOptions {
  /** Refuse positions with more empty cells than this (default 16). */
  maxEmpties?: number;
  /** Give up (return null) after this many nodes. */
  maxNodes?: number;
  /** Return every optimal action instead of one (costs an exact search per distinct child). */
  allBest?: boolean;
}

export interface EndgameResult {
  /** Game value for the player to move: +1 win, 0 draw, -1 loss, under perfect play. */
  value: -1 | 0 | 1;
  /** Optimal actions (OpenSpiel encoding): one, or all with `allBest`. Empty on finished games. */
  bestActions: number[];
  /** Empty cells of the position. */
  empties: number;
  /** Search nodes visited by this call. */
  nodes: number;
}

export class PentagoEndgameSolver {
  private readonly tableMask: number;
  private readonly keyM: Float64Array;
  private readonly keyO: Float64Array;
  private readonly lower: Int8Array;
  private readonly upper: Int8Array;
  /** Empty cells of the stored position + 1 (0 = slot unused): the replacement priority. */
  private readonly weight: Int8Array;
  private readonly move: Int16Array;
  private readonly symmetryMinEmpties: number;
  /** Per empties level: the boards after each distinct rotation (4 words) and its rotation. */
  private readonly rotated = new Int32Array(37 * 8 * 4);
  private readonly rotation = new Int8Array(37 * 8);
  /** Per empties level: the children in search order (move code, score, rotation slot). */
  private readonly childCode = new Int16Array(37 * 288);
  private readonly childScore = new Int32Array(37 * 288);
  private readonly childRotation = new Int8Array(37 * 288);
  /** Cutoffs per move code: a tie-breaker for the order. */
  private readonly history = new Int32Array(512);
  private canonM = 0;
  private canonO = 0;
  private canonSym = 0;

  nodes = 0;
  private nodeLimit = Infinity;

  constructor(options: EndgameSolverOptions = {}) {
    const bits = options.tableBits ?? 20;
    if (!(bits >= 4 && bits <= 26)) throw new RangeError(`tableBits must be 4..26, got ${bits}`);
    const size = 1 << bits;
    this.tableMask = size - 1;
    this.keyM = new Float64Array(size);
    this.keyO = new Float64Array(size);
    this.lower = new Int8Array(size);
    this.upper = new Int8Array(size);
    this.weight = new Int8Array(size);
    this.move = new Int16Array(size);
    this.symmetryMinEmpties = options.symmetryMinEmpties ?? 14;
  }

  /** Forgets every stored position (values stay valid across calls, so this is rarely needed). */
  clear(): void {
    this.weight.fill(0);
  }

  /**
   * Solves a position exactly. Returns null if it has more empty cells than allowed or the
   * node budget runs out; finished positions get their final value and no actions.
   */
  solve(game: PentagoGame, state: PentagoState, options: SolveOptions = {}): EndgameResult | null {
    const empties = 36 - state.ply;
    const terminal = game.terminalValue(state);
    if (terminal !== null) return { value: terminal as -1 | 0 | 1, bestActions: [], empties, nodes: 0 };
    if (empties > (options.maxEmpties ?? 16)) return null;
    this.nodes = 0;
    this.nodeLimit = options.maxNodes ?? Infinity;
    try {
      return this.solveRoot(game, state, empties, options.allBest ?? false);
    } catch (e) {
      if (e instanceof NodeBudgetExceeded) return null;
      throw e;
    } finally {
      this.nodeLimit = Infinity;
    }
  }

  /** The value for the player to move of a position that is not over (relative boards). */
  value(mLo: number, mHi: number, oLo: number, oHi: number): -1 | 0 | 1 {
    const empties = 36 - popcount(mLo) - popcount(mHi) - popcount(oLo) - popcount(oHi);
    // Two null-window questions ("a win?", then "at least a draw?") prune far more than
    // one search with the full window.
    if (this.negamax(mLo, mHi, oLo, oHi, empties, 0, 1) >= 1) return 1;
    return this.negamax(mLo, mHi, oLo, oHi, empties, -1, 0) >= 0 ? 0 : -1;
  }

  private solveRoot(game: PentagoGame, state: PentagoState, empties: number, allBest: boolean): EndgameResult {
    const moverIs0 = (state.ply & 1) === 0;
    const value = this.value(
      moverIs0 ? state.p0Lo : state.p1Lo,
      moverIs0 ? state.p0Hi : state.p1Hi,
      moverIs0 ? state.p1Lo : state.p0Lo,
      moverIs0 ? state.p1Hi : state.p0Hi,
    );
    // A lost position: every action is as good as any other.
    if (value === -1 && !allBest) return { value, bestActions: [game.legalActions(state)[0]!], empties, nodes: this.nodes };
    // Find the action(s) reaching the value: first among the children that end the game
    // (free to judge), then the others. Children repeat (rotations that change nothing),
    // so each distinct child is searched once.
    const actions = game.legalActions(state);
    const children = actions.map((a) => game.apply(state, a));
    const best: number[] = [];
    const ending = new Array<boolean>(actions.length);
    children.forEach((child, i) => {
      const t = game.terminalValue(child);
      ending[i] = t !== null;
      if (t !== null && -t === value) best.push(actions[i]!);
    });
    if (best.length > 0 && !allBest) return { value, bestActions: best.slice(0, 1), empties, nodes: this.nodes };
    const childValue = new Map<string, number>();
    for (let i = 0; i < actions.length; i++) {
      if (ending[i]) continue;
      const child = children[i]!;
      const key = game.key(child);
      let v = childValue.get(key);
      if (v === undefined) {
        const cIs0 = (child.ply & 1) === 0;
        const cm0 = cIs0 ? child.p0Lo : child.p1Lo;
        const cm1 = cIs0 ? child.p0Hi : child.p1Hi;
        const co0 = cIs0 ? child.p1Lo : child.p0Lo;
        const co1 = cIs0 ? child.p1Hi : child.p0Hi;
        // Exact value when all optimal actions are wanted; else a null window only asks
        // "does this child reach the value?" (child value <= -value).
        v = allBest
          ? -this.negamax(cm0, cm1, co0, co1, empties - 1, -1, 1)
          : -this.negamax(cm0, cm1, co0, co1, empties - 1, -value, -value + 1) >= value
            ? value
            : value - 1;
        childValue.set(key, v);
      }
      if (v === value) {
        best.push(actions[i]!);
        if (!allBest) break;
      }
    }
    best.sort((a, b) => a - b);
    return { value, bestActions: best, empties, nodes: this.nodes };
  }

  // -------------------------------------------------------------------------------------

  /** Sets canonM/canonO/canonSym to the least (mover, opponent) key over the 8 symmetries. */
  private canonicalize(mLo: number, mHi: number, oLo: number, oHi: number): void {
    let bestM = mHi * 262144 + mLo;
    let bestO = oHi * 262144 + oLo;
    let bestSym = 0;
    for (let g = 1; g < PENTAGO_SYMMETRIES; g++) {
      const local = SYMMETRY_LOCAL[g]!;
      const quad = SYMMETRY_QUADRANT[g]!;
      let tm0 = 0;
      let tm1 = 0;
      let to0 = 0;
      let to1 = 0;
      for (let q = 0; q < 4; q++) {
        const shift = (q & 1) * 9;
        const mBits = local[((q < 2 ? mLo : mHi) >>> shift) & 511]!;
        const oBits = local[((q < 2 ? oLo : oHi) >>> shift) & 511]!;
        const t = quad[q]!;
        const tShift = (t & 1) * 9;
        if (t < 2) {
          tm0 |= mBits << tShift;
          to0 |= oBits << tShift;
        } else {
          tm1 |= mBits << tShift;
          to1 |= oBits << tShift;
        }
      }
      const km = tm1 * 262144 + tm0;
      if (km < bestM || (km === bestM && to1 * 262144 + to0 < bestO)) {
        bestM = km;
        bestO = to1 * 262144 + to0;
        bestSym = g;
      }
    }
    this.canonM = bestM;
    this.canonO = bestO;
    this.canonSym = bestSym;
  }

  private hash(km: number, ko: number): number {
    // Both keys are 36-bit integers held exactly in doubles: mix their 32-bit halves.
    let h = Math.imul((km >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((km / 4294967296) | 0, 0xc2b2ae35);
    h ^= Math.imul((ko >>> 0) ^ 0x7f4a7c15, 0x27d4eb2f) ^ Math.imul(((ko / 4294967296) | 0) + 0x165667b1, 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & this.tableMask & ~1;
  }

  private negamax(mLo: number, mHi: number, oLo: number, oHi: number, empties: number, alpha: number, beta: number): number {
    if (++this.nodes > this.nodeLimit) throw new NodeBudgetExceeded();
    const alphaIn = alpha;

    // Transposition table: two-way buckets, keyed canonically on bigger subtrees.
    let km: number;
    let ko: number;
    let sym = 0;
    if (empties >= this.symmetryMinEmpties) {
      this.canonicalize(mLo, mHi, oLo, oHi);
      km = this.canonM;
      ko = this.canonO;
      sym = this.canonSym;
    } else {
      km = mHi * 262144 + mLo;
      ko = oHi * 262144 + oLo;
    }
    // A position with one empty cell is solved faster than it is looked up.
    const bucket = empties >= 2 ? this.hash(km, ko) : -1;
    let slot = -1;
    if (bucket < 0) {
      // no table
    } else if (this.weight[bucket] !== 0 && this.keyM[bucket] === km && this.keyO[bucket] === ko) slot = bucket;
    else if (this.weight[bucket + 1] !== 0 && this.keyM[bucket + 1] === km && this.keyO[bucket + 1] === ko) slot = bucket + 1;
    let ttMove = NO_MOVE;
    if (slot >= 0) {
      const lo = this.lower[slot]!;
      const up = this.upper[slot]!;
      if (lo >= beta || lo === up) return lo;
      if (up <= alpha) return up;
      if (lo > alpha) alpha = lo;
      if (up < beta) beta = up;
      ttMove = this.move[slot]!;
      if (ttMove !== NO_MOVE && sym !== 0) ttMove = mapMove(ttMove, inverseSymmetry(sym));
    }

    // Pass 1: every distinct rotation, its immediate outcomes, and the boards to search.
    let best = -2;
    let count = 0;
    let identitySeen = false;
    const base = empties * 8;
    for (let r = 0; r < 8; r++) {
      const q = r >> 1;
      const direction = r & 1;
      const shift = (q & 1) * 9;
      const mq = ((q < 2 ? mLo : mHi) >>> shift) & 511;
      const oq = ((q < 2 ? oLo : oHi) >>> shift) & 511;
      const table = ROTATE[direction as 0 | 1];
      const mr = table[mq]!;
      const or = table[oq]!;
      // Skip rotations that repeat a board already listed: a quadrant that a half turn
      // leaves alone turns the same both ways, and an unchanged quadrant is the identity.
      if (mr === mq && or === oq) {
        if (identitySeen) continue;
        identitySeen = true;
      } else if (direction === 1 && ROTATE[0][mq] === mr && ROTATE[0][oq] === or) continue;
      const keep = ~(511 << shift);
      let m0 = mLo;
      let m1 = mHi;
      let o0 = oLo;
      let o1 = oHi;
      if (q < 2) {
        m0 = (m0 & keep) | (mr << shift);
        o0 = (o0 & keep) | (or << shift);
      } else {
        m1 = (m1 & keep) | (mr << shift);
        o1 = (o1 & keep) | (or << shift);
      }
      const flags = lineFlags(m0, m1, o0, o1);
      const moverFive = (flags & MOVER_FIVE) !== 0;
      const moverThreat = (flags & MOVER_THREAT) !== 0;
      const opponentFive = (flags & OPPONENT_FIVE) !== 0;
      let immediate = -2;
      if (moverFive) immediate = opponentFive ? 0 : 1;
      else if (opponentFive) immediate = moverThreat ? 0 : -1;
      else if (moverThreat) immediate = 1;
      else if (empties === 1) immediate = 0; // the last stone fills the board without a five
      if (immediate !== -2) {
        if (immediate > best) {
          best = immediate;
          if (best === 1) return this.store(km, ko, bucket, slot, empties, 1, alphaIn, beta, NO_MOVE);
        }
        continue;
      }
      const at = (base + count) * 4;
      this.rotated[at] = m0;
      this.rotated[at + 1] = m1;
      this.rotated[at + 2] = o0;
      this.rotated[at + 3] = o1;
      this.rotation[base + count] = r;
      count++;
    }
    if (best >= beta) return this.store(km, ko, bucket, slot, empties, best, alphaIn, beta, NO_MOVE);
    if (best > alpha) alpha = best;

    // Pass 2: children, the stored best move first.
    let bestMove = NO_MOVE;
    if (ttMove !== NO_MOVE) {
      const r = ttMove >> 6;
      const position = ttMove & 63;
      for (let k = 0; k < count; k++) {
        if (this.rotation[base + k] !== r) continue;
        const at = (base + k) * 4;
        const word = position >= 18 ? 1 : 0;
        const bit = 1 << (position - word * 18);
        const m0 = this.rotated[at]!;
        const m1 = this.rotated[at + 1]!;
        const o0 = this.rotated[at + 2]!;
        const o1 = this.rotated[at + 3]!;
        if (((word === 0 ? m0 | o0 : m1 | o1) & bit) !== 0) break;
        const v =
          word === 0
            ? -this.negamax(o0, o1, m0 | bit, m1, empties - 1, -beta, -alpha)
            : -this.negamax(o0, o1, m0, m1 | bit, empties - 1, -beta, -alpha);
        if (v > best) {
          best = v;
          bestMove = ttMove;
          if (v > alpha) alpha = v;
        }
        break;
      }
    }
    if (alpha < beta) {
      // Order the remaining children: first those that leave the opponent no line one
      // stone short (else they win at once), then those that make us more such lines.
      const listBase = empties * 288;
      let n = 0;
      for (let k = 0; k < count; k++) {
        const at = (base + k) * 4;
        const m0 = this.rotated[at]!;
        const m1 = this.rotated[at + 1]!;
        const o0 = this.rotated[at + 2]!;
        const o1 = this.rotated[at + 3]!;
        const r = this.rotation[base + k]!;
        const theirs = threatLines(o0, o1, m0, m1);
        for (let word = 0; word < 2; word++) {
          let free = word === 0 ? FULL & ~(m0 | o0) : FULL & ~(m1 | o1);
          while (free !== 0) {
            const bit = free & -free;
            free ^= bit;
            const position = word * 18 + 31 - Math.clz32(bit);
            const moveCode = (r << 6) | position;
            if (moveCode === ttMove) continue;
            const c0 = word === 0 ? m0 | bit : m0;
            const c1 = word === 0 ? m1 : m1 | bit;
            const score =
              ((theirs & ~LINES_THROUGH[position]!) === 0 ? 64 : 0) + popcount(threatLines(c0, c1, o0, o1)) * 4 +
              this.history[moveCode]!;
            // Insertion into the sorted list (descending score).
            let i = n++;
            while (i > 0 && this.childScore[listBase + i - 1]! < score) {
              this.childScore[listBase + i] = this.childScore[listBase + i - 1]!;
              this.childCode[listBase + i] = this.childCode[listBase + i - 1]!;
              this.childRotation[listBase + i] = this.childRotation[listBase + i - 1]!;
              i--;
            }
            this.childScore[listBase + i] = score;
            this.childCode[listBase + i] = moveCode;
            this.childRotation[listBase + i] = k;
          }
        }
      }
      for (let i = 0; i < n; i++) {
        const moveCode = this.childCode[listBase + i]!;
        const at = (base + this.childRotation[listBase + i]!) * 4;
        const position = moveCode & 63;
        const m0 = this.rotated[at]!;
        const m1 = this.rotated[at + 1]!;
        const o0 = this.rotated[at + 2]!;
        const o1 = this.rotated[at + 3]!;
        const v =
          position < 18
            ? -this.negamax(o0, o1, m0 | (1 << position), m1, empties - 1, -beta, -alpha)
            : -this.negamax(o0, o1, m0, m1 | (1 << (position - 18)), empties - 1, -beta, -alpha);
        if (v > best) {
          best = v;
          bestMove = moveCode;
          if (v > alpha) {
            alpha = v;
            if (alpha >= beta) {
              this.history[moveCode]! += 1;
              break;
            }
          }
        }
      }
    }
    // Moves are stored in the frame of the canonical key.
    const stored = bestMove !== NO_MOVE && sym !== 0 ? mapMove(bestMove, sym) : bestMove;
    return this.store(km, ko, bucket, slot, empties, best, alphaIn, beta, stored);
  }

  /** Records a search result as bounds (merged with what the slot knew) and returns it. */
  private store(
    km: number,
    ko: number,
    bucket: number,
    slot: number,
    empties: number,
    value: number,
    alpha: number,
    beta: number,
    move: number,
  ): number {
    if (bucket < 0) return value;
    let lo = value <= alpha ? -1 : value;
    let up = value >= beta ? 1 : value;
    if (slot < 0) {
      // Replace the emptier (cheaper to recompute) entry of the bucket.
      slot = this.weight[bucket]! <= this.weight[bucket + 1]! ? bucket : bucket + 1;
      this.keyM[slot] = km;
      this.keyO[slot] = ko;
      this.weight[slot] = empties + 1;
      this.move[slot] = move;
    } else {
      if (this.lower[slot]! > lo) lo = this.lower[slot]!;
      if (this.upper[slot]! < up) up = this.upper[slot]!;
      if (move !== NO_MOVE) this.move[slot] = move;
    }
    this.lower[slot] = lo;
    this.upper[slot] = up;
    return value;
  }
}

// Line tables per quadrant and 9-bit content, as 32-bit sets of the 32 lines, so a whole
// board is judged with 12 lookups instead of a loop over the lines:
//  - COVERED[q*512+b]: lines whose cells inside quadrant q all lie in b (lines missing q too);
//  - ONE_SHORT[q*512+b]: lines with exactly one of their cells inside q missing from b;
//  - TOUCHED[q*512+b]: lines with a cell of b inside q.
const COVERED = new Int32Array(4 * 512);
const ONE_SHORT = new Int32Array(4 * 512);
const TOUCHED = new Int32Array(4 * 512);
for (let q = 0; q < 4; q++) {
  for (let b = 0; b < 512; b++) {
    let covered = 0;
    let oneShort = 0;
    let touched = 0;
    for (let i = 0; i < 32; i++) {
      const inQ = ((q < 2 ? LINE_LO[i]! : LINE_HI[i]!) >>> ((q & 1) * 9)) & 511;
      const missing = inQ & ~b;
      if (missing === 0) covered |= 1 << i;
      else if ((missing & (missing - 1)) === 0) oneShort |= 1 << i;
      if ((inQ & b) !== 0) touched |= 1 << i;
    }
    COVERED[q * 512 + b] = covered;
    ONE_SHORT[q * 512 + b] = oneShort;
    TOUCHED[q * 512 + b] = touched;
  }
}

const MOVER_FIVE = 1;
const MOVER_THREAT = 2;
const OPPONENT_FIVE = 4;

/** Lines where the first player has four and the fifth cell is empty. */
function threatLines(m0: number, m1: number, o0: number, o1: number): number {
  let b = m0 & 511;
  let full = COVERED[b]!;
  let short = ONE_SHORT[b]!;
  b = 512 + ((m0 >>> 9) & 511);
  short = (short & COVERED[b]!) | (full & ONE_SHORT[b]!);
  full &= COVERED[b]!;
  b = 1024 + (m1 & 511);
  short = (short & COVERED[b]!) | (full & ONE_SHORT[b]!);
  full &= COVERED[b]!;
  b = 1536 + ((m1 >>> 9) & 511);
  short = (short & COVERED[b]!) | (full & ONE_SHORT[b]!);
  const blocked =
    TOUCHED[o0 & 511]! | TOUCHED[512 + ((o0 >>> 9) & 511)]! | TOUCHED[1024 + (o1 & 511)]! | TOUCHED[1536 + ((o1 >>> 9) & 511)]!;
  return short & ~blocked;
}

/** Per board position (word*18 + bit): the lines through that cell. */
const LINES_THROUGH = new Int32Array(36);
for (let i = 0; i < 32; i++) {
  for (let position = 0; position < 36; position++) {
    const word = position < 18 ? LINE_LO[i]! : LINE_HI[i]!;
    if ((word >>> (position % 18)) & 1) LINES_THROUGH[position]! |= 1 << i;
  }
}

/**
 * Which of: the mover has a five; the mover has four of a line whose fifth cell is empty
 * (a placement there makes five); the opponent has a five. The quadrant walk is
 * threatLines()'s, written out again: both run per node of the endgame search, where a
 * shared helper would have to return two masks.
 */
function lineFlags(m0: number, m1: number, o0: number, o1: number): number {
  // Running over the quadrants: lines complete so far (full) and one cell short (short).
  let b = m0 & 511;
  let full = COVERED[b]!;
  let short = ONE_SHORT[b]!;
  b = 512 + ((m0 >>> 9) & 511);
  short = (short & COVERED[b]!) | (full & ONE_SHORT[b]!);
  full &= COVERED[b]!;
  b = 1024 + (m1 & 511);
  short = (short & COVERED[b]!) | (full & ONE_SHORT[b]!);
  full &= COVERED[b]!;
  b = 1536 + ((m1 >>> 9) & 511);
  short = (short & COVERED[b]!) | (full & ONE_SHORT[b]!);
  full &= COVERED[b]!;
  const oq0 = o0 & 511;
  const oq1 = 512 + ((o0 >>> 9) & 511);
  const oq2 = 1024 + (o1 & 511);
  const oq3 = 1536 + ((o1 >>> 9) & 511);
  const blocked = TOUCHED[oq0]! | TOUCHED[oq1]! | TOUCHED[oq2]! | TOUCHED[oq3]!;
  const opponentFull = COVERED[oq0]! & COVERED[oq1]! & COVERED[oq2]! & COVERED[oq3]!;
  return (
    (full !== 0 ? MOVER_FIVE : 0) | ((short & ~blocked) !== 0 ? MOVER_THREAT : 0) | (opponentFull !== 0 ? OPPONENT_FIVE : 0)
  );
}

// Moves inside the search: (rotation r << 6) | position, where position = word*18 + bit is
// the cell placed on the ALREADY ROTATED board.

const INVERSE_SYMMETRY = new Int8Array(PENTAGO_SYMMETRIES);
for (let g = 0; g < PENTAGO_SYMMETRIES; g++) {
  for (let h = 0; h < PENTAGO_SYMMETRIES; h++) {
    let identity = true;
    for (let b = 0; b < 512 && identity; b++) if (SYMMETRY_LOCAL[h]![SYMMETRY_LOCAL[g]![b]!] !== b) identity = false;
    for (let q = 0; q < 4 && identity; q++) if (SYMMETRY_QUADRANT[h]![SYMMETRY_QUADRANT[g]![q]!] !== q) identity = false;
    if (identity) INVERSE_SYMMETRY[g] = h;
  }
}

function inverseSymmetry(g: number): number {
  return INVERSE_SYMMETRY[g]!;
}

/** The image of a search move under symmetry g (reflections reverse the turn). */
function mapMove(move: number, g: number): number {
  const r = move >> 6;
  const position = move & 63;
  const word = position >= 18 ? 1 : 0;
  const bit = position - word * 18;
  const q = (word << 1) | (bit >= 9 ? 1 : 0);
  const local = bit % 9;
  const tq = SYMMETRY_QUADRANT[g]![q]!;
  const tLocal = 31 - Math.clz32(SYMMETRY_LOCAL[g]![1 << local]!);
  const tPosition = (tq >> 1) * 18 + (tq & 1) * 9 + tLocal;
  const tr = SYMMETRY_QUADRANT[g]![r >> 1]! * 2 + (g >= 4 ? (r & 1) ^ 1 : r & 1);
  return (tr << 6) | tPosition;
}

let sharedSolver: PentagoEndgameSolver | null = null;

/** Solves with a lazily created, shared solver (its table persists between calls). */
export function solvePentagoEndgame(game: PentagoGame, state: PentagoState, options?: SolveOptions): EndgameResult | null {
  sharedSolver ??= new PentagoEndgameSolver();
  return sharedSolver.solve(game, state, options);
}
