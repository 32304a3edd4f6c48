import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { Connect4Game } from '../../src/games/connect4.ts';
import { BENCHMARK_SETS, loadBenchmarkSet } from '../../src/solvers/connect4/benchmark-sets.ts';
import { Position, mirrorKey } from '../../src/solvers/connect4/position.ts';
import { Solver } from '../../src/solvers/connect4/solver.ts';
import { connect4BenchmarkCheck } from '../../src/solvers/checks.ts';
import { positionFromActions, positionFromMoves, positionFromState } from '../../src/solvers/connect4/adapter.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * Seeded sample sizes per set, chosen to keep the whole file to a few seconds. Begin-Hard
 * positions take from ~1 s to over a minute each here, so only one is solved, by its own test.
 */
const SAMPLE: Record<string, number> = {
  'End-Easy': 300,
  'Middle-Easy': 300,
  'Middle-Medium': 40,
  'Begin-Easy': 150,
  'Begin-Medium': 2,
};

function sample<T>(xs: T[], n: number, seed: number): T[] {
  const idx = Array.from(xs.keys());
  new Rng(seed, 'connect4-benchmark-sample').shuffle(idx);
  return idx.slice(0, n).map((i) => xs[i]!);
}

/** A random game prefix of `plies` moves that nobody has won yet, as a 1-based move string. */
function randomMoves(rng: Rng, plies: number): string {
  const p = new Position();
  let moves = '';
  while (p.moves < plies) {
    const legal = [0, 1, 2, 3, 4, 5, 6].filter((c) => p.canPlay(c) && !p.isWinningMove(c));
    if (legal.length === 0) break;
    const c = legal[rng.int(legal.length)]!;
    p.play(c);
    moves += String(c + 1);
  }
  return moves;
}

/** Naive 2-D four-in-a-row test of the player to move playing `col`. */
function naiveIsWinningMove(moves: string, col: number): boolean {
  const board: number[][] = Array.from({ length: 7 }, () => []);
  for (let i = 0; i < moves.length; i++) board[Number(moves[i]) - 1]!.push(i & 1);
  const me = moves.length & 1;
  if (board[col]!.length >= 6) return false;
  board[col]!.push(me);
  const row = board[col]!.length - 1;
  const at = (c: number, r: number) => (c >= 0 && c < 7 && r >= 0 && r < board[c]!.length ? board[c]![r] : -1);
  for (const [dc, dr] of [[1, 0], [0, 1], [1, 1], [1, -1]] as const) {
    let n = 1;
    for (let k = 1; at(col + k * dc, row + k * dr) === me; k++) n++;
    for (let k = 1; at(col - k * dc, row - k * dr) === me; k++) n++;
    if (n >= 4) return true;
  }
  return false;
}

describe('connect4 solver: exact on the benchmark sets (seeded samples)', () => {
  const solver = new Solver({ ttLog2Size: 22 });
  for (const set of BENCHMARK_SETS.filter((s) => s.name in SAMPLE)) {
    const n = SAMPLE[set.name]!;
    it(`${set.name}: ${n} of 1000 positions`, () => {
      const positions = sample(loadBenchmarkSet(ROOT, set.file), n, 2024);
      for (const { moves, score } of positions) {
        solver.reset();
        expect({ moves, score: solver.solve(positionFromMoves(moves)) }).toEqual({ moves, score });
      }
    });
  }

  it('Begin-Hard: the position the default profile checks (seed 1), solved exactly', () => {
    const set = BENCHMARK_SETS.find((s) => s.name === 'Begin-Hard')!;
    expect(connect4BenchmarkCheck(ROOT, set, 1, 1, solver)).toMatchObject({ positions: 1, correct: 1, ok: true });
  });

  it('counts explored positions like the reference (Middle-Medium sample mean within 50% of the published 39,900)', () => {
    const positions = sample(loadBenchmarkSet(ROOT, 'Test_L2_R2'), 40, 7);
    let nodes = 0;
    for (const { moves } of positions) {
      solver.reset();
      solver.solve(positionFromMoves(moves));
      nodes += solver.nodeCount;
    }
    // A loose check: a different count per node would be off by a factor, not by a few %.
    expect(nodes / positions.length).toBeGreaterThan(39_900 * 0.5);
    expect(nodes / positions.length).toBeLessThan(39_900 * 1.5);
  });
});

describe('connect4 solver: per-move analysis', () => {
  const solver = new Solver({ ttLog2Size: 22 });
  const positions = sample(loadBenchmarkSet(ROOT, 'Test_L2_R1'), 25, 11);

  it('each move scores the negation of the position after it, and the best equals solve()', () => {
    for (const { moves, score } of positions) {
      const pos = positionFromMoves(moves);
      const scores = solver.analyze(pos);
      for (let c = 0; c < 7; c++) {
        if (!pos.canPlay(c)) {
          expect(scores[c]).toBeNull();
          continue;
        }
        if (pos.isWinningMove(c)) expect(scores[c]).toBe((43 - pos.moves) >> 1);
        else expect(scores[c]).toBe(0 - solver.solve(positionFromMoves(moves + String(c + 1))));
      }
      expect(Math.max(...scores.filter((s): s is number => s !== null))).toBe(score);
    }
  });

  it('bestMoves() returns the value and exactly the argmax columns of analyze()', () => {
    for (const { moves, score } of positions) {
      const pos = positionFromMoves(moves);
      const scores = solver.analyze(pos);
      const expected = scores.flatMap((s, c) => (s === score ? [c] : []));
      expect(solver.bestMoves(pos)).toEqual({ value: score, best: expected });
    }
  });

  it('weak solving gives the sign of the score', () => {
    for (const { moves, score } of positions.slice(0, 10)) {
      expect(solver.solve(positionFromMoves(moves), true)).toBe(Math.sign(score));
    }
  });
});

describe('connect4 solver: position representation', () => {
  it('split bitboards find exactly the winning moves a naive 2-D board finds', () => {
    const rng = new Rng(5, 'wins');
    let wins = 0;
    for (let g = 0; g < 400; g++) {
      const moves = randomMoves(rng, 1 + rng.int(40));
      const pos = positionFromMoves(moves);
      for (let c = 0; c < 7; c++) {
        if (!pos.canPlay(c)) continue;
        const naive = naiveIsWinningMove(moves, c);
        if (naive) wins++;
        expect(pos.isWinningMove(c), `${moves} column ${c + 1}`).toBe(naive);
      }
    }
    expect(wins).toBeGreaterThan(50);
  });

  it('keys: fromKey inverts key(), and mirrorKey is the key of the mirrored game', () => {
    const rng = new Rng(6, 'keys');
    for (let g = 0; g < 200; g++) {
      const moves = randomMoves(rng, rng.int(42));
      const pos = positionFromMoves(moves);
      const back = Position.fromKey(pos.key());
      expect([back.cl, back.ch, back.ml, back.mh, back.moves]).toEqual([pos.cl, pos.ch, pos.ml, pos.mh, pos.moves]);
      const mirrored = positionFromMoves([...moves].map((d) => String(8 - Number(d))).join(''));
      expect(mirrorKey(pos.key())).toBe(mirrored.key());
      expect(pos.canonicalKey()).toBe(mirrored.canonicalKey());
    }
  });

  it('rejects invalid move strings with the failing move number', () => {
    expect(() => positionFromMoves('1111111')).toThrow(/move 7/);
    expect(() => positionFromMoves('48')).toThrow(/move 2/);
    // the 7th move completes four: the game is over
    expect(() => positionFromMoves('1212121')).toThrow(/move 7/);
  });

  it('adapter: game-engine states convert to the same position as their move strings', () => {
    const game = new Connect4Game();
    const rng = new Rng(8, 'adapter');
    for (let g = 0; g < 200; g++) {
      const moves = randomMoves(rng, rng.int(42));
      const actions = [...moves].map((d) => Number(d) - 1);
      let state = game.initialState();
      for (const a of actions) state = game.apply(state, a);
      const a = positionFromState(game, state);
      const b = positionFromActions(actions);
      expect([a.cl, a.ch, a.ml, a.mh, a.moves]).toEqual([b.cl, b.ch, b.ml, b.mh, b.moves]);
    }
  });
});
