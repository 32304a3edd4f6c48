// Opening book: the per-column scores of every position with at most `depth` stones,
// one entry per position up to left-right mirror symmetry.
//
// Building goes from the deepest level up. Only the children of depth-`depth` positions
// are searched; every shallower entry is read off the level below it, so the cost is
// (distinct positions at depth+1) x (a deep solve), and the contents are exact, hence
// deterministic, whatever the transposition table did.
//
// Cost, measured on this project's 2-core machine (mean CPU seconds to solve a random
// position at ply k with a fresh table, 16-24 samples): k=7 2.7 s, k=8 1.2 s, k=9 0.70 s,
// k=10 0.39 s, k=11 0.17 s, k=12 0.14 s, k=13 0.06 s, k=14 0.04 s. Times the distinct
// positions at ply depth+1 (about half of OEIS A212693, up to mirror), single-threaded:
// depth 6 ~20 CPU-hours, 7 ~30, 9 ~90, 11 ~230, 12 ~260, 13 ~450. Depth 0 (the empty
// board's 4 distinct replies, 4.8 billion nodes) took ~25 CPU-minutes. Work spreads over
// worker threads (buildOpeningBookParallel), one frontier position at a time.
// Memory grows with the levels kept in Maps (~1 GB at depth 12): build deep books on a big
// machine.
//
// File format (little-endian, deterministic bytes):
//   0   8  ASCII "C4BOOK01"
//   8   1  width (7)      9  1  height (6)      10  1  depth      11  1  0 (reserved)
//   12  4  uint32 entry count N
//   16  then N entries of 14 bytes, in increasing key order:
//        7 bytes  canonical key: the smaller of the position's key and its mirror's key,
//                 key = stones of the player to move + occupied mask, 7 bits per column,
//                 column-major, column 0 in the lowest bits (Pons's Position::key)
//        7 int8   score of playing columns 1..7 of the position with that key
//                 (-128 where the column is full)

import { CELLS, HEIGHT, WIDTH } from './bitboard.ts';
import { Position, mirrorKey } from './position.ts';
import type { BookProbe } from './solver.ts';
import { Solver } from './solver.ts';
import { solveInParallel } from './parallel-solve.ts';

export const BOOK_MAGIC = 'C4BOOK01';
const HEADER_BYTES = 16;
const ENTRY_BYTES = 7 + WIDTH;
/** Score byte of a full column. */
export const FULL_COLUMN = -128;

export class OpeningBook implements BookProbe {
  readonly depth: number;
  /** Canonical keys in increasing order. */
  readonly keys: Float64Array;
  /** WIDTH scores per entry, for the orientation of the canonical key. */
  readonly scores: Int8Array;
  private readonly values: Int8Array;
  private readonly index: Map<number, number>;

  constructor(depth: number, keys: Float64Array, scores: Int8Array) {
    if (scores.length !== keys.length * WIDTH) throw new Error('opening book: scores do not match keys');
    this.depth = depth;
    this.keys = keys;
    this.scores = scores;
    this.values = new Int8Array(keys.length);
    this.index = new Map();
    for (let i = 0; i < keys.length; i++) {
      if (i > 0 && !(keys[i]! > keys[i - 1]!)) throw new Error('opening book: keys not strictly increasing');
      this.index.set(keys[i]!, i);
      let best = -128;
      for (let c = 0; c < WIDTH; c++) best = Math.max(best, scores[i * WIDTH + c]!);
      this.values[i] = best;
    }
  }

  get size(): number {
    return this.keys.length;
  }

  /** Exact score of the position with this key, or NaN when the book lacks it. */
  valueOfKey(key: number): number {
    const m = mirrorKey(key);
    const i = this.index.get(m < key ? m : key);
    return i === undefined ? NaN : this.values[i]!;
  }

  /** Per-column scores (null for a full column), or undefined when the book lacks the position. */
  moveScores(pos: Position): (number | null)[] | undefined {
    const key = pos.key();
    const m = mirrorKey(key);
    const i = this.index.get(m < key ? m : key);
    if (i === undefined) return undefined;
    const mirrored = m < key;
    const out: (number | null)[] = [];
    for (let c = 0; c < WIDTH; c++) {
      const s = this.scores[i * WIDTH + (mirrored ? WIDTH - 1 - c : c)]!;
      out.push(s === FULL_COLUMN ? null : s);
    }
    return out;
  }

  serialize(): Uint8Array {
    const n = this.keys.length;
    const bytes = new Uint8Array(HEADER_BYTES + n * ENTRY_BYTES);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < BOOK_MAGIC.length; i++) bytes[i] = BOOK_MAGIC.charCodeAt(i);
    bytes[8] = WIDTH;
    bytes[9] = HEIGHT;
    bytes[10] = this.depth;
    view.setUint32(12, n, true);
    for (let i = 0; i < n; i++) {
      const at = HEADER_BYTES + i * ENTRY_BYTES;
      let k = this.keys[i]!;
      for (let b = 0; b < 7; b++) {
        bytes[at + b] = k % 256;
        k = Math.floor(k / 256);
      }
      for (let c = 0; c < WIDTH; c++) view.setInt8(at + 7 + c, this.scores[i * WIDTH + c]!);
    }
    return bytes;
  }

  static deserialize(bytes: Uint8Array, source = 'opening book'): OpeningBook {
    const fail = (why: string): never => {
      throw new Error(`${source}: not a Connect Four opening book (${why}); rebuild it with the opening-book stage`);
    };
    if (bytes.length < HEADER_BYTES) fail('file too short');
    for (let i = 0; i < BOOK_MAGIC.length; i++) if (bytes[i] !== BOOK_MAGIC.charCodeAt(i)) fail('bad magic');
    if (bytes[8] !== WIDTH || bytes[9] !== HEIGHT) fail(`board ${bytes[8]}x${bytes[9]}, expected ${WIDTH}x${HEIGHT}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const depth = bytes[10]!;
    const n = view.getUint32(12, true);
    if (bytes.length !== HEADER_BYTES + n * ENTRY_BYTES) fail(`length ${bytes.length} does not hold ${n} entries`);
    const keys = new Float64Array(n);
    const scores = new Int8Array(n * WIDTH);
    for (let i = 0; i < n; i++) {
      const at = HEADER_BYTES + i * ENTRY_BYTES;
      let k = 0;
      for (let b = 6; b >= 0; b--) k = k * 256 + bytes[at + b]!;
      keys[i] = k;
      for (let c = 0; c < WIDTH; c++) scores[i * WIDTH + c] = view.getInt8(at + 7 + c);
    }
    try {
      return new OpeningBook(depth, keys, scores);
    } catch (e) {
      return fail((e as Error).message);
    }
  }
}

export interface BuildProgress {
  /** Level being filled (number of stones). */
  depth: number;
  done: number;
  total: number;
}

export interface BuildStats {
  /** Distinct positions up to symmetry per level 0..depth (games not yet decided). */
  positionsPerLevel: number[];
  /** Distinct positions at depth+1 that were searched. */
  searchedPositions: number;
  /** Positions explored by the search. */
  nodes: number;
}

export interface BuildOptions {
  /** Solver to use (its transposition table is kept warm across positions). */
  solver?: Solver;
  /**
   * Build only the positions reachable from this one (1-based move string); default the
   * empty board. Lets tests build small books of late positions.
   */
  root?: string;
  /** Values of positions at depth+1 solved beforehand (by solveInParallel, say), by canonical key. */
  frontierValues?: ReadonlyMap<number, number>;
  onProgress?: (p: BuildProgress) => void;
}

/** The canonical orientation of a position: the one whose key is the smaller. */
function canonical(pos: Position): { key: number; pos: Position } {
  const key = pos.key();
  const m = mirrorKey(key);
  return m < key ? { key: m, pos: Position.fromKey(m) } : { key, pos };
}

/**
 * Positions with root.moves..depth stones reachable from root, one per mirror pair, in
 * canonical orientation; levels[i] holds those with root.moves + i stones.
 */
export function enumerateLevels(depth: number, root: Position = new Position()): Map<number, Position>[] {
  const top = canonical(root);
  const levels: Map<number, Position>[] = [new Map([[top.key, top.pos]])];
  for (let d = root.moves + 1; d <= depth; d++) {
    const next = new Map<number, Position>();
    for (const pos of levels[levels.length - 1]!.values()) {
      for (let col = 0; col < WIDTH; col++) {
        // A winning move ends the game: that child is no position to look up.
        if (!pos.canPlay(col) || pos.isWinningMove(col)) continue;
        const child = pos.clone();
        child.play(col);
        const c = canonical(child);
        if (!next.has(c.key)) next.set(c.key, c.pos);
      }
    }
    levels.push(next);
  }
  return levels;
}

export function buildOpeningBook(depth: number, options: BuildOptions = {}): { book: OpeningBook; stats: BuildStats } {
  if (!Number.isInteger(depth) || depth < 0 || depth > CELLS - 1) throw new RangeError(`opening book: depth ${depth} outside 0..${CELLS - 1}`);
  const solver = options.solver ?? new Solver({ ttLog2Size: 24 });
  const savedBook = solver.book;
  solver.book = undefined;
  const root = Position.fromMoves(options.root ?? '');
  if (root.moves > depth) throw new RangeError(`opening book: root has ${root.moves} stones, more than depth ${depth}`);
  const levels = enumerateLevels(depth, root);
  const first = root.moves;
  // Exact value of every canonical position filled so far (levels below the current one).
  const valueOf = new Map<number, number>();
  const scoresOf = new Map<number, Int8Array>();
  let searched = 0;
  const nodesBefore = solver.nodeCount;

  for (let d = depth; d >= first; d--) {
    const level = [...levels[d - first]!.entries()].sort((a, b) => a[0] - b[0]);
    const childValues = new Map<number, number>();
    let done = 0;
    for (const [key, pos] of level) {
      const scores = new Int8Array(WIDTH);
      let best = -128;
      for (let col = 0; col < WIDTH; col++) {
        let s: number;
        if (!pos.canPlay(col)) s = FULL_COLUMN;
        else if (pos.isWinningMove(col)) s = (CELLS + 1 - pos.moves) >> 1;
        else {
          const child = pos.clone();
          child.play(col);
          const ck = canonical(child).key;
          let v = d < depth ? valueOf.get(ck) : (options.frontierValues?.get(ck) ?? childValues.get(ck));
          if (v === undefined) {
            v = child.isFull() ? 0 : solver.solve(child);
            childValues.set(ck, v);
            searched++;
          } else if (d === depth && !childValues.has(ck)) {
            childValues.set(ck, v);
            searched++;
          }
          s = 0 - v;
        }
        scores[col] = s;
        if (s > best) best = s;
      }
      scoresOf.set(key, scores);
      valueOf.set(key, best);
      options.onProgress?.({ depth: d, done: ++done, total: level.length });
    }
    // Values of level d+1 are no longer needed once level d is filled.
    if (d < depth) for (const k of levels[d + 1 - first]!.keys()) valueOf.delete(k);
  }
  solver.book = savedBook;

  const keys = Float64Array.from(scoresOf.keys()).sort();
  const scores = new Int8Array(keys.length * WIDTH);
  keys.forEach((k, i) => scores.set(scoresOf.get(k)!, i * WIDTH));
  return {
    book: new OpeningBook(depth, keys, scores),
    stats: {
      positionsPerLevel: levels.map((l) => l.size),
      searchedPositions: searched,
      nodes: solver.nodeCount - nodesBefore,
    },
  };
}

/** Canonical keys, in increasing order, of the positions at depth+1 a book build searches. */
export function frontierKeys(depth: number, root = ''): number[] {
  const levels = enumerateLevels(depth, Position.fromMoves(root));
  const keys = new Set<number>();
  for (const pos of levels[levels.length - 1]!.values()) {
    for (let col = 0; col < WIDTH; col++) {
      if (!pos.canPlay(col) || pos.isWinningMove(col)) continue;
      const child = pos.clone();
      child.play(col);
      keys.add(canonical(child).key);
    }
  }
  return [...keys].sort((a, b) => a - b);
}

export interface ParallelBuildOptions {
  workers: number;
  root?: string;
  /** log2 of each worker's table slots. */
  ttLog2Size?: number;
  onProgress?: (p: BuildProgress) => void;
}

/**
 * buildOpeningBook with the searches spread over worker threads; the same bytes for any
 * number of workers.
 */
export async function buildOpeningBookParallel(depth: number, options: ParallelBuildOptions): Promise<{ book: OpeningBook; stats: BuildStats }> {
  const keys = frontierKeys(depth, options.root);
  const { values, nodes } = await solveInParallel(keys, {
    workers: options.workers,
    ttLog2Size: options.ttLog2Size,
    onProgress: (done, total) => options.onProgress?.({ depth: depth + 1, done, total }),
  });
  const built = buildOpeningBook(depth, {
    root: options.root,
    frontierValues: values,
    solver: new Solver({ ttLog2Size: 12 }), // only for positions decided on the board
    onProgress: options.onProgress,
  });
  return { book: built.book, stats: { ...built.stats, nodes: built.stats.nodes + nodes } };
}
