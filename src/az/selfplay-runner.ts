// Where self-play runs: in this thread alone, or in this thread and worker threads (one
// thread per core), each with its own block of `concurrentGames` game slots, its own copy of
// the network and its own cache. Worker threads need a backend that each thread can load for
// itself: wasm or the plain cpu one, not the native TensorFlow packages (runsOnWorkerThreads
// in backend.ts).
// Each thread keeps the full batch: splitting one batch over the threads would halve every
// network call and pay the call's fixed cost twice as often, which at small widths eats
// most of what the second core brings.
// The threads keep the lockstep of one thread playing all their slots (move-barrier.ts):
// every one plays one move of its games, and all stop at the move boundary that thread
// would; this thread merges the finished games by (move, slot). The output therefore
// depends on the seed and the worker count, never on timing or on which thread plays which
// block; where a backend computes each row of a batch alone (wasm), W threads of n games
// reproduce one thread of W·n games byte for byte.

import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../engine/typescript-worker.ts';
import { collectInLockstep, emptyLockstepTime, type LockstepCollect, type LockstepTime } from './lockstep-collect.ts';
import { MoveBarrier, WorkerAbortedError } from './move-barrier.ts';
import type { Connect4Options, GameName } from '../games/index.ts';
import { runsOnWorkerThreads, type BackendName } from './backend.ts';
import type { PolicyValueNetwork } from './network.ts';
import type { SearchImplementation } from './search-forest.ts';
import { addStats, emptyStats, SelfPlay, type GameRecord, type InFlightGame, type SelfPlayOptions, type SelfPlayStats } from './selfplay.ts';
import { makeGame } from './train-config.ts';

export interface SelfPlayRunner {
  /** Plays until at least `minStates` positions of finished games arrived (at a move boundary), with the network's current weights. */
  collect(net: PolicyValueNetwork, minStates: number): Promise<{ games: GameRecord[]; stats: SelfPlayStats }>;
  inFlight(): Promise<InFlightGame[]>;
  restoreInFlight(games: InFlightGame[]): Promise<void>;
  /** The workers' lockstep overheads since the last call (null in this thread, which has none). */
  takeLockstepReport(): LockstepReport | null;
  close(): Promise<void>;
}

/**
 * What the workers' lockstep cost over some collects, summed over the workers: their rounds
 * and waits (lockstep-collect.ts), and their hand-offs, the milliseconds of a collect() call
 * a worker spent outside its own collect (the request's and the reply's trips between
 * threads, and the merge). Timing, for benchmarks and logs: never part of an output.
 */
export interface LockstepReport extends LockstepTime {
  workers: number;
  collects: number;
  /** Wall milliseconds of the collect() calls. */
  collectMs: number;
  handOffMs: number;
}

/**
 * A report's losses as shares of the workers' time (workers x the collect() calls' time):
 * searching moves then dropped (the rounds' share of the time not spent waiting or handing
 * off), waiting at the move barrier, and hand-offs.
 */
export function lockstepShares(r: LockstepReport): { dropped: number; waiting: number; handOff: number } {
  const workerMs = r.workers * r.collectMs;
  if (workerMs <= 0) return { dropped: 0, waiting: 0, handOff: 0 };
  const rounds = r.playedRounds + r.droppedRounds;
  const droppedMs = rounds > 0 ? (r.droppedRounds / rounds) * (workerMs - r.waitMs - r.handOffMs) : 0;
  return { dropped: droppedMs / workerMs, waiting: r.waitMs / workerMs, handOff: r.handOffMs / workerMs };
}

export interface RunnerSetup {
  game: GameName;
  board: Connect4Options;
  options: SelfPlayOptions;
  seed: number;
  workers: number;
  /** Workers must run the backend the coordinator chose (results differ between backends). */
  backend: BackendName;
  width: number;
  /** The search's implementation ('auto' by default): they make the same moves (search-forest.ts). */
  search?: SearchImplementation;
}

export function createSelfPlayRunner(setup: RunnerSetup): SelfPlayRunner {
  if (setup.workers <= 1) return new InThreadRunner(setup);
  if (!runsOnWorkerThreads(setup.backend)) {
    const games = setup.workers * setup.options.concurrentGames;
    throw new RangeError(
      `self-play: selfplay.workers ${setup.workers} runs self-play on worker threads, and the ${setup.backend} backend cannot run on several threads of one process ` +
        `(tfjs-node keeps one TensorFlow backend per process); set selfplay.workers to 1 and selfplay.concurrentGames to ${games} for the same ${games} games at once, ` +
        `or force the wasm backend (az.backend or REPRO_BACKEND=wasm)`,
    );
  }
  return new WorkerRunner(setup);
}

class InThreadRunner implements SelfPlayRunner {
  private readonly selfPlay: SelfPlay<unknown>;

  constructor(setup: RunnerSetup) {
    this.selfPlay = new SelfPlay(makeGame(setup), setup.options, setup.seed, undefined, setup.search);
  }

  async collect(net: PolicyValueNetwork, minStates: number) {
    return this.selfPlay.collect(net, minStates);
  }

  async inFlight() {
    return this.selfPlay.inFlight();
  }

  async restoreInFlight(games: InFlightGame[]) {
    this.selfPlay.restoreInFlight(games);
  }

  takeLockstepReport() {
    return null;
  }

  async close() {}
}

/** Messages to a worker (see selfplay-worker.ts) and its replies. */
export type WorkerRequest =
  | { type: 'collect'; weights: Float32Array[]; minStates: number }
  | { type: 'inFlight' }
  | { type: 'restore'; games: InFlightGame[] }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'ok' }
  /** The games the worker finished, per move of the collect (slot order within a move). */
  | { type: 'collected'; moves: GameRecord[][]; stats: SelfPlayStats; lockstep: WorkerLockstep }
  | { type: 'inFlight'; games: InFlightGame[] }
  /** Released from the lockstep because another worker failed: that worker's error is the one to report. */
  | { type: 'aborted' }
  | { type: 'error'; message: string };

/** A worker's lockstep times in a collect, and the milliseconds of its whole collect. */
type WorkerLockstep = LockstepTime & { collectMs: number };

export interface WorkerSetup extends RunnerSetup {
  slots: number[];
  /** Where the worker replies (the coordinator polls it). */
  replyPort: MessagePort;
  /** This worker's index among the lockstep's participants (0: the coordinating thread's own block), and their shared MoveBarrier buffer. */
  index: number;
  barrier: SharedArrayBuffer;
}

/** Worker w's slots: the contiguous block w·gamesPerWorker .. (w+1)·gamesPerWorker − 1. */
export function workerSlots(gamesPerWorker: number, workers: number): number[][] {
  return Array.from({ length: workers }, (_, w) => Array.from({ length: gamesPerWorker }, (_, i) => w * gamesPerWorker + i));
}

class WorkerChannel {
  private readonly worker: Worker;
  private waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  /** This end of the port the worker replies on: polled while this thread expects a reply soon. */
  private readonly replies: MessagePort;

  constructor(setup: Omit<WorkerSetup, 'replyPort'>, onFailure: () => void) {
    const { port1, port2 } = new MessageChannel();
    this.replies = port1;
    this.worker = startTypeScriptWorker(new URL('./selfplay-worker.ts', import.meta.url), { ...setup, replyPort: port2 }, [port2]);
    // Replies come on the port; a worker that failed to load says so on its own channel.
    this.replies.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (e: unknown) => {
      onFailure();
      this.fail(e instanceof Error ? e : new Error(String(e)));
    });
    this.worker.on('exit', (code) => {
      if (code === 0) return;
      onFailure();
      this.fail(new Error(`self-play worker exited with code ${code}`));
    });
  }

  /** Resolves with the worker's next message (one request at a time per worker). */
  next(): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async call(request: WorkerRequest): Promise<WorkerReply> {
    const reply = this.next();
    this.worker.postMessage(request);
    const r = await reply;
    if (r.type === 'error') throw new Error(`self-play worker: ${r.message}`);
    return r;
  }

  /**
   * Takes the reply awaited if it has arrived, without the event loop: a thread that has just
   * played its own block polls for the workers' replies rather than sleep until they wake it.
   */
  poll(): boolean {
    if (this.waiting === null) return true;
    const received = receiveMessageOnPort(this.replies);
    if (received === undefined) return false;
    this.settle(received.message as WorkerReply);
    return true;
  }

  async terminate(): Promise<void> {
    this.replies.close();
    await this.worker.terminate();
  }

  private settle(reply: WorkerReply): void {
    const w = this.waiting;
    this.waiting = null;
    w?.resolve(reply);
  }

  private fail(e: Error): void {
    this.failure = e;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(e);
  }
}

/** How long this thread, done with its own block, polls for the workers' replies before it sleeps. */
const REPLY_POLL_MS = 2;

/**
 * Self-play on several threads: this thread plays the first block of slots itself (it would
 * only wait otherwise) and worker threads the others, all in the lockstep as participants
 * 0 .. workers−1. Against a coordinator that sleeps while every block plays on a worker, one
 * thread fewer is woken at each end of a collect: on a 2-vCPU VM each wake-up cost ~0.25 ms,
 * and a Connect Four collect of the default profile's step lasts ~7.5 ms.
 */
class WorkerRunner implements SelfPlayRunner {
  private readonly own: SelfPlay<unknown>;
  private readonly barrier: MoveBarrier;
  /** Moves played over the runner's life, as every participant counts them (lockstep-collect.ts). */
  private movesPlayed = 0;
  private readonly channels: WorkerChannel[];
  private readonly blocks: number[][];
  private readonly ready: Promise<unknown>;
  private report: LockstepReport;

  constructor(setup: RunnerSetup) {
    this.report = WorkerRunner.emptyReport(setup.workers);
    this.blocks = workerSlots(setup.options.concurrentGames, setup.workers);
    const buffer = MoveBarrier.buffer(setup.workers);
    // A participant that fails cannot arrive at the barrier again: release the ones waiting there.
    this.barrier = new MoveBarrier(buffer, setup.workers);
    this.own = new SelfPlay(makeGame(setup), setup.options, setup.seed, this.blocks[0], setup.search);
    this.channels = this.blocks.slice(1).map((slots, w) => new WorkerChannel({ ...setup, slots, index: w + 1, barrier: buffer }, () => this.barrier.abort()));
    this.ready = Promise.all(
      this.channels.map(async (c) => {
        const r = await c.next();
        if (r.type === 'error') throw new Error(`self-play worker failed to start: ${r.message}`);
      }),
    );
    // Reported by the first call that awaits it; never an unhandled rejection meanwhile.
    this.ready.catch(() => {});
  }

  async collect(net: PolicyValueNetwork, minStates: number) {
    await this.ready;
    const start = performance.now();
    const weights = net.getFlatWeights();
    const replies = Promise.allSettled(this.channels.map((c) => c.call({ type: 'collect', weights, minStates })));
    // This thread's block, while the workers play theirs (their replies wait in the queue).
    let own: LockstepCollect | null = null;
    let ownError: unknown = null;
    const ownStart = performance.now();
    try {
      own = collectInLockstep(this.own, net, minStates, this.barrier, 0, this.movesPlayed);
      this.movesPlayed = own.movesPlayed;
    } catch (e) {
      ownError = e;
      // The workers may be waiting for this thread's next move, which will never come.
      if (!(e instanceof WorkerAbortedError)) this.barrier.abort();
    }
    const ownMs = performance.now() - ownStart;
    // The workers end at the same move: their replies are a moment away.
    const until = performance.now() + REPLY_POLL_MS;
    while (!this.channels.every((c) => c.poll()) && performance.now() < until);
    const settled = await replies;
    if (ownError !== null && !(ownError instanceof WorkerAbortedError)) throw ownError;
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (ownError !== null) throw ownError;
    const fromWorkers = settled.map((r) => (r.status === 'fulfilled' ? r.value : null));
    const collected = fromWorkers.flatMap((r) => (r?.type === 'collected' ? [r] : []));
    if (collected.length !== fromWorkers.length) throw new Error(`self-play worker: unexpected reply ${fromWorkers.find((r) => r?.type !== 'collected')?.type}`);
    const all = [{ moves: own!.moves, stats: own!.stats, lockstep: { ...own!.lockstep, collectMs: ownMs } }, ...collected];
    const stats = emptyStats();
    const games: GameRecord[] = [];
    for (const r of all) addStats(stats, r.stats);
    // The single-thread order: by move, then by slot within the move.
    for (let move = 0; move < all[0]!.moves.length; move++) {
      games.push(...all.flatMap((r) => r.moves[move]!).sort((a, b) => a.slot - b.slot));
    }
    this.noteLockstep(all.map((r) => r.lockstep), performance.now() - start);
    return { games, stats };
  }

  takeLockstepReport() {
    const report = this.report;
    this.report = WorkerRunner.emptyReport(report.workers);
    return report;
  }

  private noteLockstep(workers: WorkerLockstep[], ms: number): void {
    const r = this.report;
    r.collects++;
    r.collectMs += ms;
    for (const w of workers) {
      r.playedRounds += w.playedRounds;
      r.droppedRounds += w.droppedRounds;
      r.waitMs += w.waitMs;
      r.handOffMs += Math.max(0, ms - w.collectMs);
    }
  }

  private static emptyReport(workers: number): LockstepReport {
    return { ...emptyLockstepTime(), workers, collects: 0, collectMs: 0, handOffMs: 0 };
  }

  async inFlight() {
    await this.ready;
    const replies = await Promise.all(this.channels.map((c) => c.call({ type: 'inFlight' })));
    const theirs = replies.flatMap((r) => (r.type === 'inFlight' ? r.games : []));
    return [...this.own.inFlight(), ...theirs].sort((a, b) => a.slot - b.slot);
  }

  async restoreInFlight(games: InFlightGame[]) {
    await this.ready;
    const bySlot = new Map(games.map((g) => [g.slot, g]));
    const blockOf = (slots: number[]) => {
      const mine = slots.map((slot) => bySlot.get(slot));
      if (mine.some((g) => g === undefined)) throw new Error('self-play: saved games do not cover every slot');
      return mine as InFlightGame[];
    };
    this.own.restoreInFlight(blockOf(this.blocks[0]!));
    await Promise.all(this.channels.map((c, w) => c.call({ type: 'restore', games: blockOf(this.blocks[w + 1]!) })));
  }

  async close() {
    await Promise.all(this.channels.map((c) => c.terminate()));
  }
}
