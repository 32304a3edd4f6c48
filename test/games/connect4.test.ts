import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { Connect4Game, type Connect4State } from '../../src/games/connect4.ts';
import { stateFromMoves, symmetries, transformPolicy } from '../../src/games/game.ts';
import { getGame } from '../../src/games/index.ts';
import { countDistinctByPly, perft, randomPlayout } from '../../src/games/playout.ts';
import { naiveHasRun, NaiveConnect4, type Grid } from './naive.ts';

const c4 = new Connect4Game();

/** The engine's board as a naive grid[row][col] (0 empty, 1 player 0, 2 player 1). */
function gridOf(game: Connect4Game, s: Connect4State): Grid {
  return Array.from({ length: game.height }, (_, r) =>
    Array.from({ length: game.width }, (_, c) => game.cellOwner(s, c, r)),
  );
}

describe('connect4: interface facts', () => {
  it('has the paper sizes', () => {
    expect(c4.numActions).toBe(7);
    expect(c4.observationSize).toBe(126);
    expect(c4.maxPlies).toBe(42);
    expect(c4.numSymmetries).toBe(2);
    expect(getGame('connect4').observationSize).toBe(126);
    const small = getGame('connect4', { width: 5, height: 4 });
    expect(small.numActions).toBe(5);
    expect(small.observationSize).toBe(60);
  });

  it('rejects boards that do not fit two words, and unknown games', () => {
    expect(() => new Connect4Game({ width: 9, height: 7 })).toThrow(RangeError);
    expect(() => getGame('chess')).toThrow(/unknown game/);
  });

  it('parses and formats Pons move strings', () => {
    expect(c4.parseMoves('4453')).toEqual([3, 3, 4, 2]);
    expect(c4.parseMoves('4 4 5 3')).toEqual([3, 3, 4, 2]);
    expect(c4.formatMoves([3, 3, 4, 2])).toBe('4453');
    expect(c4.parseMoves('')).toEqual([]);
    expect(() => c4.parseAction('8')).toThrow(RangeError);
    expect(() => c4.parseAction('0')).toThrow(RangeError);
    const s = stateFromMoves(c4, '4453');
    expect(s.ply).toBe(4);
    expect(c4.render(s)).toContain('. . O X X . .');
  });

  it('refuses illegal moves: full columns and finished games', () => {
    const full = stateFromMoves(c4, '444444');
    expect(c4.isLegal(full, 3)).toBe(false);
    expect(c4.legalActions(full)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(() => c4.apply(full, 3)).toThrow(RangeError);
    const won = stateFromMoves(c4, '1212121');
    expect(c4.isTerminal(won)).toBe(true);
    expect(c4.legalActions(won)).toEqual([]);
    const mask = new Uint8Array(7).fill(9);
    expect(c4.legalMask(won, mask)).toBe(0);
    expect([...mask]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(() => c4.apply(won, 4)).toThrow(/game over/);
  });
});

describe('connect4: wins', () => {
  it('reports the result for the player to move and in absolute terms', () => {
    const won = stateFromMoves(c4, '1212121'); // player 0 stacks four in column 1
    expect(c4.winner(won)).toBe(0);
    expect(c4.terminalValue(won)).toBe(-1);
    expect(c4.currentPlayer(won)).toBe(1);
    const won1 = stateFromMoves(c4, '71212121'); // player 1 stacks four in column 1
    expect(c4.winner(won1)).toBe(1);
    expect(c4.terminalValue(won1)).toBe(-1);
    expect(c4.terminalValue(stateFromMoves(c4, '121212'))).toBeNull();
  });

  it('finds diagonals that start at the board edges', () => {
    // Rising diagonal from the bottom-left corner: X at (1,1) (2,2) (3,3) (4,4).
    const left = stateFromMoves(c4, '12233434414');
    expect(c4.winner(left)).toBe(0);
    expect(left.ply).toBe(11);
    // Its mirror: falling diagonal ending in the bottom-right corner.
    const right = stateFromMoves(c4, '76655454474');
    expect(c4.winner(right)).toBe(0);
    // A diagonal touching the top row: X at (4,3) (5,4) (6,5) (7,6) on a full-ish board,
    // checked through the naive engine on the same moves.
    const moves = '4455566667777' + '7' + '6' + '5';
    const naive = new NaiveConnect4();
    let s = c4.initialState();
    for (const a of c4.parseMoves(moves)) {
      if (c4.isTerminal(s)) break;
      naive.play(a);
      s = c4.apply(s, a);
      expect(c4.winner(s)).toBe(naive.result);
    }
  });

  it('every one of the 69 lines of four is a win, every three of it is not', () => {
    // Stone sets straight on the bitboard: gravity does not matter to the line detector.
    let lines = 0;
    const dirs = [
      [0, 1],
      [1, 0],
      [1, 1],
      [1, -1],
    ] as const;
    for (let c = 0; c < 7; c++) {
      for (let r = 0; r < 6; r++) {
        for (const [dc, dr] of dirs) {
          const cells: [number, number][] = [];
          for (let k = 0; k < 4; k++) cells.push([c + k * dc, r + k * dr]);
          if (cells.some(([cc, rr]) => cc < 0 || cc > 6 || rr < 0 || rr > 5)) continue;
          lines++;
          const words = (subset: [number, number][]) => {
            let lo = 0;
            let hi = 0;
            for (const [cc, rr] of subset) {
              const b = c4.bitIndex(cc, rr);
              if (b < 32) lo |= 1 << b;
              else hi |= 1 << (b - 32);
            }
            return [lo, hi] as const;
          };
          expect(c4.isWin(...words(cells))).toBe(true);
          for (let drop = 0; drop < 4; drop++) {
            expect(c4.isWin(...words(cells.filter((_, i) => i !== drop)))).toBe(false);
          }
        }
      }
    }
    expect(lines).toBe(69);
  });

  it('agrees with the naive detector on random stone sets (no wrap-around between columns)', () => {
    const rng = new Rng(11, 'c4-stone-sets');
    for (let t = 0; t < 3000; t++) {
      const grid: Grid = Array.from({ length: 6 }, () => new Array<number>(7).fill(0));
      let lo = 0;
      let hi = 0;
      const density = 0.2 + 0.3 * rng.next();
      for (let c = 0; c < 7; c++) {
        for (let r = 0; r < 6; r++) {
          if (rng.next() >= density) continue;
          grid[r]![c] = 1;
          const b = c4.bitIndex(c, r);
          if (b < 32) lo |= 1 << b;
          else hi |= 1 << (b - 32);
        }
      }
      expect(c4.isWin(lo, hi)).toBe(naiveHasRun(grid, 1, 4));
    }
  });
});

describe('connect4: random playouts against the naive engine', () => {
  for (const [width, height, games] of [
    [7, 6, 600],
    [5, 4, 300],
    [6, 5, 300],
    [8, 7, 200],
  ] as const) {
    it(`${width}x${height}: state, legal moves, result and observation agree move by move`, () => {
      const game = new Connect4Game({ width, height });
      const rng = new Rng(width * 100 + height, 'c4-playouts');
      const mask = new Uint8Array(game.numActions);
      const obs = new Float32Array(game.observationSize + 5);
      const seen = { 0: 0, 1: 0, draw: 0 };
      // Plain comparisons, one expect at the end: thousands of expect calls dominate otherwise.
      const mismatches: string[] = [];
      const check = (ok: boolean, what: string) => {
        if (!ok && mismatches.length < 5) mismatches.push(what);
      };
      for (let g = 0; g < games; g++) {
        const naive = new NaiveConnect4(width, height);
        let s = game.initialState();
        for (;;) {
          const where = `game ${g} ply ${naive.ply}`;
          const legal = naive.legal();
          check(game.legalActions(s).join() === legal.join(), `${where}: legal actions`);
          check(game.legalMask(s, mask) === legal.length, `${where}: mask count`);
          check([...mask].every((v, a) => v === (legal.includes(a) ? 1 : 0)), `${where}: mask`);
          check(game.winner(s) === naive.result, `${where}: winner`);
          check(JSON.stringify(gridOf(game, s)) === JSON.stringify(naive.grid), `${where}: board`);
          check(game.ply(s) === naive.ply, `${where}: ply`);
          // Observation, written at an offset: own / opponent / empty relative to the mover.
          game.writeObservation(s, obs, 5);
          const me = (naive.ply % 2) + 1;
          for (let r = 0; r < height; r++) {
            for (let c = 0; c < width; c++) {
              const v = naive.grid[r]![c]!;
              const i = 5 + r * width + c;
              check(
                obs[i] === (v === me ? 1 : 0) &&
                  obs[i + game.numCells] === (v !== 0 && v !== me ? 1 : 0) &&
                  obs[i + 2 * game.numCells] === (v === 0 ? 1 : 0),
                `${where}: observation at column ${c} row ${r}`,
              );
            }
          }
          if (naive.result !== null) {
            seen[naive.result]++;
            break;
          }
          const a = legal[rng.int(legal.length)]!;
          naive.play(a);
          s = game.apply(s, a);
        }
      }
      expect(mismatches).toEqual([]);
      expect(seen[0] + seen[1] + seen.draw).toBe(games);
      if (width * height <= 20) expect(seen.draw).toBeGreaterThan(0);
    });
  }

  it('randomPlayout is reproducible from its seed and ends with a result', () => {
    const a = randomPlayout(c4, new Rng(5));
    const b = randomPlayout(c4, new Rng(5));
    expect(a.actions).toEqual(b.actions);
    expect(c4.formatMoves(a.actions)).toBe(c4.formatMoves(b.actions));
    expect(a.winner).toBe(c4.winner(stateFromMoves(c4, a.actions)));
  });
});

describe('connect4: counts from the README table', () => {
  it('perft (move sequences, stopping at wins) for plies 0..7', () => {
    const expected = [1, 7, 49, 343, 2401, 16807, 117649, 823536];
    expected.forEach((n, ply) => expect(perft(c4, c4.initialState(), ply)).toBe(n));
  });

  it('distinct positions and just-won positions for plies 0..8', () => {
    const { distinct, terminal } = countDistinctByPly(c4, 8);
    expect(distinct).toEqual([1, 7, 49, 238, 1120, 4263, 16422, 54859, 184275]);
    expect(terminal).toEqual([0, 0, 0, 0, 0, 0, 0, 728, 1892]);
  });
});

describe('connect4: keys and symmetry', () => {
  it('keys tell positions apart and agree for transpositions', () => {
    expect(c4.key(stateFromMoves(c4, '4453'))).toBe(c4.key(stateFromMoves(c4, '5344')));
    expect(c4.key(stateFromMoves(c4, '4453'))).not.toBe(c4.key(stateFromMoves(c4, '4435')));
    expect(c4.numericKey(stateFromMoves(c4, '12'))).not.toBe(c4.numericKey(stateFromMoves(c4, '21')));
    const big = new Connect4Game({ width: 8, height: 7 });
    expect(big.key(stateFromMoves(big, '88'))).not.toBe(big.key(stateFromMoves(big, '81')));
    expect(() => big.numericKey(big.initialState())).toThrow(RangeError);
  });

  it('the mirror commutes with play and keeps results', () => {
    const rng = new Rng(3, 'c4-mirror');
    const perm = c4.actionPermutation(1);
    expect([...perm]).toEqual([6, 5, 4, 3, 2, 1, 0]);
    for (let g = 0; g < 200; g++) {
      const { actions } = randomPlayout(c4, rng);
      let s = c4.initialState();
      let m = c4.initialState();
      for (const a of actions) {
        s = c4.apply(s, a);
        m = c4.apply(m, perm[a]!);
        expect(c4.key(c4.transformState(s, 1))).toBe(c4.key(m));
        expect(c4.winner(m)).toBe(c4.winner(s));
        expect(c4.key(c4.transformState(m, 1))).toBe(c4.key(s));
      }
      const images = symmetries(c4, s);
      expect(images).toHaveLength(2);
      expect(images[0]!.state).toBe(s);
    }
  });

  it('maps policies onto the mirrored board', () => {
    const p = [0.1, 0.2, 0.3, 0.4, 0, 0, 0];
    expect([...transformPolicy(c4, p, 1)].map((v) => +v.toFixed(3))).toEqual([0, 0, 0, 0.4, 0.3, 0.2, 0.1]);
  });
});
