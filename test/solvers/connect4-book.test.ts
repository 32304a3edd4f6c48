import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run as runOpeningBookStage } from '../../stages/opening-book.ts';
import type { StageContext } from '../../src/engine/context.ts';
import { loadBenchmarkSet } from '../../src/solvers/connect4/benchmark-sets.ts';
import { OpeningBook, buildOpeningBook, buildOpeningBookParallel, enumerateLevels } from '../../src/solvers/connect4/opening-book.ts';
import { Position } from '../../src/solvers/connect4/position.ts';
import { Solver } from '../../src/solvers/connect4/solver.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
/**
 * The empty position's depth-0 book (30 bytes), computed once with this solver: the 4
 * distinct replies searched (4.8 billion nodes, ~25 CPU-minutes), then assembled by
 * buildOpeningBook(0, { frontierValues }). Far too slow to recompute in CI.
 */
const DEPTH0_FIXTURE = new URL('./fixtures/connect4-book-depth0.bin', import.meta.url).pathname;

// Books of a whole opening cost hours to build, so these tests build books of the subtree
// under a late position, where every search is cheap. The code path is the same.
const roots = loadBenchmarkSet(ROOT, 'Test_L2_R1').filter((p) => p.moves.length >= 22 && p.moves.length <= 24).slice(0, 2);

describe('connect4 opening book', () => {
  const root = roots[0]!.moves;
  const depth = root.length + 4;
  const built = buildOpeningBook(depth, { root, solver: new Solver({ ttLog2Size: 18 }) });

  it('holds one entry per position up to mirror symmetry, with the solver\'s per-move scores', () => {
    const { book, stats } = built;
    const levels = enumerateLevels(depth, Position.fromMoves(root));
    expect(book.size).toBe(levels.reduce((n, l) => n + l.size, 0));
    expect(stats.positionsPerLevel).toEqual(levels.map((l) => l.size));
    const solver = new Solver({ ttLog2Size: 18 });
    for (const level of levels) {
      for (const pos of level.values()) {
        expect(book.moveScores(pos)).toEqual(solver.analyze(pos));
        // the mirrored position reads the same entry, mirrored
        const mirrored = Position.fromKey(pos.mirrorKey());
        expect(book.moveScores(mirrored)).toEqual(solver.analyze(mirrored));
      }
    }
    expect(book.moveScores(Position.fromMoves(roots[1]!.moves))).toBeUndefined();
  });

  it('serialises to deterministic bytes that load back to the same book', () => {
    const bytes = built.book.serialize();
    expect(bytes.length).toBe(16 + 14 * built.book.size);
    // Another build, with a different table size (different search, same exact values).
    const again = buildOpeningBook(depth, { root, solver: new Solver({ ttLog2Size: 12 }) }).book.serialize();
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const loaded = OpeningBook.deserialize(bytes);
    expect(loaded.depth).toBe(depth);
    expect(Buffer.from(loaded.serialize()).equals(Buffer.from(bytes))).toBe(true);
    expect(Array.from(loaded.keys)).toEqual(Array.from(built.book.keys));
  });

  it('builds the same bytes over worker threads', async () => {
    const parallel = await buildOpeningBookParallel(depth, { root, workers: 2, ttLog2Size: 16 });
    expect(Buffer.from(parallel.book.serialize()).equals(Buffer.from(built.book.serialize()))).toBe(true);
    expect(parallel.stats.searchedPositions).toBe(built.stats.searchedPositions);
  });

  it('cuts the search: solving above the book explores fewer positions, same score', () => {
    const pos = Position.fromMoves(root);
    const plain = new Solver({ ttLog2Size: 18 });
    const withBook = new Solver({ ttLog2Size: 18, book: built.book });
    // a position one stone above the book's top level is not in the book, its children are
    const parent = Position.fromMoves(root.slice(0, -1));
    expect(withBook.solve(parent)).toBe(plain.solve(parent));
    expect(withBook.nodeCount).toBeLessThan(plain.nodeCount);
    expect(withBook.solve(pos)).toBe(plain.solve(pos));
  });

  it('rejects a file that is not a book, naming the fix', () => {
    expect(() => OpeningBook.deserialize(new Uint8Array(10), 'x.bin')).toThrow(/x\.bin: not a Connect Four opening book \(file too short\).*rebuild/);
    const bytes = built.book.serialize();
    expect(() => OpeningBook.deserialize(bytes.subarray(0, bytes.length - 1), 'y.bin')).toThrow(/y\.bin.*length/);
    const bad = bytes.slice();
    bad[0] = 0x58;
    expect(() => OpeningBook.deserialize(bad)).toThrow(/bad magic/);
  });

  it.skipIf(!existsSync(DEPTH0_FIXTURE))('empty position: per-column scores -2 -1 0 +1 0 -1 -2 (depth-0 book)', () => {
    const book = OpeningBook.deserialize(new Uint8Array(readFileSync(DEPTH0_FIXTURE)), DEPTH0_FIXTURE);
    expect(book.size).toBe(1);
    expect(book.moveScores(new Position())).toEqual([-2, -1, 0, 1, 0, -1, -2]);
    expect(book.valueOfKey(0)).toBe(1);
  });
});

describe('opening-book stage', () => {
  it('rejects a bad book.depth with a message naming the key', async () => {
    const ctx = {
      id: 'opening-book',
      outs: ['/nonexistent/book.bin'],
      param: (key: string) => {
        if (key !== 'book.depth') throw new Error(`undeclared ${key}`);
        return -1;
      },
    } as unknown as StageContext;
    await expect(runOpeningBookStage(ctx)).rejects.toThrow(/book\.depth must be an integer/);
  });
});
