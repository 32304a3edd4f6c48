// One worker's part of a collect when several workers share the game slots (selfplay-worker.ts):
// SelfPlay.collect, with every worker's states counted towards minStates through the
// MoveBarrier, so that all workers stop at the move one thread playing every slot would.
//
// A worker that has played a move does not wait for the others' counts: it searches its next
// move meanwhile, polling between simulation rounds, and plays that move only if the counts
// say the collect goes on. Otherwise the search is dropped (it changed nothing but the trees
// and the cache, which the next collect starts afresh). Waiting at every move instead cost a
// worker ~10% of its time on Connect Four, whose moves cost unevenly between blocks of games.

import type { MoveBarrier } from './move-barrier.ts';
import { emptyStats, type BatchEvaluator, type GameRecord, type SelfPlay, type SelfPlayStats } from './selfplay.ts';

export interface LockstepCollect {
  /** The games finished at each move, in move order. */
  moves: GameRecord[][];
  stats: SelfPlayStats;
  /** Moves played over the runner's life, this collect's included. */
  movesPlayed: number;
  /** Where the worker's time went; it depends on timing, so it never enters stats or outputs. */
  lockstep: LockstepTime;
}

/** A worker's lockstep overheads in a collect: what two workers lose against one thread. */
export interface LockstepTime {
  /** Simulation rounds of the moves played. */
  playedRounds: number;
  /** Rounds searched ahead for a move the collect then did not play. */
  droppedRounds: number;
  /** Milliseconds waiting for the other workers' counts with the next move's search done. */
  waitMs: number;
}

export function emptyLockstepTime(): LockstepTime {
  return { playedRounds: 0, droppedRounds: 0, waitMs: 0 };
}

export function collectInLockstep<S>(
  selfPlay: SelfPlay<S>,
  net: BatchEvaluator,
  minStates: number,
  barrier: Pick<MoveBarrier, 'post' | 'poll' | 'await'>,
  worker: number,
  movesPlayed: number,
): LockstepCollect {
  const simulations = selfPlay.options.simulations;
  selfPlay.clearCache();
  const stats = emptyStats();
  const lockstep = emptyLockstepTime();
  const moves: GameRecord[][] = [];
  // The last move posted whose verdict (all workers' states after it) is not read yet.
  let unread: number | null = null;
  while (unread !== null || minStates > 0) {
    selfPlay.beginMove();
    let rounds = 0;
    if (unread !== null) {
      const before = { ...stats };
      let total = barrier.poll(unread);
      for (; total === null && rounds < simulations; rounds++) {
        selfPlay.searchRounds(net, 1, stats);
        total = barrier.poll(unread);
      }
      if (total === null) {
        const waitStart = performance.now();
        total = barrier.await(unread);
        lockstep.waitMs += performance.now() - waitStart;
      }
      if (total >= minStates) {
        Object.assign(stats, before); // the move is not played: its search never happened
        lockstep.droppedRounds += rounds;
        break;
      }
      unread = null;
    }
    selfPlay.searchRounds(net, simulations - rounds, stats);
    lockstep.playedRounds += simulations;
    moves.push(selfPlay.finishMove(stats));
    barrier.post(worker, ++movesPlayed, stats.states);
    unread = movesPlayed;
  }
  return { moves, stats, movesPlayed, lockstep };
}
