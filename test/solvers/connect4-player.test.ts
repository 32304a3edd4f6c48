import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { Connect4Game } from '../../src/games/connect4.ts';
import { loadBenchmarkSet } from '../../src/solvers/connect4/benchmark-sets.ts';
import { buildOpeningBook } from '../../src/solvers/connect4/opening-book.ts';
import { SolverPlayer, bestMoves, chooseBest, chooseWithTemperature, softmaxPolicy } from '../../src/solvers/connect4/player.ts';
import { Position } from '../../src/solvers/connect4/position.ts';
import { Solver } from '../../src/solvers/connect4/solver.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const TIES = [null, 3, -1, 3, 3, -5, null] as const;

describe('connect4 players: choosing from move scores', () => {
  it('the perfect choice is uniform among the best-scoring columns and never elsewhere', () => {
    expect(bestMoves(TIES)).toEqual([1, 3, 4]);
    const rng = new Rng(1, 'best');
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 3000; i++) counts[chooseBest(TIES, rng)]++;
    expect(counts[0] + counts[2] + counts[5] + counts[6]).toBe(0);
    for (const c of [1, 3, 4]) expect(counts[c]).toBeGreaterThan(900);
  });

  it('is reproducible from the seed', () => {
    const pick = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => chooseBest(TIES, rng));
    };
    expect(pick(9)).toEqual(pick(9));
    expect(pick(9)).not.toEqual(pick(10));
  });

  it('softmax: T = 0 is the perfect player, large T tends to uniform, full columns get nothing', () => {
    const p0 = softmaxPolicy(TIES, 0);
    expect(Array.from(p0)).toEqual([0, 1 / 3, 0, 1 / 3, 1 / 3, 0, 0]);
    const hot = softmaxPolicy(TIES, 1e6);
    for (const c of [1, 2, 3, 4, 5]) expect(hot[c]).toBeCloseTo(0.2, 4);
    expect(hot[0]).toBe(0);
    expect(hot[6]).toBe(0);
    const warm = softmaxPolicy(TIES, 2);
    expect(warm.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // ratio between scores 3 and -1 is exp(4 / T)
    expect(warm[1]! / warm[2]!).toBeCloseTo(Math.exp(2), 10);
    expect(warm[2]!).toBeGreaterThan(warm[5]!);
    expect(() => softmaxPolicy(TIES, -1)).toThrow(/temperature/);
  });

  it('sampling with temperature follows the softmax probabilities', () => {
    const rng = new Rng(3, 'temperature');
    const counts = new Array(7).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[chooseWithTemperature(TIES, 2, rng)]++;
    const p = softmaxPolicy(TIES, 2);
    for (let c = 0; c < 7; c++) expect(counts[c] / n).toBeCloseTo(p[c]!, 1);
    // extreme scores (a fast win against slow losses) at a tiny temperature do not overflow
    expect(chooseWithTemperature([18, -18, null, null, null, null, null], 1e-3, rng)).toBe(0);
  });
});

describe('connect4 players: backed by the solver', () => {
  const positions = loadBenchmarkSet(ROOT, 'Test_L2_R1').slice(0, 20);

  it('the perfect player only plays best moves; the temperature player any legal move', () => {
    const solver = new Solver({ ttLog2Size: 20 });
    const perfect = new SolverPlayer({ rng: new Rng(4), solver });
    const soft = new SolverPlayer({ rng: new Rng(4), solver, temperature: 50 });
    for (const { moves } of positions) {
      const pos = Position.fromMoves(moves);
      const scores = solver.analyze(pos);
      expect(perfect.moveScores(pos)).toEqual(scores);
      expect(bestMoves(scores)).toContain(perfect.chooseMove(pos));
      expect(scores[soft.chooseMove(pos)]).not.toBeNull();
    }
  });

  it('plays game-engine states: a perfect player never loses a won late position', () => {
    const game = new Connect4Game();
    const won = positions.find((p) => p.score > 0)!;
    let state = game.initialState();
    for (const d of won.moves) state = game.apply(state, Number(d) - 1);
    const mover = game.currentPlayer(state);
    const perfect = new SolverPlayer({ rng: new Rng(6), solver: new Solver({ ttLog2Size: 20 }) });
    const random = new Rng(7);
    while (!game.isTerminal(state)) {
      const actions = game.legalActions(state);
      const a = game.currentPlayer(state) === mover ? perfect.chooseAction(game, state) : actions[random.int(actions.length)]!;
      state = game.apply(state, a);
    }
    expect(game.winner(state)).toBe(mover);
  });

  it('reads the book where it has the position', () => {
    const root = positions.find((p) => p.moves.length >= 24)!.moves;
    const { book } = buildOpeningBook(root.length + 2, { root, solver: new Solver({ ttLog2Size: 16 }) });
    const player = new SolverPlayer({ rng: new Rng(5), book, solver: new Solver({ ttLog2Size: 16, book }) });
    const pos = Position.fromMoves(root);
    const before = player.solver.nodeCount;
    const move = player.chooseMove(pos);
    expect(player.solver.nodeCount).toBe(before); // answered from the book, no search
    expect(bestMoves(new Solver({ ttLog2Size: 16 }).analyze(pos))).toContain(move);
  });
});
