// A worker's collect when it searches its next move before the other workers' counts arrive:
// whatever the lag of those counts, the moves played, the stats and the games left in flight
// are those of waiting at every move, and of one SelfPlay collecting alone.
import { describe, expect, it } from 'vitest';
import { collectInLockstep } from '../../src/az/lockstep-collect.ts';
import { SelfPlay, type BatchEvaluator, type SelfPlayOptions } from '../../src/az/selfplay.ts';
import { getGame } from '../../src/games/index.ts';

const game = getGame('connect4', { width: 5, height: 4 });
const options: SelfPlayOptions = {
  simulations: 8,
  mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0.25 },
  temperaturePlies: 4,
  concurrentGames: 3,
  cacheSize: 64,
};
const slots = [3, 4, 5];

/** Priors uniform over the legal actions, values from the observation: deterministic and cheap. */
const net: BatchEvaluator = {
  predict(observations, masks, batch) {
    const A = game.numActions;
    const policy = new Float32Array(batch * A);
    const value = new Float32Array(batch);
    for (let r = 0; r < batch; r++) {
      let legal = 0;
      for (let a = 0; a < A; a++) legal += masks[r * A + a]!;
      for (let a = 0; a < A; a++) policy[r * A + a] = masks[r * A + a]! / legal;
      let h = 0;
      for (let i = 0; i < game.observationSize; i++) h = (h * 3 + observations[r * game.observationSize + i]!) % 1000;
      value[r] = h / 500 - 1;
    }
    return { policy, value };
  },
};

/**
 * The other worker, scripted: its states never count (so the verdict is this worker's own
 * states, as for a SelfPlay alone), and its count for a move arrives only after `lag` polls.
 */
class LaggingBarrier {
  private readonly own = new Map<number, number>();
  private pollsLeft = 0;
  unansweredPolls = 0;
  constructor(private readonly lag: number) {}
  post(_worker: number, move: number, states: number): void {
    this.own.set(move, states);
    this.pollsLeft = this.lag;
  }
  poll(move: number): number | null {
    if (this.pollsLeft > 0) {
      this.pollsLeft--;
      this.unansweredPolls++;
      return null;
    }
    return this.own.get(move)!;
  }
  await(move: number): number {
    return this.own.get(move)!;
  }
}

describe('collectInLockstep', () => {
  it('plays and counts exactly the moves of waiting at each move, however late the verdicts come', () => {
    const alone = new SelfPlay(game, options, 9, slots);
    const expected = [5, 30, 12].map((minStates) => alone.collect(net, minStates));
    // Lags: none, a few rounds of the next move, and longer than a whole move's search.
    for (const lag of [0, 3, 50]) {
      const selfPlay = new SelfPlay(game, options, 9, slots);
      const barrier = new LaggingBarrier(lag);
      let movesPlayed = 0;
      const got = [5, 30, 12].map((minStates) => {
        const r = collectInLockstep(selfPlay, net, minStates, barrier, 1, movesPlayed);
        movesPlayed = r.movesPlayed;
        return { games: r.moves.flat(), stats: r.stats };
      });
      expect(got, `lag ${lag}`).toEqual(expected);
      expect(selfPlay.inFlight(), `lag ${lag}`).toEqual(alone.inFlight());
      expect(barrier.unansweredPolls > 0).toBe(lag > 0); // the next move really was searched early
    }
  });

  it('accounts the rounds played, the rounds searched for a move then dropped, and the wait', () => {
    for (const lag of [0, 3, 50]) {
      const selfPlay = new SelfPlay(game, options, 9, slots);
      const r = collectInLockstep(selfPlay, net, 30, new LaggingBarrier(lag), 1, 0);
      expect(r.lockstep.playedRounds, `lag ${lag}`).toBe(r.moves.length * options.simulations);
      // The verdict that ends the collect comes `lag` polls late: one round searched per poll, at most a move's worth.
      expect(r.lockstep.droppedRounds, `lag ${lag}`).toBe(Math.min(lag, options.simulations));
      // Only a lag longer than the move's search leaves the worker waiting.
      if (lag <= options.simulations) expect(r.lockstep.waitMs, `lag ${lag}`).toBe(0);
      else expect(r.lockstep.waitMs, `lag ${lag}`).toBeGreaterThanOrEqual(0);
    }
  });

  it('plays no move for minStates 0', () => {
    const r = collectInLockstep(new SelfPlay(game, options, 9, slots), net, 0, new LaggingBarrier(0), 0, 4);
    expect(r).toEqual({ moves: [], stats: expect.objectContaining({ simulations: 0, games: 0 }), movesPlayed: 4, lockstep: { playedRounds: 0, droppedRounds: 0, waitMs: 0 } });
  });
});
