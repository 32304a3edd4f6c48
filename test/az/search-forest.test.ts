import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedWasm } from '../../scripts/gen-wasm.ts';
import { emptyCounters, type BatchEvaluator } from '../../src/az/batched-search.ts';
import { createSearchForest, type SearchForest } from '../../src/az/search-forest.ts';
import { Rng } from '../../src/engine/rng.ts';
import { Connect4Game } from '../../src/games/connect4.ts';
import type { Game } from '../../src/games/game.ts';
import { PentagoGame } from '../../src/games/pentago.ts';
import { randomPosition } from '../../src/games/playout.ts';

/**
 * A network made up from each row's observation: coarse priors (many ties, some legal
 * actions at 0) and values, so the searches meet every tie-break, exact terminal values and
 * the cache's evictions. A fixed `value` instead makes every visited move look lost (0.9) or
 * won (-0.9) for its mover, so that selection reaches the actions of prior 0. Fresh arrays
 * per call, as BatchEvaluator promises.
 */
function madeUpNetwork(game: Game<unknown>, fixedValue: number | null = null): BatchEvaluator & { calls: number } {
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
          const w = masks[r * numActions + a] ? Math.imul(h ^ a, 0x9e3779b1) >>> 30 : 0;
          policy[r * numActions + a] = w;
          sum += w;
        }
        for (let a = 0; a < numActions; a++) {
          const legal = masks[r * numActions + a] !== 0;
          policy[r * numActions + a] = sum > 0 ? policy[r * numActions + a]! / sum : legal ? 1 : 0;
        }
        value[r] = fixedValue ?? ((h >>> 24) - 127.5) / 128;
      }
      return { policy, value };
    },
  };
}

function roots<S>(game: Game<S>, rng: Rng, n: number): S[] {
  const out: S[] = [];
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

function visits<S>(forest: SearchForest<S>, trees: number, numActions: number): number[][] {
  return Array.from({ length: trees }, (_, i) => [...forest.rootVisitCounts(i, new Int32Array(numActions))]);
}

describe('the WebAssembly search', () => {
  it("makes the JavaScript search's choices: visits, best and sampled moves, counters, over moves that share the cache", () => {
    const games: Game<unknown>[] = [
      new PentagoGame(),
      ...[
        [7, 6],
        [4, 4],
        [5, 4],
        [6, 7],
        [8, 7], // 64 bits: the largest board Connect4Game takes
        [9, 5],
      ].map(([width, height]) => new Connect4Game({ width, height })),
    ] as Game<unknown>[];
    fc.assert(
      fc.property(
        fc.record({
          game: fc.constantFrom(...games),
          trees: fc.integer({ min: 1, max: 40 }),
          simulations: fc.integer({ min: 1, max: 60 }),
          // 1e-300: below the range where the module scans every Connect Four action (scanSelect).
          c: fc.constantFrom(0.5, 2, 5, 1e-300),
          epsilon: fc.constantFrom(0, 0.25),
          alpha: fc.constantFrom(1, 0.5),
          cacheSize: fc.constantFrom(0, 3, 50, 65536),
          moves: fc.integer({ min: 1, max: 3 }),
          split: fc.boolean(),
          fixedValue: fc.constantFrom(null, null, 0.9, -0.9),
          seed: fc.integer({ min: 0, max: 1 << 30 }),
        }),
        ({ game, trees, simulations, c, epsilon, alpha, cacheSize, moves, split, fixedValue, seed }) => {
          const net = () => madeUpNetwork(game, fixedValue);
          const options = { mcts: { c, dirichletAlpha: alpha, dirichletEpsilon: epsilon }, cacheSize, simulations };
          const js = createSearchForest(game, { ...options, implementation: 'js' });
          const wasm = createSearchForest(game, { ...options, implementation: 'wasm' });
          const rng = new Rng(seed, 'positions');
          for (let move = 0; move < moves; move++) {
            // Fewer trees on later moves, as a tournament player's games end.
            const states = roots(game, rng, Math.max(1, trees - 7 * move));
            // Self-play draws a move's root noise and then its sampled move from one generator.
            const moveRngs = [js, wasm].map(() => states.map((_, i) => new Rng(seed, `move/${move}/${i}`)));
            const counters = [emptyCounters(), emptyCounters()];
            [js, wasm].forEach((forest, f) => {
              forest.reset(states, moveRngs[f]);
              // Self-play's workers search a move in pieces (lockstep-collect.ts).
              if (split && simulations > 1) {
                forest.run(net(), 1, counters[f]!);
                forest.run(net(), simulations - 1, counters[f]!);
              } else forest.run(net(), simulations, counters[f]!);
            });
            expect(visits(wasm, states.length, game.numActions)).toEqual(visits(js, states.length, game.numActions));
            // The root rows to the bit: the network's priors with the root noise mixed in.
            const rootRows = (forest: SearchForest<unknown>) => states.map((_, i) => [...new Int32Array(forest.rootPriors(i, new Float32Array(game.numActions)).buffer)]);
            expect(rootRows(wasm)).toEqual(rootRows(js));
            expect(counters[1]).toEqual(counters[0]);
            for (let i = 0; i < states.length; i++) {
              expect(wasm.bestAction(i)).toBe(js.bestAction(i));
              if (simulations > 1) expect(wasm.sampleAction(i, moveRngs[1]![i]!, 1)).toBe(js.sampleAction(i, moveRngs[0]![i]!, 1));
              for (const t of [1, 0.25]) {
                // After one simulation no root action has a visit: both refuse to sample.
                const sample = (forest: SearchForest<unknown>) => outcome(() => forest.sampleAction(i, new Rng(seed, `sample/${i}/${t}`), t));
                expect(sample(wasm)).toEqual(sample(js));
              }
            }
          }
        },
      ),
      { numRuns: 100, seed: 20261124 },
    );
  });

  it('draws Dirichlet(1) root noise itself, with the bits Rng.dirichlet gives and the generator left where it leaves it', () => {
    const game = new PentagoGame();
    const states = roots(game, new Rng(5, 'noise roots'), 24);
    const forest = createSearchForest(game, { mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 1 }, cacheSize: 0, simulations: 1, implementation: 'wasm' });
    const rngs = states.map((_, i) => new Rng(9, `noise/${i}`));
    const drawn: number[] = [];
    for (const rng of rngs) rng.dirichlet = () => (drawn.push(1), new Float64Array(0));
    forest.reset(states, rngs);
    expect(drawn).toEqual([]); // the module drew them all
    // The module's noise, bit for bit (the f32 rows below would hide its last bits).
    const moduleNoise = (forest as unknown as { noise: Float64Array }).noise;
    states.forEach((state, i) => {
      const n = game.legalActions(state).length;
      expect(moduleNoise.subarray(i * 288, i * 288 + n)).toEqual(new Rng(9, `noise/${i}`).dirichlet(1, n));
    });
    // With epsilon 1 and a uniform network the root rows are the noise itself, as f32s.
    forest.run({ predict: (_o, m, batch) => ({ policy: Float32Array.from(m.subarray(0, batch * 288)), value: new Float32Array(batch) }) }, 1, emptyCounters());
    states.forEach((state, i) => {
      const reference = new Rng(9, `noise/${i}`);
      const noise = reference.dirichlet(1, game.legalActions(state).length);
      const expected = new Float32Array(288);
      game.legalActions(state).forEach((action, k) => (expected[action] = noise[k]!));
      expect(forest.rootPriors(i, new Float32Array(288))).toEqual(expected);
      expect(rngs[i]!.nextU32()).toBe(reference.nextU32());
    });
  });

  it("computes the noise's logs two at a time with Math.log's bits, fdlibm's |f| < 2^-20 case included", () => {
    const forest = createSearchForest(new PentagoGame(), { mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0.25 }, cacheSize: 0, simulations: 1, implementation: 'wasm' });
    const wasm = (forest as unknown as { wasm: { logOf2(x0: number, x1: number): number; logOf2Second(): number } }).wasm;
    const rng = new Rng(3, 'log inputs');
    const inputs: number[] = [];
    // The noise's inputs 1 - u, u = k * 2^-53, and every binade they reach, near powers of two too.
    for (let i = 0; i < 100_000; i++) inputs.push(1 - rng.next());
    for (let e = -53; e <= -1; e++) {
      for (let i = 0; i < 200; i++) inputs.push(2 ** e * (1 + rng.next()), 2 ** e * (1 + rng.next() * 2 ** -20), 2 ** e * (2 - rng.next() * 2 ** -20));
    }
    let mismatches = 0;
    for (let i = 0; i + 1 < inputs.length; i += 2) {
      const [x0, x1] = [inputs[i]!, inputs[i + 1]!];
      if (!Object.is(wasm.logOf2(x0, x1), Math.log(x0)) || !Object.is(wasm.logOf2Second(), Math.log(x1))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("refuses a prior on an illegal action with the JavaScript search's message, where that search would", () => {
    const game = new Connect4Game();
    // Column 0 full, and a network that gives it a prior anyway.
    const state = [0, 0, 0, 0, 0, 0].reduce((s, a) => game.apply(s, a), game.initialState());
    const uniform: BatchEvaluator = { predict: (_o, _m, batch) => ({ policy: new Float32Array(batch * 7).fill(1 / 7), value: new Float32Array(batch) }) };
    const refusal = (implementation: 'js' | 'wasm') => {
      const forest = createSearchForest(game, { mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 }, cacheSize: 0, simulations: 4, implementation });
      forest.reset([state]);
      // The first simulation only expands the root; the second chooses action 0.
      forest.run(uniform, 1, emptyCounters());
      return outcome(() => forest.run(uniform, 3, emptyCounters()));
    };
    expect(refusal('wasm')).toMatch(/^RangeError: mcts: the evaluation gave illegal action 0 a prior of 0.142857/);
    expect(refusal('wasm')).toBe(refusal('js'));
  });

  it('reports the first tree that refuses, though a later tree refuses at a shallower level of the same round', () => {
    const game = new Connect4Game();
    const play = (moves: number[]) => moves.reduce((s, a) => game.apply(s, a), game.initialState());
    // Priors rise with the column, illegal columns included; every value 0 but the first
    // tree's leaf in the second round, -1, which makes that child its root's favourite.
    // Round 3: the first tree goes back into column 6, fills it, and chooses column 6 again
    // one level down; the second tree's root chooses its full column 5.
    const states = [play([6, 6, 6, 6, 6]), play([5, 5, 5, 5, 5, 5])];
    const refusal = (implementation: 'js' | 'wasm') => {
      let call = 0;
      const rising: BatchEvaluator = {
        predict: (_o, _m, batch) => {
          call++;
          const policy = new Float32Array(batch * 7).map((_, i) => ((i % 7) + 1) / 28);
          const value = new Float32Array(batch);
          if (call === 2) value[0] = -1;
          return { policy, value };
        },
      };
      const forest = createSearchForest(game, { mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 }, cacheSize: 0, simulations: 3, implementation });
      forest.reset(states);
      return outcome(() => forest.run(rising, 3, emptyCounters()));
    };
    expect(refusal('wasm')).toMatch(/^RangeError: mcts: the evaluation gave illegal action 6 a prior of 0.25;/);
    expect(refusal('wasm')).toBe(refusal('js'));
  });

  it('keeps to its simulations, roots and memory, and names a game it does not play', () => {
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
    // Sizes past what the module's 32-bit allocator can hold are refused before they wrap around.
    expect(() => createSearchForest(new PentagoGame(), { ...options, cacheSize: 4_000_000 })).toThrow(
      'an evaluation cache of 4000000 pentago positions would need 4.3 GiB of priors, more than the 1 GiB a WebAssembly array may have; lower the cacheSize param',
    );
    // Connect Four's largest per-node array is its edge statistics (128 bytes), not its priors (28).
    expect(() => createSearchForest(game, { ...options, simulations: 10_000_000, implementation: 'wasm' }).reset([game.initialState()])).toThrow(
      '1 searches of 10000000 simulations would need 1.2 GiB of tree nodes, more than the 1 GiB a WebAssembly array may have; lower the simulations or the games searched at once',
    );
    // A tournament player's searches come and go with its games: growing one tree at a time
    // keeps to the memory of the largest set (300-simulation Pentago trees take ~0.37 MB
    // each; kept, every smaller set outgrown would add up to ~7 GB here, past wasm's 4 GiB).
    const growing = createSearchForest(new PentagoGame(), { ...options, simulations: 300, implementation: 'wasm' });
    const pentagoRoots = roots(new PentagoGame(), new Rng(1, 'growing'), 200);
    for (let n = 1; n <= 200; n++) growing.reset(pentagoRoots.slice(0, n));
    growing.run(madeUpNetwork(new PentagoGame()), 2, emptyCounters());
    expect(growing.rootVisitCounts(199, new Int32Array(288)).reduce((x, y) => x + y)).toBe(1);
    const tictactoe = { ...new Connect4Game(), name: 'tictactoe' } as unknown as Game<unknown>;
    expect(() => createSearchForest(tictactoe, { ...options, implementation: 'wasm' })).toThrow('no WebAssembly search for tictactoe');
  });

  it('is up to date with its AssemblyScript source (npm run gen:wasm)', async () => {
    for (const [file, ts] of await generatedWasm()) {
      expect(readFileSync(file, 'utf8'), `${file} is stale: run npm run gen:wasm`).toBe(ts);
    }
  }, 120_000);
});
