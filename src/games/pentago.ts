// Pentago with OpenSpiel's rules and action encoding (the paper's setting).
//
// Board coordinates: x = column 0..5 (letters a..f), y = row 0..5 (digits 1..6), row 1 at
// the TOP as OpenSpiel prints it; "clockwise" means clockwise in that picture. Action
// ((y*6)+x)*8 + r places a stone at (x, y) and then rotates quadrant r>>1 (0 top-left,
// 1 top-right, 2 bottom-right, 3 bottom-left) counter-clockwise (r&1 = 0) or clockwise (1).
// A five (32 lines) is looked for only after the rotation: both players with five is a
// draw, one player with five wins (even if it is the opponent of the mover), and a full
// board without five is a draw.
//
// Bitboard layout, chosen so a quadrant rotation is one 512-entry table lookup: each
// quadrant q is 9 bits, local index (y%3)*3 + (x%3), at bits 9*(q&1) of word lo (q = 0, 1)
// or hi (q = 2, 3). A player's stones are two 18-bit integers.

import { splitMoveTokens, type Game, type Player, type Winner } from './game.ts';

export const PENTAGO_CELLS = 36;
export const PENTAGO_ACTIONS = 288;

/**
 * Status codes of a Pentago state. Const enums here are written in where they are used:
 * V8 (Node 20) loads a module-level const or object from the module's context at every use.
 */
export const enum PentagoStatus {
  Playing = 0,
  Player0Won = 1,
  Player1Won = 2,
  Draw = 3,
}

export class PentagoState {
  constructor(
    /** Player 0's stones (quadrants 0,1 / quadrants 2,3), 18 bits each. */
    readonly p0Lo: number,
    readonly p0Hi: number,
    /** Player 1's stones. */
    readonly p1Lo: number,
    readonly p1Hi: number,
    readonly ply: number,
    readonly status: PentagoStatus,
  ) {}
}

// ---------------------------------------------------------------------------------------
// Geometry tables, shared with the endgame solver.

/** Quadrant of the cell (x, y): 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left. */
export function quadrantOf(x: number, y: number): number {
  const right = x >= 3;
  if (y < 3) return right ? 1 : 0;
  return right ? 2 : 3;
}

/** Per cell index y*6+x: 0 if its bit is in the lo word, 1 if in hi. */
export const CELL_WORD = new Uint8Array(PENTAGO_CELLS);
/** Per cell index: its bit position inside its word (0..17). */
export const CELL_BIT = new Uint8Array(PENTAGO_CELLS);
/** Per cell index: 1 << CELL_BIT, for OR-ing into the word. */
export const CELL_MASK = new Int32Array(PENTAGO_CELLS);
/** Per 36-bit board position p = word*18 + bit: the cell index y*6+x. */
export const POSITION_CELL = new Uint8Array(PENTAGO_CELLS);

for (let y = 0; y < 6; y++) {
  for (let x = 0; x < 6; x++) {
    const cell = y * 6 + x;
    const q = quadrantOf(x, y);
    const bit = (q & 1) * 9 + (y % 3) * 3 + (x % 3);
    CELL_WORD[cell] = q >> 1;
    CELL_BIT[cell] = bit;
    CELL_MASK[cell] = 1 << bit;
    POSITION_CELL[(q >> 1) * 18 + bit] = cell;
  }
}

/**
 * The board's 12 quadrant rows of 3 cells, quadrant by quadrant (0 and 1 in the lo word, 2 and
 * 3 in hi), top row first: QUADRANT_ROW_CELL[r] is row r's leftmost cell (y*6+x) and
 * QUADRANT_ROW_SHIFT[r] where its 3 bits start in their word. Writers of per-cell arrays go row
 * by row: one shift per 3 cells, and cells that are neighbours in memory.
 */
const QUADRANT_ROW_CELL = new Int32Array(12);
const QUADRANT_ROW_SHIFT = new Int32Array(12);
for (let r = 0; r < 12; r++) {
  const q = Math.floor(r / 3);
  const row = r % 3;
  QUADRANT_ROW_CELL[r] = (q === 0 || q === 1 ? 0 : 3 * 6) + (q === 1 || q === 2 ? 3 : 0) + row * 6;
  QUADRANT_ROW_SHIFT[r] = (q & 1) * 9 + row * 3;
}

/** Quadrant q's 9 bits of the stone words lo:hi (quadrants 0 and 1 in lo, 2 and 3 in hi, 9 bits each). */
function quadrantBits(lo: number, hi: number, q: number): number {
  return ((q < 2 ? lo : hi) >>> ((q & 1) * 9)) & 511;
}

/** The stone word holding quadrant row r (of QUADRANT_ROW_CELL). */
function rowWord(lo: number, hi: number, r: number): number {
  return r < 6 ? lo : hi;
}

/** Board row y's 6 cells (x = 0..5 as bits 0..5) of the stone words lo:hi. */
function boardRow(lo: number, hi: number, y: number): number {
  if (y < 3) {
    const s = 3 * y;
    return ((lo >>> s) & 7) | (((lo >>> (9 + s)) & 7) << 3); // quadrants 0 (left) and 1
  }
  const s = 3 * (y - 3);
  return ((hi >>> (9 + s)) & 7) | (((hi >>> s) & 7) << 3); // quadrants 3 (left) and 2
}

/**
 * One float64 store covers a cell's 8 legal-mask bytes: all 1 (its bit pattern, a normal
 * double) when the cell is free, all 0 when occupied. Indexed by the occupied bit.
 */
const CELL_ACTIONS_MASK = Float64Array.of(new Float64Array(new Uint8Array(8).fill(1).buffer)[0]!, 0);

/**
 * Two neighbouring cells of an observation plane as one float64 store: PAIR_PLANES[v] holds the
 * floats (v & 1, v >> 1), built through a float32 view so that either byte order gets the
 * cells in memory order. Some of these bit patterns are subnormal doubles: loads and stores
 * keep their bits.
 */
const PAIR_PLANES = new Float64Array(4);
{
  const floats = new Float32Array(PAIR_PLANES.buffer);
  for (let v = 0; v < 4; v++) {
    floats[2 * v] = v & 1;
    floats[2 * v + 1] = v >> 1;
  }
}

/**
 * Float64 views of the last two arrays a writer wrote to (null: not 8-byte aligned), keyed by
 * the array: its buffer and byteOffset are getters that cost as much as the stores, and a
 * search alternates two arrays (its batch's and a scratch of its trees).
 */
class Float64Views<T extends Uint8Array | Float32Array> {
  private array: T | null = null;
  private view: Float64Array | null = null;
  private otherArray: T | null = null;
  private otherView: Float64Array | null = null;

  of(out: T): Float64Array | null {
    if (out !== this.array) {
      const array = this.otherArray;
      const view = this.otherView;
      this.otherArray = this.array;
      this.otherView = this.view;
      this.array = out;
      this.view =
        out === array ? view : out.byteOffset % 8 === 0 ? new Float64Array(out.buffer, out.byteOffset, out.byteLength >> 3) : null;
    }
    return this.view;
  }
}

/** Rotation tables of a 9-bit quadrant: ROTATE_CCW[b], ROTATE_CW[b] (index = direction bit). */
export const ROTATE = [new Uint16Array(512), new Uint16Array(512)] as const;
for (let b = 0; b < 512; b++) {
  let ccw = 0;
  let cw = 0;
  for (let ly = 0; ly < 3; ly++) {
    for (let lx = 0; lx < 3; lx++) {
      if (((b >> (ly * 3 + lx)) & 1) === 0) continue;
      // Clockwise with y pointing down: (lx, ly) -> (2 - ly, lx).
      cw |= 1 << (lx * 3 + (2 - ly));
      // Counter-clockwise: (lx, ly) -> (ly, 2 - lx).
      ccw |= 1 << ((2 - lx) * 3 + ly);
    }
  }
  ROTATE[0][b] = ccw;
  ROTATE[1][b] = cw;
}

/** The 32 five-cell lines as pairs of word masks: LINE_LO[i], LINE_HI[i]. */
export const LINE_LO = new Int32Array(32);
export const LINE_HI = new Int32Array(32);
/** The cells of each line, 5 per line. */
export const LINE_CELLS: number[][] = [];
{
  const directions = [
    [1, 0],
    [0, 1],
    [1, 1],
    [1, -1],
  ] as const;
  let i = 0;
  for (const [dx, dy] of directions) {
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) {
        const ex = x + 4 * dx;
        const ey = y + 4 * dy;
        if (ex < 0 || ex > 5 || ey < 0 || ey > 5) continue;
        const cells: number[] = [];
        for (let k = 0; k < 5; k++) {
          const cell = (y + k * dy) * 6 + (x + k * dx);
          cells.push(cell);
          if (CELL_WORD[cell] === 0) LINE_LO[i]! |= CELL_MASK[cell]!;
          else LINE_HI[i]! |= CELL_MASK[cell]!;
        }
        LINE_CELLS.push(cells);
        i++;
      }
    }
  }
  if (i !== 32) throw new Error(`pentago: expected 32 lines, built ${i}`);
}

/**
 * Per (cell, quadrant) = cell*4 + q: the lines a move "place at cell, rotate q" can complete,
 * i.e. lines meeting quadrant q or through the cell. All others are unchanged by the move.
 */
export const LINES_FOR_MOVE: Int8Array[] = [];
for (let cell = 0; cell < PENTAGO_CELLS; cell++) {
  for (let q = 0; q < 4; q++) {
    const list: number[] = [];
    for (let i = 0; i < 32; i++) {
      const cells = LINE_CELLS[i]!;
      if (cells.includes(cell) || cells.some((c) => quadrantOf(c % 6, (c / 6) | 0) === q)) list.push(i);
    }
    LINES_FOR_MOVE.push(Int8Array.from(list));
  }
}

/** Whether a stone set (lo, hi) contains a five. */
export function hasFive(lo: number, hi: number): boolean {
  for (let i = 0; i < 32; i++) {
    const mLo = LINE_LO[i]!;
    const mHi = LINE_HI[i]!;
    if ((lo & mLo) === mLo && (hi & mHi) === mHi) return true;
  }
  return false;
}

/** Rotates quadrant q of one word pair's stones; returns the changed word. */
export function rotateWord(word: number, q: number, direction: number): number {
  const shift = (q & 1) * 9;
  return (word & ~(511 << shift)) | (ROTATE[direction as 0 | 1][(word >>> shift) & 511]! << shift);
}

// The 8 symmetries of the square, as maps of (x, y) on the 6x6 board; 0..3 are the
// rotations (by 0, 90, 180, 270 degrees clockwise), 4..7 the reflections. Because 6 = 2x3,
// each one moves whole quadrants and transforms every quadrant's 3x3 content the same way.
const SYMMETRY_MAPS: ((x: number, y: number, n: number) => [number, number])[] = [
  (x, y) => [x, y],
  (x, y, n) => [n - y, x],
  (x, y, n) => [n - x, n - y],
  (x, y, n) => [y, n - x],
  (x, y, n) => [n - x, y],
  (x, y, n) => [x, n - y],
  (x, y) => [y, x],
  (x, y, n) => [n - y, n - x],
];
export const PENTAGO_SYMMETRIES = 8;
/** SYMMETRY_CELL[g][cell] = image of the cell under symmetry g. */
export const SYMMETRY_CELL: Uint8Array[] = [];
/** SYMMETRY_QUADRANT[g][q] = image of quadrant q. */
export const SYMMETRY_QUADRANT: Uint8Array[] = [];
/** SYMMETRY_LOCAL[g][bits9] = a quadrant's 9-bit content transformed by g. */
export const SYMMETRY_LOCAL: Uint16Array[] = [];
/** SYMMETRY_ACTION[g][a] = image of action a under g. */
export const SYMMETRY_ACTION: Int32Array[] = [];

for (let g = 0; g < PENTAGO_SYMMETRIES; g++) {
  const map = SYMMETRY_MAPS[g]!;
  const cellMap = new Uint8Array(PENTAGO_CELLS);
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 6; x++) {
      const [tx, ty] = map(x, y, 5);
      cellMap[y * 6 + x] = ty * 6 + tx;
    }
  }
  const quadMap = new Uint8Array(4);
  for (const [x, y] of [
    [1, 1],
    [4, 1],
    [4, 4],
    [1, 4],
  ] as const) {
    const [tx, ty] = map(x, y, 5);
    quadMap[quadrantOf(x, y)] = quadrantOf(tx, ty);
  }
  const local = new Uint16Array(512);
  for (let b = 0; b < 512; b++) {
    let t = 0;
    for (let l = 0; l < 9; l++) {
      if (((b >> l) & 1) === 0) continue;
      const [tx, ty] = map(l % 3, (l / 3) | 0, 2);
      t |= 1 << (ty * 3 + tx);
    }
    local[b] = t;
  }
  const actionMap = new Int32Array(PENTAGO_ACTIONS);
  const reflection = g >= 4;
  for (let a = 0; a < PENTAGO_ACTIONS; a++) {
    const cell = a >> 3;
    const q = (a >> 1) & 3;
    const direction = a & 1;
    // A reflection turns a clockwise quadrant rotation into a counter-clockwise one.
    actionMap[a] = cellMap[cell]! * 8 + quadMap[q]! * 2 + (reflection ? direction ^ 1 : direction);
  }
  SYMMETRY_CELL.push(cellMap);
  SYMMETRY_QUADRANT.push(quadMap);
  SYMMETRY_LOCAL.push(local);
  SYMMETRY_ACTION.push(actionMap);
}

/** Transforms one player's stones (lo, hi) by symmetry g; returns [lo, hi]. */
export function transformStones(lo: number, hi: number, g: number): [number, number] {
  const local = SYMMETRY_LOCAL[g]!;
  const quad = SYMMETRY_QUADRANT[g]!;
  let outLo = 0;
  let outHi = 0;
  for (let q = 0; q < 4; q++) {
    const bits = local[quadrantBits(lo, hi, q)]!;
    const t = quad[q]!;
    if (t < 2) outLo |= bits << ((t & 1) * 9);
    else outHi |= bits << ((t & 1) * 9);
  }
  return [outLo, outHi];
}

const enum Word {
  /** Every cell of a word's two quadrants. */
  FULL = (1 << 18) - 1,
}
const ROTATION_LETTERS = 'stuvwxyz';

// ---------------------------------------------------------------------------------------

export class PentagoGame implements Game<PentagoState> {
  readonly name = 'pentago';
  readonly numActions = PENTAGO_ACTIONS;
  readonly numCells = PENTAGO_CELLS;
  readonly observationSize = 3 * PENTAGO_CELLS;
  readonly maxPlies = PENTAGO_CELLS;
  readonly numSymmetries = PENTAGO_SYMMETRIES;

  private readonly initial = new PentagoState(0, 0, 0, 0, 0, PentagoStatus.Playing);
  private readonly maskViews = new Float64Views<Uint8Array>();
  private readonly observationViews = new Float64Views<Float32Array>();

  initialState(): PentagoState {
    return this.initial;
  }

  /** The state with the given stones of player 0 and 1 (cell lists, y*6+x); status computed. */
  fromCells(player0: readonly number[], player1: readonly number[]): PentagoState {
    let p0Lo = 0;
    let p0Hi = 0;
    let p1Lo = 0;
    let p1Hi = 0;
    for (const c of player0) {
      if (CELL_WORD[c] === 0) p0Lo |= CELL_MASK[c]!;
      else p0Hi |= CELL_MASK[c]!;
    }
    for (const c of player1) {
      if (CELL_WORD[c] === 0) p1Lo |= CELL_MASK[c]!;
      else p1Hi |= CELL_MASK[c]!;
    }
    return this.fromStones(p0Lo, p0Hi, p1Lo, p1Hi);
  }

  /**
   * The state with these bitboards; the player to move follows from the stone counts
   * (player 0 has as many stones as player 1, or one more after its move). Throws otherwise.
   */
  fromStones(p0Lo: number, p0Hi: number, p1Lo: number, p1Hi: number): PentagoState {
    if ((p0Lo & p1Lo) | (p0Hi & p1Hi)) throw new RangeError('pentago: a cell holds two stones');
    const n0 = popcount(p0Lo) + popcount(p0Hi);
    const n1 = popcount(p1Lo) + popcount(p1Hi);
    if (n0 !== n1 && n0 !== n1 + 1) throw new RangeError(`pentago: stone counts ${n0} and ${n1} cannot occur`);
    const ply = n0 + n1;
    return new PentagoState(p0Lo, p0Hi, p1Lo, p1Hi, ply, statusOf(p0Lo, p0Hi, p1Lo, p1Hi, ply));
  }

  currentPlayer(state: PentagoState): Player {
    return (state.ply & 1) as Player;
  }

  ply(state: PentagoState): number {
    return state.ply;
  }

  isTerminal(state: PentagoState): boolean {
    return state.status !== PentagoStatus.Playing;
  }

  terminalValue(state: PentagoState): number | null {
    switch (state.status) {
      case PentagoStatus.Playing:
        return null;
      case PentagoStatus.Draw:
        return 0;
      case PentagoStatus.Player0Won:
        return (state.ply & 1) === 0 ? 1 : -1;
      default:
        return (state.ply & 1) === 1 ? 1 : -1;
    }
  }

  winner(state: PentagoState): Winner | null {
    switch (state.status) {
      case PentagoStatus.Playing:
        return null;
      case PentagoStatus.Draw:
        return 'draw';
      case PentagoStatus.Player0Won:
        return 0;
      default:
        return 1;
    }
  }

  /** 0 empty, 1 player 0, 2 player 1. */
  cellOwner(state: PentagoState, cell: number): 0 | 1 | 2 {
    const m = CELL_MASK[cell]!;
    const hi = CELL_WORD[cell] === 1;
    if ((hi ? state.p0Hi : state.p0Lo) & m) return 1;
    if ((hi ? state.p1Hi : state.p1Lo) & m) return 2;
    return 0;
  }

  isLegal(state: PentagoState, action: number): boolean {
    if (state.status !== PentagoStatus.Playing) return false;
    if (!Number.isInteger(action) || action < 0 || action >= PENTAGO_ACTIONS) return false;
    const cell = action >> 3;
    const occupied = CELL_WORD[cell] === 0 ? state.p0Lo | state.p1Lo : state.p0Hi | state.p1Hi;
    return (occupied & CELL_MASK[cell]!) === 0;
  }

  legalActions(state: PentagoState): number[] {
    const actions: number[] = [];
    if (state.status !== PentagoStatus.Playing) return actions;
    const occLo = state.p0Lo | state.p1Lo;
    const occHi = state.p0Hi | state.p1Hi;
    for (let cell = 0; cell < PENTAGO_CELLS; cell++) {
      if (((CELL_WORD[cell] === 0 ? occLo : occHi) & CELL_MASK[cell]!) !== 0) continue;
      const base = cell * 8;
      for (let r = 0; r < 8; r++) actions.push(base + r);
    }
    return actions;
  }

  legalMask(state: PentagoState, out: Uint8Array, offset = 0): number {
    if (state.status !== PentagoStatus.Playing) {
      out.fill(0, offset, offset + PENTAGO_ACTIONS);
      return 0;
    }
    const occLo = state.p0Lo | state.p1Lo;
    const occHi = state.p0Hi | state.p1Hi;
    const cells = (offset & 7) === 0 ? this.maskViews.of(out) : null;
    if (cells !== null) {
      // A cell's 8 actions are one float64 store (batched masks are 8-byte aligned), and no
      // branch on occupancy, which a branch predictor cannot guess.
      const first = offset >> 3;
      for (let r = 0; r < 12; r++) {
        const bits = rowWord(occLo, occHi, r) >>> QUADRANT_ROW_SHIFT[r]!;
        const at = first + QUADRANT_ROW_CELL[r]!;
        cells[at] = CELL_ACTIONS_MASK[bits & 1]!;
        cells[at + 1] = CELL_ACTIONS_MASK[(bits >>> 1) & 1]!;
        cells[at + 2] = CELL_ACTIONS_MASK[(bits >>> 2) & 1]!;
      }
      return 8 * (PENTAGO_CELLS - popcount(occLo) - popcount(occHi));
    }
    let count = 0;
    for (let cell = 0; cell < PENTAGO_CELLS; cell++) {
      const free = ((CELL_WORD[cell] === 0 ? occLo : occHi) & CELL_MASK[cell]!) === 0 ? 1 : 0;
      const base = offset + cell * 8;
      for (let r = 0; r < 8; r++) out[base + r] = free;
      count += free * 8;
    }
    return count;
  }

  apply(state: PentagoState, action: number): PentagoState {
    if (!this.isLegal(state, action)) {
      throw new RangeError(
        `pentago: illegal action ${action} at ply ${state.ply}${state.status ? ' (game over)' : ''}`,
      );
    }
    const cell = action >> 3;
    const q = (action >> 1) & 3;
    const direction = action & 1;
    let p0Lo = state.p0Lo;
    let p0Hi = state.p0Hi;
    let p1Lo = state.p1Lo;
    let p1Hi = state.p1Hi;
    const m = CELL_MASK[cell]!;
    const moverIs0 = (state.ply & 1) === 0;
    if (CELL_WORD[cell] === 0) {
      if (moverIs0) p0Lo |= m;
      else p1Lo |= m;
    } else if (moverIs0) p0Hi |= m;
    else p1Hi |= m;

    const shift = (q & 1) * 9;
    const table = ROTATE[direction as 0 | 1];
    const keep = ~(511 << shift);
    if (q < 2) {
      p0Lo = (p0Lo & keep) | (table[(p0Lo >>> shift) & 511]! << shift);
      p1Lo = (p1Lo & keep) | (table[(p1Lo >>> shift) & 511]! << shift);
    } else {
      p0Hi = (p0Hi & keep) | (table[(p0Hi >>> shift) & 511]! << shift);
      p1Hi = (p1Hi & keep) | (table[(p1Hi >>> shift) & 511]! << shift);
    }

    // Only lines through the rotated quadrant or the new stone can have changed, and the
    // position before had no five (it was not over).
    const lines = LINES_FOR_MOVE[cell * 4 + q]!;
    let five0 = false;
    let five1 = false;
    for (let k = 0; k < lines.length; k++) {
      const i = lines[k]!;
      const mLo = LINE_LO[i]!;
      const mHi = LINE_HI[i]!;
      if ((p0Lo & mLo) === mLo && (p0Hi & mHi) === mHi) five0 = true;
      if ((p1Lo & mLo) === mLo && (p1Hi & mHi) === mHi) five1 = true;
    }
    const ply = state.ply + 1;
    let status: PentagoStatus = PentagoStatus.Playing;
    if (five0) status = five1 ? PentagoStatus.Draw : PentagoStatus.Player0Won;
    else if (five1) status = PentagoStatus.Player1Won;
    else if (ply === PENTAGO_CELLS) status = PentagoStatus.Draw;
    return new PentagoState(p0Lo, p0Hi, p1Lo, p1Hi, ply, status);
  }

  /** Cell order: y*6 + x, row 1 (y = 0) first, as OpenSpiel's observation tensor. */
  writeObservation(state: PentagoState, out: Float32Array, offset = 0): void {
    const moverIs0 = (state.ply & 1) === 0;
    const ownLo = moverIs0 ? state.p0Lo : state.p1Lo;
    const ownHi = moverIs0 ? state.p0Hi : state.p1Hi;
    const oppLo = moverIs0 ? state.p1Lo : state.p0Lo;
    const oppHi = moverIs0 ? state.p1Hi : state.p0Hi;
    const pairs = (offset & 1) === 0 ? this.observationViews.of(out) : null;
    if (pairs !== null) {
      // A board row of 6 cells is 3 float64 stores a plane: 54 stores against 108, each of
      // which pays V8's checks. In a search this took the function from ~2.7k to ~1.6k
      // instructions a simulation.
      const first = offset >> 1;
      for (let y = 0; y < 6; y++) {
        const own = boardRow(ownLo, ownHi, y);
        const opp = boardRow(oppLo, oppHi, y);
        const empty = ~(own | opp) & 63;
        const at = first + 3 * y;
        pairs[at] = PAIR_PLANES[own & 3]!;
        pairs[at + 1] = PAIR_PLANES[(own >>> 2) & 3]!;
        pairs[at + 2] = PAIR_PLANES[own >>> 4]!;
        pairs[at + 18] = PAIR_PLANES[opp & 3]!;
        pairs[at + 19] = PAIR_PLANES[(opp >>> 2) & 3]!;
        pairs[at + 20] = PAIR_PLANES[opp >>> 4]!;
        pairs[at + 36] = PAIR_PLANES[empty & 3]!;
        pairs[at + 37] = PAIR_PLANES[(empty >>> 2) & 3]!;
        pairs[at + 38] = PAIR_PLANES[empty >>> 4]!;
      }
      return;
    }
    for (let r = 0; r < 12; r++) {
      const shift = QUADRANT_ROW_SHIFT[r]!;
      const own = rowWord(ownLo, ownHi, r) >>> shift;
      const opp = rowWord(oppLo, oppHi, r) >>> shift;
      const at = offset + QUADRANT_ROW_CELL[r]!;
      const own0 = own & 1;
      const own1 = (own >>> 1) & 1;
      const own2 = (own >>> 2) & 1;
      const opp0 = opp & 1;
      const opp1 = (opp >>> 1) & 1;
      const opp2 = (opp >>> 2) & 1;
      out[at] = own0;
      out[at + 1] = own1;
      out[at + 2] = own2;
      out[at + PENTAGO_CELLS] = opp0;
      out[at + PENTAGO_CELLS + 1] = opp1;
      out[at + PENTAGO_CELLS + 2] = opp2;
      out[at + 2 * PENTAGO_CELLS] = 1 - own0 - opp0;
      out[at + 2 * PENTAGO_CELLS + 1] = 1 - own1 - opp1;
      out[at + 2 * PENTAGO_CELLS + 2] = 1 - own2 - opp2;
    }
  }

  transformState(state: PentagoState, sym: number): PentagoState {
    if (sym === 0) return state;
    if (!(sym >= 0 && sym < PENTAGO_SYMMETRIES && Number.isInteger(sym))) {
      throw new RangeError(`pentago: symmetry ${sym} out of range 0..7`);
    }
    const [p0Lo, p0Hi] = transformStones(state.p0Lo, state.p0Hi, sym);
    const [p1Lo, p1Hi] = transformStones(state.p1Lo, state.p1Hi, sym);
    return new PentagoState(p0Lo, p0Hi, p1Lo, p1Hi, state.ply, state.status);
  }

  actionPermutation(sym: number): Int32Array {
    const perm = SYMMETRY_ACTION[sym];
    if (!perm) throw new RangeError(`pentago: symmetry ${sym} out of range 0..7`);
    return perm;
  }

  /** Player 0's and player 1's stones as two exact 36-bit numbers; together unique per position. */
  numericKeyPair(state: PentagoState): [number, number] {
    return [state.p0Hi * 262144 + state.p0Lo, state.p1Hi * 262144 + state.p1Lo];
  }

  /** The four 18-bit stone words packed into 72 bits. */
  readonly keyWords = 3;

  writeKey(state: PentagoState, out: Int32Array, offset = 0): void {
    const { p0Lo, p0Hi, p1Lo, p1Hi } = state;
    out[offset] = p0Lo | (p0Hi << 18);
    out[offset + 1] = (p0Hi >>> 14) | (p1Lo << 4) | (p1Hi << 22);
    out[offset + 2] = p1Hi >>> 10;
  }

  key(state: PentagoState): string {
    // Four 18-bit words, 72 bits, in five 16-bit code units. The player to move follows from
    // the stone counts.
    const { p0Lo, p0Hi, p1Lo, p1Hi } = state;
    return String.fromCharCode(
      p0Lo & 0xffff,
      (p0Lo >>> 16) | ((p0Hi & 0x3fff) << 2),
      (p0Hi >>> 14) | ((p1Lo & 0xfff) << 4),
      (p1Lo >>> 12) | ((p1Hi & 0x3ff) << 6),
      p1Hi >>> 10,
    );
  }

  /** OpenSpiel's notation: column a-f, row 1-6, rotation letter s-z for r = 0..7 ("a1s"). */
  actionToString(action: number): string {
    if (!Number.isInteger(action) || action < 0 || action >= PENTAGO_ACTIONS) {
      throw new RangeError(`pentago: action ${action} out of range 0..287`);
    }
    const cell = action >> 3;
    return String.fromCharCode(97 + (cell % 6), 49 + ((cell / 6) | 0)) + ROTATION_LETTERS[action & 7];
  }

  parseAction(text: string): number {
    const m = /^([a-f])([1-6])([s-z])$/.exec(text.trim().toLowerCase());
    if (!m) throw new RangeError(`pentago: "${text}" is not an action like a1s (a-f, 1-6, s-z)`);
    const x = m[1]!.charCodeAt(0) - 97;
    const y = m[2]!.charCodeAt(0) - 49;
    return (y * 6 + x) * 8 + ROTATION_LETTERS.indexOf(m[3]!);
  }

  formatMoves(actions: readonly number[]): string {
    return actions.map((a) => this.actionToString(a)).join(' ');
  }

  parseMoves(text: string): number[] {
    return splitMoveTokens(text, 3).map((t) => this.parseAction(t));
  }

  /** OpenSpiel's symbols: O for player 0, @ for player 1. */
  render(state: PentagoState): string {
    const symbols = ['.', 'O', '@'];
    const lines = ['    a b c d e f'];
    for (let y = 0; y < 6; y++) {
      let line = `  ${y + 1}`;
      for (let x = 0; x < 6; x++) line += (x === 3 ? '  ' : ' ') + symbols[this.cellOwner(state, y * 6 + x)];
      lines.push(line);
      if (y === 2) lines.push('');
    }
    const w = this.winner(state);
    lines.push(
      `ply ${state.ply}, ` +
        (w === null ? `${symbols[(state.ply & 1) + 1]} to move` : w === 'draw' ? 'draw' : `${symbols[w + 1]} won`),
    );
    return lines.join('\n');
  }
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

function statusOf(p0Lo: number, p0Hi: number, p1Lo: number, p1Hi: number, ply: number): PentagoStatus {
  const five0 = hasFive(p0Lo, p0Hi);
  const five1 = hasFive(p1Lo, p1Hi);
  if (five0) return five1 ? PentagoStatus.Draw : PentagoStatus.Player0Won;
  if (five1) return PentagoStatus.Player1Won;
  return ply === PENTAGO_CELLS || ((p0Lo | p1Lo) === Word.FULL && (p0Hi | p1Hi) === Word.FULL)
    ? PentagoStatus.Draw
    : PentagoStatus.Playing;
}
