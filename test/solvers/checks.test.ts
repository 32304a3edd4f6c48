// The solver-check building blocks: each passes on the real engines and catches a broken one.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { getGame, type Game } from '../../src/games/index.ts';
import {
  CONNECT4_PERFT,
  PENTAGO_PERFT,
  connect4BenchmarkCheck,
  distinctCheck,
  CONNECT4_DISTINCT,
  pentagoEndgameCheck,
  perftCheck,
  symmetryCheck,
} from '../../src/solvers/checks.ts';
import { BENCHMARK_SETS } from '../../src/solvers/connect4/benchmark-sets.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('solver checks', () => {
  it('pass on the real engines', () => {
    const c4 = getGame('connect4');
    expect(connect4BenchmarkCheck(ROOT, BENCHMARK_SETS[1]!, 20, 1)).toMatchObject({ name: 'benchmark Middle-Easy', ok: true, positions: 20, correct: 20 });
    expect(perftCheck(c4, CONNECT4_PERFT, 5)).toMatchObject({ ok: true, positions: 6, correct: 6 });
    expect(distinctCheck(c4, CONNECT4_DISTINCT, 5, false).ok).toBe(true);
    expect(symmetryCheck(c4, 5, 1).ok).toBe(true);
    const px = getGame('pentago');
    expect(perftCheck(px, PENTAGO_PERFT, 2).ok).toBe(true);
    expect(pentagoEndgameCheck(px, 4, 4, 3)).toMatchObject({ ok: true, positions: 4, correct: 4 });
  });

  it('samples benchmark sets deterministically from the seed', () => {
    const a = connect4BenchmarkCheck(ROOT, BENCHMARK_SETS[0]!, 10, 7);
    const b = connect4BenchmarkCheck(ROOT, BENCHMARK_SETS[0]!, 10, 7);
    expect(a.meanNodes).toBe(b.meanNodes);
  });

  it('catch wrong counts and a broken symmetry, naming the first mismatch', () => {
    const c4 = getGame('connect4');
    const wrong = perftCheck(c4, [1, 7, 50], 2);
    expect(wrong).toMatchObject({ ok: false, correct: 2, detail: 'ply 2: 49 move sequences, expected 50' });
    // A mirror that forgets to mirror the action permutation.
    const broken: Game<unknown> = Object.create(c4);
    broken.actionPermutation = () => Int32Array.from({ length: 7 }, (_, i) => i);
    const sym = symmetryCheck(broken, 3, 1);
    expect(sym.ok).toBe(false);
    expect(sym.detail).toMatch(/^symmetry 1 breaks after/);
  });
});
