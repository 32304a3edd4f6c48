import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { PentagoGame, type PentagoState } from '../../src/games/pentago.ts';
import { PentagoEndgameSolver, solvePentagoEndgame } from '../../src/solvers/pentago-endgame.ts';
import { gridFromPicture } from '../games/naive.ts';

const pg = new PentagoGame();

/** A position with `empties` empty cells from seeded random play (retrying games that end early). */
function latePosition(rng: Rng, empties: number): PentagoState {
  for (;;) {
    let s = pg.initialState();
    while (!pg.isTerminal(s) && 36 - s.ply > empties) {
      const actions = pg.legalActions(s);
      s = pg.apply(s, actions[rng.int(actions.length)]!);
    }
    if (!pg.isTerminal(s)) return s;
  }
}

/** Plain negamax over the engine: every action, no pruning, no table. */
function plainNegamax(s: PentagoState): number {
  const t = pg.terminalValue(s);
  if (t !== null) return t;
  let best = -1;
  for (const a of pg.legalActions(s)) {
    const v = 0 - plainNegamax(pg.apply(s, a)); // 0 - x keeps +0 for draws
    if (v > best) best = v;
  }
  return best;
}

/** The same with a table of solved positions, for positions a little too big for the plain one. */
function memoNegamax(s: PentagoState, memo: Map<string, number>): number {
  const t = pg.terminalValue(s);
  if (t !== null) return t;
  const key = pg.key(s);
  const known = memo.get(key);
  if (known !== undefined) return known;
  let best = -1;
  for (const a of pg.legalActions(s)) {
    const v = 0 - memoNegamax(pg.apply(s, a), memo);
    if (v > best) best = v;
  }
  memo.set(key, best);
  return best;
}

function stateOfPicture(picture: string): PentagoState {
  const p0: number[] = [];
  const p1: number[] = [];
  gridFromPicture(picture).forEach((row, y) =>
    row.forEach((v, x) => {
      if (v === 1) p0.push(y * 6 + x);
      if (v === 2) p1.push(y * 6 + x);
    }),
  );
  return pg.fromCells(p0, p1);
}

describe('pentago endgame solver', () => {
  it('agrees with plain negamax on random positions with 1 to 4 empty cells, best actions included', () => {
    const rng = new Rng(7, 'endgame-plain');
    const solver = new PentagoEndgameSolver({ tableBits: 16 });
    const seen = [0, 0, 0];
    // Random positions until every value has been seen a few times (losses are the rarest).
    for (let i = 0; i < 400 && (i < 40 || seen.some((n) => n < 3)); i++) {
      const s = latePosition(rng, 1 + (i % 4));
      const expected = plainNegamax(s);
      const result = solver.solve(pg, s, { allBest: true })!;
      expect(result.value).toBe(expected);
      seen[expected + 1]!++;
      // allBest lists exactly the actions whose outcome is the value.
      const optimal = pg.legalActions(s).filter((a) => 0 - plainNegamax(pg.apply(s, a)) === expected);
      expect(result.bestActions).toEqual(optimal);
      // Without allBest: one action, and an optimal one.
      const one = solver.solve(pg, s)!;
      expect(one.bestActions).toHaveLength(1);
      expect(optimal).toContain(one.bestActions[0]);
    }
    // The sample covers every value.
    expect(seen.every((n) => n >= 3)).toBe(true);
  });

  it('agrees with negamax over a table on random positions with 5 and 6 empty cells', () => {
    const rng = new Rng(8, 'endgame-memo');
    const solver = new PentagoEndgameSolver({ tableBits: 16 });
    for (let i = 0; i < 10; i++) {
      const s = latePosition(rng, 5 + (i % 2));
      const result = solver.solve(pg, s)!;
      expect(result.value).toBe(memoNegamax(s, new Map()));
      const child = pg.apply(s, result.bestActions[0]!);
      expect(0 - (pg.terminalValue(child) ?? memoNegamax(child, new Map()))).toBe(result.value);
    }
  });

  it('gives symmetric images the same value, with and without symmetry-canonical keys', () => {
    const rng = new Rng(9, 'endgame-symmetry');
    const plain = new PentagoEndgameSolver({ symmetryMinEmpties: 99, tableBits: 18 });
    const canonical = new PentagoEndgameSolver({ symmetryMinEmpties: 2, tableBits: 18 });
    for (let i = 0; i < 40; i++) {
      const s = latePosition(rng, 6 + (i % 4));
      const value = plain.solve(pg, s)!.value;
      for (let g = 0; g < 8; g++) {
        const image = pg.transformState(s, g);
        const r = canonical.solve(pg, image)!;
        expect(r.value).toBe(value);
        // The chosen action of the image is optimal there too.
        const child = pg.apply(image, r.bestActions[0]!);
        const childValue = pg.terminalValue(child) ?? plain.solve(pg, child)!.value;
        expect(0 - childValue).toBe(value);
      }
    }
  });

  it('solves hand-made positions: a win through the rotation, and a lost position', () => {
    // O to move: e1 completes row 1, but turning the bottom-right quadrant clockwise would
    // also complete @'s row 6 (a draw); other turns win.
    const duel = stateOfPicture(`
      O O O O . .
      . . . . . .
      O . . . . .
      . . . . . .
      . . . . . @
      @ @ @ . . @`);
    // (26 empty cells: fine, because the win is immediate and found before any search.)
    const r = solvePentagoEndgame(pg, duel, { maxEmpties: 36 })!;
    expect(r.value).toBe(1);
    const after = pg.apply(duel, r.bestActions[0]!);
    expect(pg.winner(after)).toBe(0);
    expect(pg.winner(pg.apply(duel, pg.parseAction('e1x')))).toBe('draw');
    // After b2s (which breaks O's row), @ wins: any stone, then the clockwise turn of the
    // bottom-right quadrant completes row 6.
    const lost = pg.apply(duel, pg.parseAction('b2s'));
    expect(solvePentagoEndgame(pg, lost, { maxEmpties: 36 })!.value).toBe(1);
  });

  it('reports finished positions, and refuses too many empties or an exhausted node budget', () => {
    const solver = new PentagoEndgameSolver({ tableBits: 12 });
    const rng = new Rng(10, 'endgame-limits');
    const s = latePosition(rng, 14);
    expect(solver.solve(pg, s, { maxEmpties: 12 })).toBeNull();
    expect(solver.solve(pg, latePosition(rng, 18), { maxEmpties: 20, maxNodes: 50 })).toBeNull();
    let end = s;
    while (!pg.isTerminal(end)) end = pg.apply(end, pg.legalActions(end)[0]!);
    const r = solver.solve(pg, end)!;
    expect(r.value).toBe(pg.terminalValue(end));
    expect(r.bestActions).toEqual([]);
  });

  it('solves random positions with 12 empty cells', () => {
    const rng = new Rng(12, 'endgame-k12');
    const solver = new PentagoEndgameSolver();
    for (let i = 0; i < 6; i++) {
      const s = latePosition(rng, 12);
      const r = solver.solve(pg, s, { maxNodes: 20_000_000 })!;
      expect(r).not.toBeNull();
      expect([-1, 0, 1]).toContain(r.value);
      expect(pg.isLegal(s, r.bestActions[0]!)).toBe(true);
    }
  });
});
