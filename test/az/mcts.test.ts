import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.ts';
import { Connect4Game, stateFromMoves, type Connect4State } from '../../src/games/index.ts';
import { runSearch, SearchTree, uniformEvaluator, type MctsOptions } from '../../src/az/mcts.ts';
import { positionFromState, Solver } from '../../src/solvers/connect4/index.ts';

const c4 = new Connect4Game();
const plain: MctsOptions = { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0 };

function search(state: Connect4State, simulations: number, options = plain): SearchTree<Connect4State> {
  const tree = new SearchTree(c4, options);
  tree.reset(state);
  runSearch(tree, uniformEvaluator(c4), simulations);
  return tree;
}

describe('MCTS with a uniform prior and value 0', () => {
  it('takes an immediate win', () => {
    // X (to move) has columns 1-3 on the bottom row; column 4 wins.
    for (const moves of ['112233', '556677', '1213142']) {
      const tree = search(stateFromMoves(c4, moves), 200);
      const winning = c4.legalActions(tree.rootState).filter((a) => c4.terminalValue(c4.apply(tree.rootState, a)) !== null);
      expect(winning.length).toBeGreaterThan(0);
      expect(winning).toContain(tree.bestAction());
    }
  });

  it('blocks an immediate loss', () => {
    // O to move; X threatens column 4 (row), column 4 (the row from the right) and column 1 (a vertical three).
    const cases: [string, number][] = [['11223', 3], ['77665', 3], ['12131', 0]];
    for (const [moves, block] of cases) {
      const tree = search(stateFromMoves(c4, moves), 400);
      expect(tree.bestAction()).toBe(block);
    }
  });

  it('counts one root visit per simulation and the root expansion as the first', () => {
    const tree = search(c4.initialState(), 50);
    expect(tree.simulations).toBe(50);
    const counts = tree.rootVisitCounts(new Int32Array(7));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(49);
  });

  it('mixes Dirichlet noise into the root priors only when ε > 0, reproducibly from the rng', () => {
    const noisy: MctsOptions = { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0.25 };
    const counts = (seed: number) => {
      const tree = new SearchTree(c4, noisy);
      tree.reset(c4.initialState(), new Rng(seed));
      runSearch(tree, uniformEvaluator(c4), 60);
      return Array.from(tree.rootVisitCounts(new Int32Array(7)));
    };
    expect(counts(1)).toEqual(counts(1));
    expect(counts(1)).not.toEqual(counts(2));
  });

  it("moves its visits toward the solver's best moves as simulations grow", () => {
    const solver = new Solver({ ttLog2Size: 20 });
    const rng = new Rng(2024);
    const positions: { state: Connect4State; best: Set<number> }[] = [];
    while (positions.length < 8) {
      let s = c4.initialState();
      const plies = 24 + rng.int(8);
      for (let p = 0; p < plies && !c4.isTerminal(s); p++) {
        const legal = c4.legalActions(s);
        s = c4.apply(s, legal[rng.int(legal.length)]!);
      }
      if (c4.isTerminal(s)) continue;
      // Weak scores (win / draw / loss): MCTS optimises the outcome, not its speed.
      const scores = solver.analyze(positionFromState(c4, s), true);
      const legal = scores.filter((x) => x !== null) as number[];
      const top = Math.max(...legal);
      const best = new Set(scores.flatMap((x, c) => (x === top ? [c] : [])));
      if (best.size === legal.length) continue; // every move equally good: nothing to converge to
      if (c4.legalActions(s).some((a) => c4.terminalValue(c4.apply(s, a)) !== null)) continue; // trivial
      positions.push({ state: s, best });
    }
    const fractionOnBest = (simulations: number) =>
      positions.map(({ state, best }) => {
        const counts = search(state, simulations).rootVisitCounts(new Int32Array(7));
        const total = counts.reduce((a, b) => a + b, 0);
        return [...best].reduce((a, c) => a + counts[c]!, 0) / total;
      });
    const few = fractionOnBest(50);
    const many = fractionOnBest(3000);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log('fraction of visits on solver-best moves, 50 vs 3000 simulations:', mean(few).toFixed(3), mean(many).toFixed(3));
    expect(mean(many)).toBeGreaterThan(mean(few));
    expect(mean(many)).toBeGreaterThan(0.6);
    const bestTaken = positions.filter(({ state, best }) => best.has(search(state, 3000).bestAction())).length;
    expect(bestTaken).toBeGreaterThanOrEqual(6);
  });
});
