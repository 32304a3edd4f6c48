// The lazy-children tree must search exactly as plain PUCT over all children would, and the
// slot-based evaluation cache must behave as an LRU map of copies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { BatchedSearch, emptyCounters } from '../../src/az/batched-search.ts';
import { EvaluationCache, type CachedRow } from '../../src/az/evaluation-cache.ts';
import { SearchTree, type Evaluation, type MctsOptions } from '../../src/az/mcts.ts';
import { Connect4Game, PentagoGame, type Game } from '../../src/games/index.ts';
import { randomPosition } from '../../src/games/playout.ts';

/** Textbook PUCT over every child, in action order: the reference the tree is checked against. */
function naiveVisitCounts<S>(game: Game<S>, root: S, evaluate: (s: S) => Evaluation, simulations: number, c: number): number[] {
  interface Node { state: S; n: number; w: number; children: { action: number; prior: number; node: Node }[] | null }
  const make = (state: S): Node => ({ state, n: 0, w: 0, children: null });
  const rootNode = make(root);
  for (let sim = 0; sim < simulations; sim++) {
    const path = [rootNode];
    let node = rootNode;
    let value: number;
    for (;;) {
      const exact = game.terminalValue(node.state);
      if (exact !== null) {
        value = exact;
        break;
      }
      if (node.children === null) {
        const e = evaluate(node.state);
        const actions = game.legalActions(node.state);
        node.children = actions.map((action, i) => ({ action, prior: e.priors[e.offset + i]!, node: make(game.apply(node.state, action)) }));
        value = e.value;
        break;
      }
      const explore = c * Math.sqrt(node.n);
      let best = node.children[0]!;
      let bestScore = -Infinity;
      for (const ch of node.children) {
        const q = ch.node.n > 0 ? ch.node.w / ch.node.n : 0;
        const score = q + (explore * ch.prior) / (ch.node.n + 1);
        if (score > bestScore) {
          bestScore = score;
          best = ch;
        }
      }
      node = best.node;
      path.push(node);
    }
    let v = -value;
    for (let i = path.length - 1; i >= 0; i--) {
      path[i]!.n += 1;
      path[i]!.w += v;
      v = -v;
    }
  }
  const counts = new Array<number>(game.numActions).fill(0);
  for (const ch of rootNode.children ?? []) counts[ch.action] = ch.node.n;
  return counts;
}

/** A deterministic pseudo-network: priors and value from a hash of the position. */
function hashedEvaluator<S>(game: Game<S>): (s: S) => Evaluation {
  return (s) => {
    const key = game.key(s);
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
    const rng = new Rng(h >>> 0, 'test/evaluator');
    const n = game.legalActions(s).length;
    const raw = Array.from({ length: n }, () => rng.next() ** 3);
    const sum = raw.reduce((a, b) => a + b, 0);
    return { priors: Float32Array.from(raw.map((x) => x / sum)), actions: null, offset: 0, count: n, value: 2 * rng.next() - 1 };
  };
}

/** Equal priors (every choice among unvisited children is a tie) and a hashed value. */
function tiedPriorsEvaluator<S>(game: Game<S>): (s: S) => Evaluation {
  const hashed = hashedEvaluator(game);
  return (s) => {
    const e = hashed(s);
    return { ...e, priors: new Float32Array(e.count).fill(1 / e.count) };
  };
}

/**
 * Priors of three levels: many ties among unvisited children, across the tree's rankings (it
 * ranks a few at a time and resumes below the last one ranked, ties in action order).
 */
function threeLevelPriorsEvaluator<S>(game: Game<S>): (s: S) => Evaluation {
  const hashed = hashedEvaluator(game);
  return (s) => {
    const e = hashed(s);
    const levels = Array.from(e.priors, (p) => 1 + (Math.floor(p * 1e6) % 3));
    const sum = levels.reduce((a, b) => a + b, 0);
    return { ...e, priors: Float32Array.from(levels, (l) => l / sum) };
  };
}

describe('SearchTree with lazily made children', () => {
  const options: MctsOptions = { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 };
  const cases: [string, Game<unknown>, typeof hashedEvaluator][] = [
    ['connect4', new Connect4Game() as Game<unknown>, hashedEvaluator],
    ['pentago', new PentagoGame() as Game<unknown>, hashedEvaluator],
    // Ties everywhere: among equal priors the tree's best unvisited child must be the lowest
    // action, as a scan in action order would pick.
    ['pentago, tied priors', new PentagoGame() as Game<unknown>, tiedPriorsEvaluator],
    ['pentago, three prior levels', new PentagoGame() as Game<unknown>, threeLevelPriorsEvaluator],
    // Legal actions of prior 0 (a softmax can underflow): the tree must still reach them, after
    // every positive one and in action order.
    ['connect4, zero priors', new Connect4Game() as Game<unknown>, zeroPriorsEvaluator],
    ['pentago, zero priors', new PentagoGame() as Game<unknown>, zeroPriorsEvaluator],
  ];
  for (const [label, game, evaluator] of cases) {
    it(`visits exactly as PUCT over all children does (${label})`, () => {
      const rng = new Rng(11, 'test/positions');
      const evaluate = evaluator(game);
      for (let trial = 0; trial < 12; trial++) {
        const s = randomPosition(game, rng, rng.int(Math.min(20, game.maxPlies - 8)));
        const simulations = 50 + rng.int(300);
        const tree = new SearchTree(game, options);
        tree.reset(s);
        for (let i = 0; i < simulations; i++) {
          const leaf = tree.descend();
          if (leaf !== null) tree.expand(evaluate(leaf));
        }
        const counts = Array.from(tree.rootVisitCounts(new Int32Array(game.numActions)));
        expect(counts).toEqual(naiveVisitCounts(game, s, evaluate, simulations, options.c));
      }
    });
  }
});

/** About half the legal actions at prior 0 (all of them at some positions), the rest as hashed. */
function zeroPriorsEvaluator<S>(game: Game<S>): (s: S) => Evaluation {
  const hashed = hashedEvaluator(game);
  return (s) => {
    const e = hashed(s);
    const allZero = Math.floor(e.value * 1e6) % 5 === 0;
    return { ...e, priors: Float32Array.from(e.priors, (p) => (allZero || Math.floor(p * 1e6) % 2 === 0 ? 0 : p)) };
  };
}

/**
 * A deterministic pseudo-network over observation rows, as the batched search calls it: a
 * full policy row, 0 on illegal actions as a masked softmax gives, and a value from a hash of
 * the row. `single` is the same function of one state, for the reference search.
 * `junkOnIllegal` breaks the contract: mass on illegal actions.
 */
function hashedNetwork<S>(game: Game<S>, junkOnIllegal = false) {
  const row = (observations: Float32Array, masks: Uint8Array, r: number, policy: Float32Array) => {
    let h = 0;
    for (let i = 0; i < game.observationSize; i++) h = (Math.imul(h, 31) + observations[r * game.observationSize + i]! * (1 + (i % 7))) | 0;
    const rng = new Rng(h >>> 0, 'test/network');
    let sum = 0;
    for (let a = 0; a < game.numActions; a++) {
      const p = masks[r * game.numActions + a] ? Math.fround(rng.next() ** 3 + 1e-3) : 0;
      policy[r * game.numActions + a] = p;
      sum += p;
    }
    for (let a = 0; a < game.numActions; a++) policy[r * game.numActions + a] = Math.fround(policy[r * game.numActions + a]! / sum);
    if (junkOnIllegal) for (let a = 0; a < game.numActions; a++) if (!masks[r * game.numActions + a]) policy[r * game.numActions + a] = 0.75;
    return Math.fround(2 * rng.next() - 1);
  };
  return {
    predict(observations: Float32Array, masks: Uint8Array, batch: number) {
      const policy = new Float32Array(batch * game.numActions);
      const value = new Float32Array(batch);
      for (let r = 0; r < batch; r++) value[r] = row(observations, masks, r, policy);
      return { policy, value };
    },
    single(s: S): Evaluation {
      const obs = new Float32Array(game.observationSize);
      const mask = new Uint8Array(game.numActions);
      const policy = new Float32Array(game.numActions);
      game.writeObservation(s, obs, 0);
      game.legalMask(s, mask, 0);
      const value = row(obs, mask, 0, policy);
      const legal = game.legalActions(s);
      return { priors: Float32Array.from(legal, (a) => policy[a]!), actions: null, offset: 0, count: legal.length, value };
    },
  };
}

/**
 * Pentago without one rotation (every action ≡ 4 mod 8): its masks have words that are
 * neither all legal nor all illegal, which the batched search's word path hands to its byte
 * loop mid-row.
 */
class PentagoMissingARotation extends PentagoGame {
  private static allowed(action: number): boolean {
    return action % 8 !== 4;
  }
  override legalMask(state: Parameters<PentagoGame['legalMask']>[0], out: Uint8Array, offset = 0): number {
    let count = super.legalMask(state, out, offset);
    for (let a = 4; a < this.numActions; a += 8) {
      count -= out[offset + a]!;
      out[offset + a] = 0;
    }
    return count;
  }
  override legalActions(state: Parameters<PentagoGame['legalActions']>[0]): number[] {
    return super.legalActions(state).filter(PentagoMissingARotation.allowed);
  }
  override isLegal(state: Parameters<PentagoGame['isLegal']>[0], action: number): boolean {
    return PentagoMissingARotation.allowed(action) && super.isLegal(state, action);
  }
}

describe('BatchedSearch', () => {
  const options: MctsOptions = { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 };
  const games: [string, Game<unknown>][] = [
    ['connect4', new Connect4Game() as Game<unknown>],
    ['pentago', new PentagoGame() as Game<unknown>],
    ['pentago with one rotation removed', new PentagoMissingARotation() as Game<unknown>],
  ];
  for (const [label, game] of games) {
    it(`searches each of many trees as PUCT alone would, cache on or off (${label})`, () => {
      // Positions from the opening to late middle games: Pentago masks then mix free and
      // occupied cells in every word the batched search reads at once.
      const rng = new Rng(5, 'test/batched-positions');
      const roots = Array.from({ length: 24 }, () => randomPosition(game, rng, rng.int(Math.min(24, game.maxPlies - 8))));
      const net = hashedNetwork(game);
      const simulations = 60;
      const expected = roots.map((s) => naiveVisitCounts(game, s, (x) => net.single(x), simulations, options.c));
      for (const cacheSize of [0, 256, 4096]) {
        const search = new BatchedSearch(game, cacheSize);
        const trees = roots.map(() => new SearchTree(game, options));
        const counters = emptyCounters();
        const searchRoots = () => {
          trees.forEach((tree, i) => tree.reset(roots[i]!));
          search.run(trees, net, simulations, counters);
          expect(trees.map((t) => Array.from(t.rootVisitCounts(new Int32Array(game.numActions))))).toEqual(expected);
        };
        searchRoots();
        expect(counters.simulations).toBe(roots.length * simulations);
        if (cacheSize < 4096) continue;
        // The same searches again: every leaf's row now comes from the cache.
        const evaluations = counters.evaluations;
        searchRoots();
        expect(counters.evaluations).toBe(evaluations);
      }
    });

    it(`copies rows handed over in storage that is written again, as cache slots are (${label})`, () => {
      // One slot for every row, junk after each expansion; 300 simulations fill several of a
      // tree's row arenas, and early leaves are descended through after later ones arrived.
      const rng = new Rng(6, 'test/copied-rows');
      const net = hashedNetwork(game);
      const obs = new Float32Array(game.observationSize);
      const mask = new Uint8Array(game.numActions);
      const slot = new Float32Array(game.numActions);
      for (let trial = 0; trial < 3; trial++) {
        const root = randomPosition(game, rng, rng.int(8));
        const simulations = 300;
        const tree = new SearchTree(game, options);
        tree.reset(root);
        for (let i = 0; i < simulations; i++) {
          const leaf = tree.descend();
          if (leaf === null) continue;
          game.writeObservation(leaf, obs, 0);
          game.legalMask(leaf, mask, 0);
          const { policy, value } = net.predict(obs, mask, 1);
          slot.set(policy);
          tree.expandRow(slot, 0, value[0]!);
          slot.fill(0.75);
        }
        const expected = naiveVisitCounts(game, root, (x) => net.single(x), simulations, options.c);
        expect(Array.from(tree.rootVisitCounts(new Int32Array(game.numActions)))).toEqual(expected);
      }
    });
  }
});

it('names the contract when a network puts mass on illegal actions', () => {
  const game = new PentagoGame();
  const trees = [new SearchTree(game, { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 })];
  trees[0]!.reset(randomPosition(game, new Rng(7, 'test/junk'), 6));
  expect(() => new BatchedSearch(game, 0).run(trees, hashedNetwork(game, true), 10, emptyCounters())).toThrow(
    /illegal action \d+ a prior of 0\.75; priors of illegal actions must be 0/,
  );
});

describe('EvaluationCache', () => {
  /** A network row of `size` priors for `seed`, at row 1 of a two-row batch (so offsets count). */
  const row = (size: number, seed: number) => ({
    batch: Float32Array.from({ length: 2 * size }, (_, i) => (i - size + seed) / 100),
    offset: size,
    value: Math.fround(seed / 10), // network values are float32
  });
  const put = (cache: EvaluationCache, key: Int32Array, r: ReturnType<typeof row>) => cache.set(key, 0, r.batch, r.offset, r.value);
  const read = (size: number, e: CachedRow | { batch: Float32Array; offset: number; value: number } | undefined) =>
    e && { priors: Array.from(('batch' in e ? e.batch : e.priors).subarray(e.offset, e.offset + size)), value: e.value };

  /** A one-word key per name. */
  const k = (name: string) => Int32Array.of(name.split('').reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));

  it('returns copies of what was stored and evicts the least recently used', () => {
    const cache = new EvaluationCache(2, 8, 1);
    const a = row(8, 1);
    put(cache, k('a'), a);
    a.batch[8] = 99; // the cache holds its own copy
    put(cache, k('b'), row(8, 2));
    expect(read(8, cache.get(k('a'), 0))).toEqual(read(8, row(8, 1))); // 'a' is now the most recent
    put(cache, k('c'), row(8, 3)); // evicts 'b'
    expect(cache.get(k('b'), 0)).toBeUndefined();
    expect(read(8, cache.get(k('c'), 0))).toEqual(read(8, row(8, 3)));
    expect(read(8, cache.get(k('a'), 0))).toEqual(read(8, row(8, 1)));
    expect(cache.size).toBe(2);
    put(cache, k('a'), row(8, 5)); // replaces 'a' and makes it the most recent
    put(cache, k('d'), row(8, 6)); // evicts 'c'
    expect(cache.get(k('c'), 0)).toBeUndefined();
    expect(read(8, cache.get(k('a'), 0))).toEqual(read(8, row(8, 5)));
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get(k('a'), 0)).toBeUndefined();
  });

  it('evicts exactly as an LRU Map would, over random traffic on multi-word keys', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 })), { maxLength: 400 }), fc.integer({ min: 1, max: 12 }), (ops, capacity) => {
        const cache = new EvaluationCache(capacity, 4, 3);
        const model = new Map<number, number>();
        // Keys that collide in their first two words, so the hash table compares whole keys.
        const key = (id: number) => Int32Array.of(0, -1, id);
        for (const [write, id] of ops) {
          if (write) {
            put(cache, key(id), row(4, id));
            model.delete(id);
            model.set(id, id);
            if (model.size > capacity) model.delete(model.keys().next().value!);
          } else {
            const hit = cache.get(key(id), 0);
            expect(hit !== undefined).toBe(model.has(id));
            if (hit) {
              expect(read(4, hit)).toEqual(read(4, row(4, id)));
              model.delete(id);
              model.set(id, id);
            }
          }
          expect(cache.size).toBe(model.size);
        }
      }),
    );
  });

  it('grows its slots past the initial allocation and stores nothing at capacity 0', () => {
    const cache = new EvaluationCache(5000, 4, 1);
    for (let i = 0; i < 5000; i++) put(cache, Int32Array.of(i), row(4, i));
    expect(read(4, cache.get(Int32Array.of(0), 0))).toEqual(read(4, row(4, 0)));
    expect(read(4, cache.get(Int32Array.of(4999), 0))).toEqual(read(4, row(4, 4999)));
    const off = new EvaluationCache(0, 4, 1);
    put(off, k('a'), row(4, 1));
    expect(off.get(k('a'), 0)).toBeUndefined();
  });
});
