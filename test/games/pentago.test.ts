import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { stateFromMoves } from '../../src/games/game.ts';
import { getGame } from '../../src/games/index.ts';
import { PentagoGame, type PentagoState } from '../../src/games/pentago.ts';
import { canonicalKey, countDistinctByPly, perft, randomPlayout } from '../../src/games/playout.ts';
import { gridFromPicture, NaivePentago, type Grid } from './naive.ts';

const pg = new PentagoGame();

function gridOf(s: PentagoState): Grid {
  return Array.from({ length: 6 }, (_, y) => Array.from({ length: 6 }, (_, x) => pg.cellOwner(s, y * 6 + x)));
}

function stateOfGrid(grid: Grid): PentagoState {
  const p0: number[] = [];
  const p1: number[] = [];
  grid.forEach((row, y) =>
    row.forEach((v, x) => {
      if (v === 1) p0.push(y * 6 + x);
      if (v === 2) p1.push(y * 6 + x);
    }),
  );
  return pg.fromCells(p0, p1);
}

/** Plays one action on both engines and returns the engine's new state. */
function playBoth(s: PentagoState, naive: NaivePentago, move: string): PentagoState {
  const a = pg.parseAction(move);
  naive.play(a);
  const t = pg.apply(s, a);
  expect(gridOf(t)).toEqual(naive.grid);
  expect(pg.winner(t)).toBe(naive.result);
  return t;
}

function quadrant(cell: number): number {
  const x = cell % 6;
  const y = Math.floor(cell / 6);
  return y < 3 ? (x < 3 ? 0 : 1) : x >= 3 ? 2 : 3;
}

describe('pentago: interface facts and notation', () => {
  it('has the paper sizes', () => {
    expect(pg.numActions).toBe(288);
    expect(pg.observationSize).toBe(108);
    expect(pg.maxPlies).toBe(36);
    expect(pg.numSymmetries).toBe(8);
    expect(getGame('pentago')).toBeInstanceOf(PentagoGame);
    expect(pg.legalActions(pg.initialState())).toHaveLength(288);
  });

  it("writes OpenSpiel's action strings: column, row, rotation letter s..z", () => {
    expect(pg.actionToString(0)).toBe('a1s');
    expect(pg.actionToString(1)).toBe('a1t');
    expect(pg.actionToString(8)).toBe('b1s');
    expect(pg.actionToString(6 * 8)).toBe('a2s');
    expect(pg.actionToString(287)).toBe('f6z');
    expect(pg.parseAction('c1v')).toBe((0 * 6 + 2) * 8 + 3);
    for (let a = 0; a < 288; a++) expect(pg.parseAction(pg.actionToString(a))).toBe(a);
    expect(pg.parseMoves('a1s b2t')).toEqual([0, 8 * 7 + 1]);
    expect(pg.parseMoves('a1sb2t')).toEqual([0, 8 * 7 + 1]);
    expect(pg.formatMoves([0, 57])).toBe('a1s b2t');
    expect(() => pg.parseAction('g1s')).toThrow(RangeError);
    expect(() => pg.parseAction('a7s')).toThrow(RangeError);
    expect(() => pg.parseAction('a1r')).toThrow(RangeError);
  });

  it('rotates as OpenSpiel: the quadrant of r>>1, clockwise as printed when r is odd', () => {
    // b1 then rotate the top-left quadrant clockwise: b1 (top middle) moves to c2 (right middle).
    const cw = stateFromMoves(pg, 'b1t');
    expect(pg.cellOwner(cw, 1 * 6 + 2)).toBe(1);
    // Counter-clockwise: b1 moves to a2.
    const ccw = stateFromMoves(pg, 'b1s');
    expect(pg.cellOwner(ccw, 1 * 6 + 0)).toBe(1);
    // Quadrant 1 is top-right, 2 bottom-right, 3 bottom-left: a corner stone walks the corners.
    expect(pg.cellOwner(stateFromMoves(pg, 'd1v'), 0 * 6 + 5)).toBe(1); // d1 -> f1
    expect(pg.cellOwner(stateFromMoves(pg, 'f6x'), 5 * 6 + 3)).toBe(1); // f6 -> d6
    expect(pg.cellOwner(stateFromMoves(pg, 'a6z'), 3 * 6 + 0)).toBe(1); // a6 -> a4
    expect(pg.cellOwner(stateFromMoves(pg, 'a6y'), 5 * 6 + 2)).toBe(1); // a6 -> c6 counter-clockwise
    expect(pg.render(stateFromMoves(pg, 'a6y'))).toContain('6 . . O');
  });

  it('refuses occupied cells and finished games', () => {
    const s = stateFromMoves(pg, 'b2s'); // centre of quadrant 0 stays put
    expect(pg.isLegal(s, pg.parseAction('b2u'))).toBe(false);
    expect(() => pg.apply(s, pg.parseAction('b2u'))).toThrow(RangeError);
    expect(pg.legalActions(s)).toHaveLength(280);
  });
});

describe('pentago: the rules at their edges', () => {
  it('every one of the 32 lines wins, for either player, when completed with an untouched rotation', () => {
    const lines: number[][] = [];
    for (const [dx, dy] of [
      [1, 0],
      [0, 1],
      [1, 1],
      [1, -1],
    ]) {
      for (let y = 0; y < 6; y++) {
        for (let x = 0; x < 6; x++) {
          const cells = [0, 1, 2, 3, 4].map((k) => [x + k * dx!, y + k * dy!]);
          if (cells.every(([cx, cy]) => cx! >= 0 && cx! < 6 && cy! >= 0 && cy! < 6)) {
            lines.push(cells.map(([cx, cy]) => cy! * 6 + cx!));
          }
        }
      }
    }
    expect(lines).toHaveLength(32);
    for (const line of lines) {
      const touched = new Set(line.map(quadrant));
      const free = [0, 1, 2, 3].find((q) => !touched.has(q))!;
      expect(free).toBeDefined();
      const others = Array.from({ length: 36 }, (_, c) => c).filter((c) => !line.includes(c) && quadrant(c) !== free);
      for (const mover of [0, 1] as const) {
        // The mover holds four cells of the line; the other side holds harmless stones
        // (spread out, so they never make five) outside the quadrant that will rotate.
        const theirs = others.filter((_, i) => i % 3 === 0).slice(0, mover === 0 ? 4 : 5);
        const mine = line.slice(0, 4);
        const s = mover === 0 ? pg.fromCells(mine, theirs) : pg.fromCells(theirs, mine);
        expect(pg.isTerminal(s)).toBe(false);
        expect(pg.currentPlayer(s)).toBe(mover);
        for (const direction of [0, 1]) {
          const naive = NaivePentago.fromGrid(gridOf(s));
          const move = pg.actionToString(line[4]! * 8 + free * 2 + direction);
          const t = playBoth(s, naive, move);
          expect(pg.winner(t)).toBe(mover);
          expect(pg.terminalValue(t)).toBe(-1);
        }
        // A full line of stones set directly is a finished game too.
        const direct = mover === 0 ? pg.fromCells(line, theirs.slice(0, 4)) : pg.fromCells(theirs.concat(others[1]!), line);
        expect(pg.winner(direct)).toBe(mover);
      }
    }
  });

  const appear = gridFromPicture(`
    O O . . . .
    . . . O . .
    . . . O . .
    @ @ . . . .
    @ . . . . .
    . . . . . @`);

  it('a five can appear through the rotation', () => {
    // c1 gives O three on row 1; turning the top-right quadrant clockwise brings d3, d2 to d1, e1.
    const s = stateOfGrid(appear);
    expect(pg.currentPlayer(s)).toBe(0);
    const won = playBoth(s, NaivePentago.fromGrid(appear), 'c1v');
    expect(pg.winner(won)).toBe(0);
    expect(pg.terminalValue(won)).toBe(-1);
    // The other direction brings them elsewhere: no five.
    expect(pg.isTerminal(playBoth(s, NaivePentago.fromGrid(appear), 'c1u'))).toBe(false);
    // A rotation alone, away from the row, does not help either.
    expect(pg.isTerminal(playBoth(s, NaivePentago.fromGrid(appear), 'c1x'))).toBe(false);
  });

  const vanish = gridFromPicture(`
    O O O O . .
    . . . . . .
    . . . . . .
    @ @ . . . .
    @ @ . . . .
    . . . . . .`);

  it('a five made by the placement can vanish through the rotation', () => {
    const s = stateOfGrid(vanish);
    // e1 makes a1..e1, but turning the top-right quadrant moves d1 and e1 away.
    for (const move of ['e1u', 'e1v']) {
      expect(pg.isTerminal(playBoth(s, NaivePentago.fromGrid(vanish), move))).toBe(false);
    }
    // Turning any other quadrant keeps the five (the bottom-right one is empty).
    expect(pg.winner(playBoth(s, NaivePentago.fromGrid(vanish), 'e1w'))).toBe(0);
    expect(pg.winner(playBoth(s, NaivePentago.fromGrid(vanish), 'e1x'))).toBe(0);
  });

  // O can complete row 1 with e1; @ has a6 b6 c6 and f6 f5, which the bottom-right quadrant
  // turned clockwise brings to d6 e6.
  const duel = gridFromPicture(`
    O O O O . .
    . . . . . .
    O . . . . .
    . . . . . .
    . . . . . @
    @ @ @ . . @`);

  it('both players with five after the rotation is a draw', () => {
    const s = stateOfGrid(duel);
    expect(pg.currentPlayer(s)).toBe(0);
    const t = playBoth(s, NaivePentago.fromGrid(duel), 'e1x');
    expect(pg.winner(t)).toBe('draw');
    expect(pg.terminalValue(t)).toBe(0);
    // The same placement with the counter-clockwise turn leaves @ without five: O wins.
    expect(pg.winner(playBoth(s, NaivePentago.fromGrid(duel), 'e1w'))).toBe(0);
  });

  it('a rotation that completes only the opponent five loses for the mover', () => {
    const s = stateOfGrid(duel);
    const t = playBoth(s, NaivePentago.fromGrid(duel), 'b3x');
    expect(pg.winner(t)).toBe(1);
    // @ is to move in t and has won: +1 from the perspective of the player to move.
    expect(pg.currentPlayer(t)).toBe(1);
    expect(pg.terminalValue(t)).toBe(1);
  });

  it('a full board without five is a draw; a five made by the last stone still wins', () => {
    // Rows of two-by-two blocks keep every line of five mixed.
    const rows = ['OO@@OO', '@@OO@@', 'OO@@OO', '@@OO@@', 'OO@@OO', '@@OO@.'];
    const grid = gridFromPicture(rows.join('\n'));
    const s = stateOfGrid(grid);
    expect(s.ply).toBe(35);
    expect(pg.isTerminal(s)).toBe(false);
    expect(pg.currentPlayer(s)).toBe(1);
    let draws = 0;
    for (const a of pg.legalActions(s)) {
      const naive = NaivePentago.fromGrid(grid);
      naive.play(a);
      const t = pg.apply(s, a);
      expect(pg.winner(t)).toBe(naive.result);
      expect(pg.legalActions(t)).toEqual([]);
      if (pg.winner(t) === 'draw') draws++;
    }
    expect(draws).toBeGreaterThan(0);
  });
});

describe('pentago: random playouts against the naive engine', () => {
  it('state, legal moves, result and observation agree move by move', () => {
    const rng = new Rng(2023, 'pentago-playouts');
    const mask = new Uint8Array(288 + 3);
    const alignedMask = new Uint8Array(288 + 8);
    const otherAlignedMask = new Uint8Array(288);
    // Offset 0 of an array that starts 4 bytes into its buffer: not 8-byte aligned, bytes again.
    const shiftedMask = new Uint8Array(new ArrayBuffer(288 + 4), 4);
    const obs = new Float32Array(108 + 10);
    // Starts 4 bytes into its buffer: not 8-byte aligned at any even offset.
    const shiftedObs = new Float32Array(new ArrayBuffer(4 * (108 + 1)), 4);
    const seen = { 0: 0, 1: 0, draw: 0, fullBoard: 0, doubleFive: 0, moverGaveWin: 0 };
    const mismatches: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && mismatches.length < 5) mismatches.push(what);
    };
    for (let g = 0; g < 400; g++) {
      const naive = new NaivePentago();
      let s = pg.initialState();
      for (;;) {
        const where = `game ${g} ply ${naive.ply}`;
        const legal = naive.legal();
        check(pg.legalActions(s).join() === legal.join(), `${where}: legal actions`);
        check(pg.legalMask(s, mask, 3) === legal.length, `${where}: mask count`);
        const legalSet = new Set(legal);
        let maskOk = true;
        for (let a = 0; a < 288; a++) if (mask[3 + a] !== (legalSet.has(a) ? 1 : 0)) maskOk = false;
        check(maskOk, `${where}: mask`);
        // 8-byte aligned offsets take the cell-at-a-time path; stale bytes must not survive it.
        // Arrays in the order aligned, other aligned, aligned, shifted: legalMask's views of
        // the last two arrays are hit, swapped and evicted.
        for (const [array, at] of [[alignedMask, 8], [otherAlignedMask, 0], [alignedMask, 8], [shiftedMask, 0]] as const) {
          array.fill(7);
          check(pg.legalMask(s, array, at) === legal.length, `${where}: mask count at offset ${at}`);
          check(array.subarray(at, at + 288).every((v, a) => v === mask[3 + a]), `${where}: mask at offset ${at}`);
        }
        check(pg.winner(s) === naive.result, `${where}: winner ${pg.winner(s)} vs ${naive.result}`);
        check(JSON.stringify(gridOf(s)) === JSON.stringify(naive.grid), `${where}: board`);
        // Even offsets of 8-byte aligned arrays take the two-cells-a-store path, others a float
        // at a time; stale floats must not survive either. `obs` comes back after another
        // array: the game's remembered float64 view of it must still be the right one.
        const me = (naive.ply % 2) + 1;
        for (const [array, at] of [[obs, 7], [obs, 10], [shiftedObs, 0], [obs, 10]] as const) {
          array.fill(7);
          pg.writeObservation(s, array, at);
          for (let c = 0; c < 36; c++) {
            const v = naive.grid[Math.floor(c / 6)]![c % 6]!;
            check(
              array[at + c] === (v === me ? 1 : 0) && array[at + 36 + c] === (v !== 0 && v !== me ? 1 : 0) && array[at + 72 + c] === (v === 0 ? 1 : 0),
              `${where}: observation cell ${c} at offset ${at}`,
            );
          }
        }
        if (naive.result !== null) {
          seen[naive.result]++;
          if (naive.result === 'draw' && naive.ply === 36) seen.fullBoard++;
          if (naive.result === 'draw' && naive.ply < 36) seen.doubleFive++;
          if (naive.result !== 'draw' && naive.result === naive.ply % 2) seen.moverGaveWin++;
          break;
        }
        const a = legal[rng.int(legal.length)]!;
        naive.play(a);
        s = pg.apply(s, a);
      }
    }
    expect(mismatches).toEqual([]);
    // The playouts did reach every kind of ending.
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[1]).toBeGreaterThan(0);
    expect(seen.fullBoard).toBeGreaterThan(0);
    expect(seen.doubleFive).toBeGreaterThan(0);
    expect(seen.moverGaveWin).toBeGreaterThan(0);
  });

  it('randomPlayout is reproducible from its seed', () => {
    const a = randomPlayout(pg, new Rng(9));
    const b = randomPlayout(pg, new Rng(9));
    expect(a.actions).toEqual(b.actions);
    expect(pg.key(stateFromMoves(pg, pg.formatMoves(a.actions)))).toBe(pg.key(a.final));
  });
});

describe('pentago: reference counts', () => {
  it('move sequences are 8*(36-i) per ply: 1, 288, 80640, 21934080', () => {
    expect([0, 1, 2, 3].map((d) => perft(pg, pg.initialState(), d))).toEqual([1, 288, 80640, 21934080]);
  });

  it('distinct boards after k moves are C(36,k)*C(k,k/2): 1, 36, 1260, 21420', () => {
    expect(countDistinctByPly(pg, 3).distinct).toEqual([1, 36, 1260, 21420]);
  });

  it('distinct boards up to the 8 symmetries: 1, 6, 165, 2715', () => {
    expect(countDistinctByPly(pg, 3, (s) => canonicalKey(pg, s)).distinct).toEqual([1, 6, 165, 2715]);
  });
});

describe('pentago: symmetries', () => {
  it('are the 8 isometries of the square, and actions map with them', () => {
    const isometries = new Set<string>();
    const n = 5;
    const maps = [
      (x: number, y: number) => [x, y],
      (x: number, y: number) => [n - y, x],
      (x: number, y: number) => [n - x, n - y],
      (x: number, y: number) => [y, n - x],
      (x: number, y: number) => [n - x, y],
      (x: number, y: number) => [x, n - y],
      (x: number, y: number) => [y, x],
      (x: number, y: number) => [n - y, n - x],
    ];
    for (const m of maps) {
      isometries.add(Array.from({ length: 36 }, (_, c) => m(c % 6, Math.floor(c / 6))).map(([x, y]) => y! * 6 + x!).join());
    }
    const fromEngine = new Set<string>();
    for (let g = 0; g < 8; g++) {
      const perm = pg.actionPermutation(g);
      expect(new Set(perm).size).toBe(288);
      const cellMap = Array.from({ length: 36 }, (_, c) => perm[c * 8]! >> 3);
      fromEngine.add(cellMap.join());
      // Every action at a cell maps to the same image cell.
      for (let a = 0; a < 288; a++) expect(perm[a]! >> 3).toBe(cellMap[a >> 3]);
    }
    expect(fromEngine).toEqual(isometries);
  });

  it('commute with play and keep results, on positions from random games', () => {
    const rng = new Rng(77, 'pentago-symmetry');
    const obs = new Float32Array(108);
    const obsImage = new Float32Array(108);
    let checked = 0;
    const mismatches: string[] = [];
    for (let game = 0; game < 12; game++) {
      const { actions } = randomPlayout(pg, rng);
      const stop = rng.int(actions.length);
      const s = stateFromMoves(pg, actions.slice(0, stop));
      pg.writeObservation(s, obs);
      for (let g = 0; g < 8; g++) {
        const perm = pg.actionPermutation(g);
        const image = pg.transformState(s, g);
        if (pg.winner(image) !== pg.winner(s)) mismatches.push(`sym ${g}: winner`);
        pg.writeObservation(image, obsImage);
        for (let c = 0; c < 36; c++) {
          const t = perm[c * 8]! >> 3;
          for (let plane = 0; plane < 3; plane++) {
            if (obsImage[plane * 36 + t] !== obs[plane * 36 + c]) mismatches.push(`sym ${g}: observation`);
          }
        }
        for (const a of pg.legalActions(s)) {
          const viaImage = pg.apply(image, perm[a]!);
          const imageOfChild = pg.transformState(pg.apply(s, a), g);
          if (pg.key(viaImage) !== pg.key(imageOfChild) || pg.winner(viaImage) !== pg.winner(imageOfChild)) {
            mismatches.push(`sym ${g} action ${pg.actionToString(a)}`);
          }
          checked++;
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });
});
