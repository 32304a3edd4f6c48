import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedWasm } from '../../scripts/gen-wasm.ts';
import { emptyCounters, type BatchEvaluator } from '../../src/az/batched-search.ts';
import { createSearchForest, type SearchForest } from '../../src/az/search-forest.ts';
import { Rng } from '../../src/engine/rng.ts';
import { Connect4Game, type Connect4State } from '../../src/games/connect4.ts';
import { PentagoGame } from '../../src/games/pentago.ts';
import { randomPosition } from '../../src/games/playout.ts';

/**
 * A network made up from each row's observation: coarse priors (many ties, some legal
 * actions at 0) and values, so the searches meet every tie-break, exact terminal values and
 * the cache's evictions. Fresh arrays per call, as BatchEvaluator promises.
 */
function madeUpNetwork(game: Connect4Game): BatchEvaluator & { calls: number } {
  const { observationSize: nIn, numActions } = game;
  return {
    calls: 0,
    predict(observations, masks, batch) {
      this.calls++;
      const policy = new Float32Array(batch * numActions);
      const value = new Float32Array(batch);
      for (let r = 0; r < batch; r++) {
        let h = 0x9e3779b9;
        for (let i = 0; i < nIn; i++) if (observations[r * nIn + i] !== 0) h = Math.imul(h ^ (i + 1), 0x85ebca6b) ^ (h >>> 13);
        let sum = 0;
        for (let a = 0; a < numActions; a++) {
          const w = masks[r * numActions + a] ? (h >>> (3 * a)) & 3 : 0;
          policy[r * numActions + a] = w;
          sum += w;
        }
        for (let a = 0; a < numActions; a++) {
          const legal = masks[r * numActions + a] !== 0;
          policy[r * numActions + a] = sum > 0 ? policy[r * numActions + a]! / sum : legal ? 1 : 0;
        }
        value[r] = ((h >>> 24) - 127.5) / 128;
      }
      return { policy, value };
    },
  };
}

function roots(game: Connect4Game, rng: Rng, n: number): Connect4State[] {
  const out: Connect4State[] = [];
  while (out.length < n) {
    const state = randomPosition(game, rng, rng.int(game.maxPlies));
    if (!game.isTerminal(state)) out.push(state);
  }
  return out;
}

function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return String(e);
  }
}

function visits(forest: SearchForest<Connect4State>, trees: number, numActions: number): number[][] {
  return Array.from({ length: trees }, (_, i) => [...forest.rootVisitCounts(i, new Int32Array(numActions))]);
}

describe("Connect Four's WebAssembly search", () => {
  it("makes the JavaScript search's choices: visits, best and sampled moves, counters, over moves that share the cache", () => {
    const boards = [
      [7, 6],
      [4, 4],
      [5, 4],
      [6, 7],
      [8, 7], // 64 bits: the widest board the module takes
      [9, 5],
    ] as const;
    fc.assert(
      fc.property(
        fc.record({
          board: fc.constantFrom(...boards),
          trees: fc.integer({ min: 1, max: 40 }),
          simulations: fc.integer({ min: 1, max: 60 }),
          c: fc.constantFrom(0.5, 2, 5),
          epsilon: fc.constantFrom(0, 0.25),
          cacheSize: fc.constantFrom(0, 3, 50, 65536),
          moves: fc.integer({ min: 1, max: 3 }),
          split: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1 << 30 }),
        }),
        ({ board: [width, height], trees, simulations, c, epsilon, cacheSize, moves, split, seed }) => {
          const game = new Connect4Game({ width, height });
          const options = { mcts: { c, dirichletAlpha: 0.5, dirichletEpsilon: epsilon }, cacheSize, simulations };
          const js = createSearchForest(game, { ...options, implementation: 'js' });
          const wasm = createSearchForest(game, { ...options, implementation: 'wasm' });
          const rng = new Rng(seed, 'positions');
          for (let move = 0; move < moves; move++) {
            // Fewer trees on later moves, as a tournament player's games end.
            const states = roots(game, rng, Math.max(1, trees - 7 * move));
            const noise = (salt: string) => states.map((_, i) => new Rng(seed, `noise/${move}/${i}/${salt}`));
            const counters = [emptyCounters(), emptyCounters()];
            [js, wasm].forEach((forest, f) => {
              forest.reset(states, noise('x'));
              // Self-play's workers search a move in pieces (lockstep-collect.ts).
              if (split && simulations > 1) {
                forest.run(madeUpNetwork(game), 1, counters[f]!);
                forest.run(madeUpNetwork(game), simulations - 1, counters[f]!);
              } else forest.run(madeUpNetwork(game), simulations, counters[f]!);
            });
            expect(visits(wasm, states.length, game.numActions)).toEqual(visits(js, states.length, game.numActions));
            expect(counters[1]).toEqual(counters[0]);
            for (let i = 0; i < states.length; i++) {
              expect(wasm.bestAction(i)).toBe(js.bestAction(i));
              for (const t of [1, 0.25]) {
                // After one simulation no root action has a visit: both refuse to sample.
                const sample = (forest: SearchForest<Connect4State>) => outcome(() => forest.sampleAction(i, new Rng(seed, `sample/${i}/${t}`), t));
                expect(sample(wasm)).toEqual(sample(js));
              }
            }
          }
        },
      ),
      { numRuns: 60, seed: 20261124 },
    );
  });

  it("refuses a prior on an illegal action with the JavaScript search's message", () => {
    const game = new Connect4Game();
    const forest = createSearchForest(game, { mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 }, cacheSize: 0, simulations: 4, implementation: 'wasm' });
    // Column 0 full.
    const state = [0, 0, 0, 0, 0, 0].reduce((s, a) => game.apply(s, a), game.initialState());
    forest.reset([state]);
    const uniform: BatchEvaluator = { predict: (_o, _m, batch) => ({ policy: new Float32Array(batch * 7).fill(1 / 7), value: new Float32Array(batch) }) };
    expect(() => forest.run(uniform, 1, emptyCounters())).toThrow('mcts: the evaluation gave illegal action 0 a prior of');
  });

  it('keeps to its simulations and roots, and says which games have no WebAssembly search', () => {
    const game = new Connect4Game();
    const forest = createSearchForest(game, { mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 }, cacheSize: 0, simulations: 3, implementation: 'wasm' });
    expect(() => forest.reset([game.apply(game.apply(game.apply(game.apply(game.apply(game.apply(game.apply(game.initialState(), 0), 1), 0), 1), 0), 1), 0)])).toThrow(
      'cannot search from a terminal state',
    );
    forest.reset([game.initialState()]);
    expect(() => forest.bestAction(0)).toThrow('no simulation has expanded the root');
    forest.run(madeUpNetwork(game), 3, emptyCounters());
    expect(() => forest.run(madeUpNetwork(game), 1, emptyCounters())).toThrow('4 simulations since reset, room for 3');
    expect(() => forest.rootVisitCounts(1, new Int32Array(7))).toThrow('no tree 1');
    const options = { mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 }, cacheSize: 0, simulations: 3 };
    expect(() => createSearchForest(new PentagoGame(), { ...options, implementation: 'wasm' })).toThrow('no WebAssembly search for pentago');
  });

  it('is up to date with its AssemblyScript source (npm run gen:wasm)', async () => {
    for (const [file, ts] of await generatedWasm()) {
      expect(readFileSync(file, 'utf8'), `${file} is stale: run npm run gen:wasm`).toBe(ts);
    }
  }, 120_000);
});
