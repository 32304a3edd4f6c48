import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendName } from '../../src/az/backend.ts';
import { PolicyValueNetwork } from '../../src/az/network.ts';
import { createSelfPlayRunner, lockstepShares, type RunnerSetup } from '../../src/az/selfplay-runner.ts';
import type { InFlightGame } from '../../src/az/selfplay.ts';
import { getGame } from '../../src/games/index.ts';

const board = { width: 5, height: 4 };
const game = getGame('connect4', board);
let backend: BackendName;
beforeAll(async () => {
  backend = (await selectBackend({ log: () => {} })).name;
});

function setup(workers: number, concurrentGames: number): RunnerSetup {
  return {
    game: 'connect4',
    board,
    options: { simulations: 8, mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0.25 }, temperaturePlies: 4, concurrentGames, cacheSize: 0 },
    seed: 7,
    workers,
    backend,
    width: 8,
  };
}

const network = () => PolicyValueNetwork.create({ inputSize: game.observationSize, numActions: game.numActions, width: 8 }, 3);

describe('self-play on several threads', () => {
  it('refuses the native backends, which one process cannot run on several threads, and says what to set instead', () => {
    for (const native of ['node-gpu', 'node'] as const) {
      expect(() => createSelfPlayRunner({ ...setup(4, 64), backend: native })).toThrow(
        `selfplay.workers 4 runs self-play on worker threads, and the ${native} backend cannot run on several threads of one process`,
      );
      expect(() => createSelfPlayRunner({ ...setup(4, 64), backend: native })).toThrow('set selfplay.workers to 1 and selfplay.concurrentGames to 256');
    }
  });

  it('stops every worker at the move where one thread playing all the slots stops', async () => {
    const net = network();
    const two = createSelfPlayRunner(setup(2, 3));
    const three = createSelfPlayRunner(setup(3, 2));
    const one = createSelfPlayRunner(setup(1, 6));
    try {
      for (const minStates of [1, 40, 17]) {
        const a = await two.collect(net, minStates);
        const b = await one.collect(net, minStates);
        // This thread plays one block and two worker threads the others: the same games.
        const c = await three.collect(net, minStates);
        expect(c.games.map((g) => [g.slot, g.index, g.length])).toEqual(b.games.map((g) => [g.slot, g.index, g.length]));
        expect(a.stats.states).toBeGreaterThanOrEqual(minStates);
        expect(a.stats.states).toBe(b.stats.states);
        // A worker that searched a move it then did not play (lockstep-collect.ts) counts none of it.
        const perTree = ({ simulations, terminalLeaves, games }: typeof a.stats) => ({ simulations, terminalLeaves, games });
        expect(perTree(a.stats)).toEqual(perTree(b.stats));
        expect(a.games.map((g) => [g.slot, g.index, g.length])).toEqual(b.games.map((g) => [g.slot, g.index, g.length]));
        // On wasm a row's result does not depend on its batch: the games are the same bytes.
        if (tf.getBackend() === 'wasm') expect(a.games).toEqual(b.games);
      }
      expect(await two.inFlight()).toEqual(await one.inFlight());
      expect(await three.inFlight()).toEqual(await one.inFlight());
    } finally {
      await two.close();
      await three.close();
      await one.close();
      net.dispose();
    }
  });

  it("reports the workers' lockstep overheads since the last report, and none in one thread", async () => {
    const net = network();
    const two = createSelfPlayRunner(setup(2, 3));
    const one = createSelfPlayRunner(setup(1, 6));
    try {
      const simulations = (await two.collect(net, 40)).stats.simulations + (await two.collect(net, 20)).stats.simulations;
      const report = two.takeLockstepReport()!;
      expect(report).toMatchObject({ workers: 2, collects: 2 });
      // Every round of a move played is a simulation of each of the worker's 3 trees; the rounds dropped are none.
      expect(report.playedRounds * 3).toBe(simulations);
      for (const ms of [report.collectMs, report.handOffMs, report.waitMs]) expect(ms).toBeGreaterThanOrEqual(0);
      // Each worker's hand-offs are a part of the collect() calls' time.
      expect(report.handOffMs).toBeLessThanOrEqual(2 * report.collectMs);
      const { stats } = await two.collect(net, 20);
      const next = two.takeLockstepReport()!;
      expect(next).toMatchObject({ workers: 2, collects: 1 });
      expect(next.playedRounds * 3).toBe(stats.simulations);
      await one.collect(net, 10);
      expect(one.takeLockstepReport()).toBeNull();
    } finally {
      await two.close();
      await one.close();
      net.dispose();
    }
  });

  it("gives a report's losses as shares of the workers' time", () => {
    // 2 workers x 100 ms: 10 ms waiting, 20 ms handing off, and of the 170 ms searching a tenth on dropped rounds.
    const report = { workers: 2, collects: 3, collectMs: 100, handOffMs: 20, waitMs: 10, playedRounds: 90, droppedRounds: 10 };
    const shares = lockstepShares(report);
    expect(shares.dropped).toBeCloseTo(0.085, 12);
    expect(shares.waiting).toBeCloseTo(0.05, 12);
    expect(shares.handOff).toBeCloseTo(0.1, 12);
    expect(lockstepShares({ ...report, collects: 0, collectMs: 0, handOffMs: 0, waitMs: 0, playedRounds: 0, droppedRounds: 0 })).toEqual({ dropped: 0, waiting: 0, handOff: 0 });
  });

  // Slot `failing` gets a finished game: searching from it must fail while the other
  // participant has played its move and waits for this one's. Slot 3 is the worker thread's,
  // slot 1 the block this thread plays itself.
  for (const failing of [3, 1]) {
    it(`reports a failure mid-collect in ${failing === 3 ? "a worker thread's" : "this thread's own"} block and releases the participants waiting on it`, async () => {
      const net = network();
      const runner = createSelfPlayRunner(setup(2, 2));
      try {
        const won = [0, 1, 0, 1, 0, 1, 0];
        const games: InFlightGame[] = [0, 1, 2, 3].map((slot) => {
          const moves = slot === failing ? won : [];
          return { slot, index: 0, moves, visitCounts: new Uint16Array(moves.length * game.numActions) };
        });
        await runner.restoreInFlight(games);
        expect((await runner.inFlight()).map((g) => g.moves.length)).toEqual([0, 1, 2, 3].map((slot) => (slot === failing ? won.length : 0)));
        await expect(runner.collect(net, 100)).rejects.toThrow(/cannot search from a terminal state/);
      } finally {
        await runner.close();
        net.dispose();
      }
    });
  }
});
