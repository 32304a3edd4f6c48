// Connect Four on bitboards in Pascal Pons' layout: column-major, (height+1) bits per
// column, bit (col*(height+1) + row) with row 0 at the bottom. The extra bit on top of each
// column stays zero in the stone sets and stops alignments from wrapping between columns,
// so "four in a row" is four shift-and-AND steps.
//
// A board of width*(height+1) <= 64 bits lives in two 32-bit integers (lo = bits 0..31,
// hi = bits 32..63): no BigInt anywhere, so the hot paths stay in V8's small-integer code.
// A state stores, as Pons does, the stones of the player to move (`cur`) and the occupied
// cells (`mask`); the opponent's stones are mask ^ cur.

import { splitMoveTokens, type Game, type Player, type Winner } from './game.ts';

export interface Connect4Options {
  /** Columns, default 7. */
  width?: number;
  /** Rows, default 6. */
  height?: number;
}

/**
 * Playing, or how the game ended. The last mover is the only one who can have won. A const
 * enum, so that the search's hot paths read literals, not a module-level object.
 */
export const enum C4Status {
  Playing = 0,
  LastMoverWon = 1,
  Draw = 2,
}

export class Connect4State {
  constructor(
    /** Stones of the player to move, low / high 32 bits (signed int32 values). */
    readonly curLo: number,
    readonly curHi: number,
    /** Occupied cells, low / high 32 bits. */
    readonly maskLo: number,
    readonly maskHi: number,
    readonly ply: number,
    readonly status: C4Status,
  ) {}
}

/** Shifts the 64-bit value (hi:lo) right by s (1 <= s <= 31) and ANDs it with itself. */
function hasFourAlong(lo: number, hi: number, s: number): boolean {
  const mLo = lo & ((lo >>> s) | (hi << (32 - s)));
  const mHi = hi & (hi >>> s);
  const s2 = s + s;
  return ((mLo & ((mLo >>> s2) | (mHi << (32 - s2)))) | (mHi & (mHi >>> s2))) !== 0;
}

export class Connect4Game implements Game<Connect4State> {
  readonly name = 'connect4';
  readonly width: number;
  readonly height: number;
  readonly numActions: number;
  readonly numCells: number;
  readonly observationSize: number;
  readonly maxPlies: number;
  readonly numSymmetries = 2;

  /** Bits per column (height + 1). */
  readonly columnBits: number;
  /** Per column: its playable cells (bottom `height` bits), low / high words. */
  readonly columnLo: Int32Array;
  readonly columnHi: Int32Array;
  /** Per column: its top playable cell. */
  readonly topLo: Int32Array;
  readonly topHi: Int32Array;
  /** Per column: its bottom cell. */
  readonly bottomLo: Int32Array;
  readonly bottomHi: Int32Array;

  /** Per bit position: its cell (cellIndex); -1 for bits that are no cell (each column's guard bit, those past the board). */
  private readonly cellOfBit: Int32Array;
  /** The empty board's observation: no stones on either player's plane, every cell empty. */
  private readonly emptyObservation: Float32Array;
  private readonly initial: Connect4State;
  private readonly permutations: Int32Array[];
  /** Whether key material fits a double exactly (width*(height+1)+1 <= 53 bits). */
  private readonly numericKeyFits: boolean;
  readonly keyWords: number;

  constructor(options: Connect4Options = {}) {
    const width = options.width ?? 7;
    const height = options.height ?? 6;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 4 || height < 4) {
      throw new RangeError(`connect4: width and height must be integers >= 4, got ${width}x${height}`);
    }
    // The 2-word shifts need 2*(height+2) <= 31 and the board must fit 64 bits.
    if (width * (height + 1) > 64 || height > 13) {
      throw new RangeError(`connect4: a ${width}x${height} board needs more than 64 bits`);
    }
    this.width = width;
    this.height = height;
    this.columnBits = height + 1;
    this.numActions = width;
    this.numCells = width * height;
    this.observationSize = 3 * this.numCells;
    this.maxPlies = width * height;
    this.numericKeyFits = width * (height + 1) + 1 <= 53;
    this.keyWords = this.numericKeyFits ? 2 : 4;

    this.columnLo = new Int32Array(width);
    this.columnHi = new Int32Array(width);
    this.topLo = new Int32Array(width);
    this.topHi = new Int32Array(width);
    this.bottomLo = new Int32Array(width);
    this.bottomHi = new Int32Array(width);
    for (let c = 0; c < width; c++) {
      for (let r = 0; r < height; r++) {
        const bit = this.bitIndex(c, r);
        if (bit < 32) this.columnLo[c]! |= 1 << bit;
        else this.columnHi[c]! |= 1 << (bit - 32);
      }
      const top = this.bitIndex(c, height - 1);
      if (top < 32) this.topLo[c] = 1 << top;
      else this.topHi[c] = 1 << (top - 32);
      const bottom = this.bitIndex(c, 0);
      if (bottom < 32) this.bottomLo[c] = 1 << bottom;
      else this.bottomHi[c] = 1 << (bottom - 32);
    }
    this.cellOfBit = new Int32Array(64).fill(-1);
    for (let c = 0; c < width; c++) for (let r = 0; r < height; r++) this.cellOfBit[this.bitIndex(c, r)] = this.cellIndex(c, r);
    this.emptyObservation = new Float32Array(this.observationSize).fill(1, 2 * this.numCells);
    this.initial = new Connect4State(0, 0, 0, 0, 0, C4Status.Playing);
    const identity = new Int32Array(width);
    const mirror = new Int32Array(width);
    for (let c = 0; c < width; c++) {
      identity[c] = c;
      mirror[c] = width - 1 - c;
    }
    this.permutations = [identity, mirror];
  }

  /** Bit position of (column, row), row 0 at the bottom. */
  bitIndex(column: number, row: number): number {
    return column * this.columnBits + row;
  }

  /** Observation / cell index of (column, row): row-major from the bottom row, OpenSpiel's order. */
  cellIndex(column: number, row: number): number {
    return row * this.width + column;
  }

  initialState(): Connect4State {
    return this.initial;
  }

  currentPlayer(state: Connect4State): Player {
    return (state.ply & 1) as Player;
  }

  ply(state: Connect4State): number {
    return state.ply;
  }

  isTerminal(state: Connect4State): boolean {
    return state.status !== C4Status.Playing;
  }

  terminalValue(state: Connect4State): number | null {
    if (state.status === C4Status.Playing) return null;
    return state.status === C4Status.Draw ? 0 : -1;
  }

  winner(state: Connect4State): Winner | null {
    if (state.status === C4Status.Playing) return null;
    if (state.status === C4Status.Draw) return 'draw';
    return ((state.ply - 1) & 1) as Player;
  }

  /** Whether the column still has room (ignores whether the game is over). */
  columnHasRoom(state: Connect4State, column: number): boolean {
    return ((state.maskLo & this.topLo[column]!) | (state.maskHi & this.topHi[column]!)) === 0;
  }

  isLegal(state: Connect4State, action: number): boolean {
    return (
      state.status === C4Status.Playing &&
      Number.isInteger(action) &&
      action >= 0 &&
      action < this.width &&
      this.columnHasRoom(state, action)
    );
  }

  legalActions(state: Connect4State): number[] {
    const actions: number[] = [];
    if (state.status !== C4Status.Playing) return actions;
    for (let c = 0; c < this.width; c++) if (this.columnHasRoom(state, c)) actions.push(c);
    return actions;
  }

  legalMask(state: Connect4State, out: Uint8Array, offset = 0): number {
    if (state.status !== C4Status.Playing) {
      out.fill(0, offset, offset + this.width);
      return 0;
    }
    let count = 0;
    for (let c = 0; c < this.width; c++) {
      const legal = this.columnHasRoom(state, c) ? 1 : 0;
      out[offset + c] = legal;
      count += legal;
    }
    return count;
  }

  apply(state: Connect4State, action: number): Connect4State {
    if (!this.isLegal(state, action)) {
      throw new RangeError(`connect4: illegal action ${action} at ply ${state.ply}${state.status ? ' (game over)' : ''}`);
    }
    // The lowest free cell of the column: its cells fill bottom-up, bits grow upwards.
    // x ^ (x & (x - 1)) keeps x's lowest set bit, as x & -x does, but in int32 arithmetic:
    // V8 negates a full 32-bit word in floating point (-(-2^31) is no int32).
    let bitLo = ~state.maskLo & this.columnLo[action]!;
    let bitHi = 0;
    if (bitLo !== 0) bitLo ^= bitLo & (bitLo - 1);
    else {
      bitHi = ~state.maskHi & this.columnHi[action]!;
      bitHi ^= bitHi & (bitHi - 1);
    }
    const moverLo = state.curLo | bitLo;
    const moverHi = state.curHi | bitHi;
    const maskLo = state.maskLo | bitLo;
    const maskHi = state.maskHi | bitHi;
    const ply = state.ply + 1;
    let status: C4Status = C4Status.Playing;
    if (this.isWin(moverLo, moverHi)) status = C4Status.LastMoverWon;
    else if (ply === this.maxPlies) status = C4Status.Draw;
    // The opponent becomes the player to move: their stones are the old mask minus ours.
    return new Connect4State(state.curLo ^ state.maskLo, state.curHi ^ state.maskHi, maskLo, maskHi, ply, status);
  }

  /** Whether a stone set (hi:lo) holds four in a row in any direction. */
  isWin(lo: number, hi: number): boolean {
    const h = this.height;
    return (
      hasFourAlong(lo, hi, 1) || // vertical
      hasFourAlong(lo, hi, h + 1) || // horizontal
      hasFourAlong(lo, hi, h) || // diagonal rising to the left
      hasFourAlong(lo, hi, h + 2) // diagonal rising to the right
    );
  }

  /** 0 empty, 1 player 0, 2 player 1: the stone at (column, row). */
  cellOwner(state: Connect4State, column: number, row: number): 0 | 1 | 2 {
    const bit = this.bitIndex(column, row);
    const maskWord = bit < 32 ? state.maskLo : state.maskHi;
    const curWord = bit < 32 ? state.curLo : state.curHi;
    const b = bit & 31;
    if (((maskWord >>> b) & 1) === 0) return 0;
    const isCur = ((curWord >>> b) & 1) === 1;
    const curPlayer = state.ply & 1;
    return ((isCur ? curPlayer : 1 - curPlayer) + 1) as 1 | 2;
  }

  writeObservation(state: Connect4State, out: Float32Array, offset = 0): void {
    // The empty board's planes in one copy, then two stores per stone: a leaf has ~13 stones
    // of 42 cells, and this costs ~80 ns a row against ~150 for three stores per cell.
    out.set(this.emptyObservation, offset);
    const own = offset;
    const opponent = offset + this.numCells;
    const empty = offset + 2 * this.numCells;
    this.writeStones(state.curLo, 0, own, empty, out);
    this.writeStones(state.maskLo ^ state.curLo, 0, opponent, empty, out);
    this.writeStones(state.curHi, 32, own, empty, out);
    this.writeStones(state.maskHi ^ state.curHi, 32, opponent, empty, out);
  }

  /**
   * One player's stones of one word onto an empty observation: marks each on that player's
   * plane and clears it on the empty plane. A loop per player rather than a test per stone of
   * whose it is: that branch is a coin toss, mispredicted half the time. Stones go from the
   * highest bit down, by clz32: isolating the lowest with stones & -stones negates a 32-bit
   * word, which V8 does in floating point.
   */
  private writeStones(stones: number, firstBit: number, plane: number, emptyPlane: number, out: Float32Array): void {
    while (stones !== 0) {
      const bit = 31 - Math.clz32(stones);
      stones ^= 1 << bit;
      const cell = this.cellOfBit[firstBit + bit]!;
      out[plane + cell] = 1;
      out[emptyPlane + cell] = 0;
    }
  }

  transformState(state: Connect4State, sym: number): Connect4State {
    if (sym === 0) return state;
    if (sym !== 1) throw new RangeError(`connect4: symmetry ${sym} out of range 0..1`);
    let curLo = 0;
    let curHi = 0;
    let maskLo = 0;
    let maskHi = 0;
    for (let c = 0; c < this.width; c++) {
      const to = this.width - 1 - c;
      for (let r = 0; r < this.height; r++) {
        const from = this.bitIndex(c, r);
        const dest = this.bitIndex(to, r);
        const occupied = ((from < 32 ? state.maskLo : state.maskHi) >>> (from & 31)) & 1;
        const own = ((from < 32 ? state.curLo : state.curHi) >>> (from & 31)) & 1;
        if (dest < 32) {
          maskLo |= occupied << dest;
          curLo |= own << dest;
        } else {
          maskHi |= occupied << (dest - 32);
          curHi |= own << (dest - 32);
        }
      }
    }
    return new Connect4State(curLo, curHi, maskLo, maskHi, state.ply, state.status);
  }

  actionPermutation(sym: number): Int32Array {
    const perm = this.permutations[sym];
    if (!perm) throw new RangeError(`connect4: symmetry ${sym} out of range 0..1`);
    return perm;
  }

  /**
   * Pons' key, current stones + mask: unique per position (the sum marks each column's
   * height by its lowest zero above the stones). Exact as a double up to 52 board bits
   * (7x6 uses 50); throws for larger boards, which should use `key`.
   */
  numericKey(state: Connect4State): number {
    if (!this.numericKeyFits) throw new RangeError('connect4: board too large for a numeric key; use key()');
    return (state.curHi >>> 0) * 4294967296 + (state.curLo >>> 0) + (state.maskHi >>> 0) * 4294967296 + (state.maskLo >>> 0);
  }

  writeKey(state: Connect4State, out: Int32Array, offset = 0): void {
    if (this.numericKeyFits) {
      const k = this.numericKey(state);
      out[offset] = k | 0;
      out[offset + 1] = (k / 4294967296) | 0;
      return;
    }
    out[offset] = state.curLo;
    out[offset + 1] = state.curHi;
    out[offset + 2] = state.maskLo;
    out[offset + 3] = state.maskHi;
  }

  key(state: Connect4State): string {
    // cur + mask is unique per position (Pons' key) and fits 53 bits on the usual boards.
    if (this.numericKeyFits) {
      const k = this.numericKey(state);
      const hi = (k / 4294967296) >>> 0;
      const lo = k >>> 0;
      return String.fromCharCode(lo & 0xffff, lo >>> 16, hi & 0xffff, hi >>> 16);
    }
    const { curLo, curHi, maskLo, maskHi } = state;
    return String.fromCharCode(curLo & 0xffff, curLo >>> 16, curHi & 0xffff, curHi >>> 16, maskLo & 0xffff, maskLo >>> 16, maskHi & 0xffff, maskHi >>> 16);
  }

  actionToString(action: number): string {
    if (!Number.isInteger(action) || action < 0 || action >= this.width) {
      throw new RangeError(`connect4: action ${action} out of range 0..${this.width - 1}`);
    }
    return String(action + 1);
  }

  parseAction(text: string): number {
    const t = text.trim();
    const column = /^\d+$/.test(t) ? Number(t) : NaN;
    if (!(column >= 1 && column <= this.width)) {
      throw new RangeError(`connect4: "${text}" is not a column 1..${this.width}`);
    }
    return column - 1;
  }

  /** Pons' notation: 1-based columns run together ("4453"); space-separated when width > 9. */
  formatMoves(actions: readonly number[]): string {
    return actions.map((a) => this.actionToString(a)).join(this.width > 9 ? ' ' : '');
  }

  parseMoves(text: string): number[] {
    return splitMoveTokens(text, 1).map((t) => this.parseAction(t));
  }

  render(state: Connect4State): string {
    const symbols = ['.', 'X', 'O'];
    const lines: string[] = [];
    for (let r = this.height - 1; r >= 0; r--) {
      let line = '';
      for (let c = 0; c < this.width; c++) line += (c ? ' ' : '') + symbols[this.cellOwner(state, c, r)];
      lines.push(line);
    }
    lines.push(Array.from({ length: this.width }, (_, c) => String((c + 1) % 10)).join(' '));
    const status =
      state.status === C4Status.Playing
        ? `${symbols[(state.ply & 1) + 1]} to move`
        : state.status === C4Status.Draw
          ? 'draw'
          : `${symbols[((state.ply - 1) & 1) + 1]} won`;
    lines.push(`ply ${state.ply}, ${status}`);
    return lines.join('\n');
  }
}
