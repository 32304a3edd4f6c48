import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/az/backend.ts';
import { PolicyValueNetwork } from '../../src/az/network.ts';
import { Rng } from '../../src/engine/rng.ts';
import { Connect4Game, type Connect4State } from '../../src/games/connect4.ts';
import { getGame, stateFromMoves } from '../../src/games/index.ts';
import { loadBenchmarkSet } from '../../src/solvers/connect4/benchmark-sets.ts';
import { matchScore, playMatch } from '../../src/rating/match-engine.ts';
import { AlphaZeroPlayer } from '../../src/rating/players/alphazero.ts';
import { Connect4SolverPlayer } from '../../src/rating/players/connect4-solver.ts';
import { PentagoBenchmarkPlayer } from '../../src/rating/players/pentago-benchmark.ts';
import type { MatchPlayer } from '../../src/rating/players/player.ts';
import { RandomPlayer } from '../../src/rating/players/random.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

/** A random player that also notes the plies of the positions it was asked about. */
class WatchingRandom extends RandomPlayer<Connect4State> {
  readonly pliesSeen: number[] = [];
  override chooseActions(states: readonly Connect4State[], rngs: readonly Rng[]): number[] {
    for (const s of states) this.pliesSeen.push(s.ply);
    return super.chooseActions(states, rngs);
  }
}

describe('match engine', () => {
  const game = new Connect4Game();

  it('two random players: seeded-deterministic, independent of the batch size, first move alternating', async () => {
    const play = (seed: number, concurrentGames: number) =>
      playMatch(game, new RandomPlayer(game, 'a'), new RandomPlayer(game, 'b'), { games: 40, seed, concurrentGames });
    const first = await play(7, 8);
    expect(await play(7, 8)).toEqual(first);
    expect(await play(7, 40)).toEqual(first);
    expect(await play(7, 1)).toEqual(first);
    expect(await play(8, 8)).not.toEqual(first);
    const [aFirst, bFirst] = first.records;
    expect(aFirst).toMatchObject({ first: 'a', second: 'b' });
    expect(bFirst).toMatchObject({ first: 'b', second: 'a' });
    expect(aFirst.wins + aFirst.draws + aFirst.losses).toBe(20);
    expect(bFirst.wins + bFirst.draws + bFirst.losses).toBe(20);

    const a = new WatchingRandom(game, 'a');
    const b = new WatchingRandom(game, 'b');
    await playMatch(game, a, b, { games: 10, seed: 1, concurrentGames: 4 });
    // Each moved first (saw the empty board) in exactly half the games, and the one moving
    // first always sees even plies.
    expect(a.pliesSeen.filter((p) => p === 0)).toHaveLength(5);
    expect(b.pliesSeen.filter((p) => p === 0)).toHaveLength(5);
  });

  it('rejects players with the same name and illegal moves', async () => {
    await expect(playMatch(game, new RandomPlayer(game), new RandomPlayer(game), { games: 2, seed: 1, concurrentGames: 2 })).rejects.toThrow(/both players/);
    const cheat: MatchPlayer<Connect4State> = { name: 'cheat', chooseActions: (states) => states.map(() => 99) };
    await expect(playMatch(game, cheat, new RandomPlayer(game), { games: 2, seed: 1, concurrentGames: 2 })).rejects.toThrow(/illegal action 99/);
  });

  it('the perfect solver beats the random player nearly always from mid-game positions', async () => {
    const openings = loadBenchmarkSet(ROOT, 'Test_L2_R1')
      .slice(0, 10)
      .map((p) => stateFromMoves(game, p.moves.split('').map((d) => Number(d) - 1)));
    const solver = new Connect4SolverPlayer(game, { temperature: 0, ttLog2Size: 20 });
    const outcome = await playMatch(game, solver, new RandomPlayer(game), { games: 20, seed: 3, concurrentGames: 20, openings });
    expect(matchScore(outcome)).toBeGreaterThanOrEqual(0.9);
    // A softened solver at a huge temperature is close to random and loses to the perfect one.
    const soft = new Connect4SolverPlayer(game, { temperature: 1000, solver: undefined, ttLog2Size: 20 });
    expect(soft.name).toBe('solver-T1000');
    const vsSoft = await playMatch(game, solver, soft, { games: 20, seed: 4, concurrentGames: 10, openings });
    expect(matchScore(vsSoft)).toBeGreaterThanOrEqual(0.8);
  });
});

describe('AlphaZero and benchmark players', () => {
  beforeAll(async () => {
    await selectBackend({ log: () => {} });
  });

  it('an agent with a fresh network plays legal, seeded moves in batches, one network call per simulation round', async () => {
    const game = new Connect4Game();
    const make = () =>
      new AlphaZeroPlayer(game, PolicyValueNetwork.create({ inputSize: game.observationSize, numActions: game.numActions, width: 8 }, 5), 'connect4-w8-c0@0', {
        simulations: 16,
        c: 2,
        temperature: 0.25,
        cacheSize: 0,
      });
    const agent = make();
    const outcome = await playMatch(game, agent, new RandomPlayer(game), { games: 8, seed: 11, concurrentGames: 8 });
    const again = make();
    expect(await playMatch(game, again, new RandomPlayer(game), { games: 8, seed: 11, concurrentGames: 8 })).toEqual(outcome);
    agent.dispose();
    // One call searches all its positions together: at most one network call per simulation round.
    const batched = make();
    const states = ['', '4', '44', '443', '4432', '44321'].map((m) => stateFromMoves(game, m));
    const actions = batched.chooseActions(states, states.map((_, i) => new Rng(1, `t${i}`)));
    states.forEach((s, i) => expect(game.isLegal(s, actions[i]!)).toBe(true));
    expect(batched.stats.networkCalls).toBeLessThanOrEqual(16);
    expect(batched.stats.evaluations).toBeGreaterThan(3 * batched.stats.networkCalls);
    batched.dispose();
    again.dispose();
  });

  it('the Pentago benchmark hands late positions to the endgame solver', async () => {
    const game = getGame('pentago');
    const net = PolicyValueNetwork.create({ inputSize: game.observationSize, numActions: game.numActions, width: 4 }, 1);
    const agent = new AlphaZeroPlayer(game, net, 'pentago-w4-c0@0', { simulations: 4, c: 2, temperature: 0.25, cacheSize: 0 });
    const benchmark = new PentagoBenchmarkPlayer(game, agent, { solverEmpties: 5 });
    const outcome = await playMatch(game, benchmark, new RandomPlayer(game), { games: 4, seed: 2, concurrentGames: 4 });
    const games = outcome.records.reduce((n, r) => n + r.wins + r.draws + r.losses, 0);
    expect(games).toBe(4);
    expect(benchmark.stats.solverMoves).toBeGreaterThan(0);
    benchmark.dispose();
  });
});
