// Where self-play runs: in this thread, or on worker threads (one per core), each with its
// own block of `concurrentGames` game slots, its own copy of the network and its own cache.
// Each worker keeps the full batch: splitting one batch over the workers would halve every
// network call and pay the call's fixed cost twice as often, which at small widths eats
// most of what the second core brings.
// The coordinator keeps the lockstep of one thread playing all the workers' slots: every
// worker plays one move of its games, finished games are merged in slot order, and the step
// stops at the move boundary that thread would. The output therefore depends on the seed and
// the worker count, never on timing; where a backend computes each row of a batch alone
// (wasm), W workers of n games reproduce one thread of W·n games byte for byte.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Connect4Options, GameName } from '../games/index.ts';
import type { BackendName } from './backend.ts';
import type { PolicyValueNetwork } from './network.ts';
import { addStats, emptyStats, SelfPlay, type GameRecord, type InFlightGame, type SelfPlayOptions, type SelfPlayStats } from './selfplay.ts';
import { makeGame } from './train-config.ts';

export interface SelfPlayRunner {
  /** Plays until at least `minStates` positions of finished games arrived (at a move boundary), with the network's current weights. */
  collect(net: PolicyValueNetwork, minStates: number): Promise<{ games: GameRecord[]; stats: SelfPlayStats }>;
  inFlight(): Promise<InFlightGame[]>;
  restoreInFlight(games: InFlightGame[]): Promise<void>;
  close(): Promise<void>;
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
}

export function createSelfPlayRunner(setup: RunnerSetup): SelfPlayRunner {
  return setup.workers <= 1 ? new InThreadRunner(setup) : new WorkerRunner(setup);
}

class InThreadRunner implements SelfPlayRunner {
  private readonly selfPlay: SelfPlay<unknown>;

  constructor(setup: RunnerSetup) {
    this.selfPlay = new SelfPlay(makeGame(setup), setup.options, setup.seed);
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

  async close() {}
}

/** Messages to a worker (see selfplay-worker.ts) and its replies. */
export type WorkerRequest =
  | { type: 'weights'; weights: Float32Array[] }
  | { type: 'move' }
  | { type: 'inFlight' }
  | { type: 'restore'; games: InFlightGame[] }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'ok' }
  | { type: 'moved'; finished: GameRecord[]; stats: SelfPlayStats }
  | { type: 'inFlight'; games: InFlightGame[] }
  | { type: 'error'; message: string };

export interface WorkerSetup extends RunnerSetup {
  slots: number[];
}

/** Worker w's slots: the contiguous block w·gamesPerWorker .. (w+1)·gamesPerWorker − 1. */
export function workerSlots(gamesPerWorker: number, workers: number): number[][] {
  return Array.from({ length: workers }, (_, w) => Array.from({ length: gamesPerWorker }, (_, i) => w * gamesPerWorker + i));
}

class WorkerChannel {
  private readonly worker: Worker;
  private waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(setup: WorkerSetup) {
    // The worker is TypeScript. Whatever loader runs us (tsx, vitest) is not inherited by a
    // worker, so a small bootstrap registers tsx in the worker before importing it; tsx is
    // resolved from here so nothing depends on the working directory.
    // (The ESM entry of tsx/esm/api, which require.resolve would not pick.)
    const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
    const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
    const entry = new URL('./selfplay-worker.ts', import.meta.url).href;
    const bootstrap = `(async () => { (await import(${JSON.stringify(tsxApi)})).register(); await import(${JSON.stringify(entry)}); })()
      .catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'error', message: String(e && e.stack || e) }); });`;
    this.worker = new Worker(bootstrap, { eval: true, workerData: setup });
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (e: unknown) => this.fail(e instanceof Error ? e : new Error(String(e))));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`self-play worker exited with code ${code}`));
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

  async terminate(): Promise<void> {
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

class WorkerRunner implements SelfPlayRunner {
  private readonly channels: WorkerChannel[];
  private readonly blocks: number[][];
  private readonly ready: Promise<unknown>;

  constructor(setup: RunnerSetup) {
    this.blocks = workerSlots(setup.options.concurrentGames, setup.workers);
    this.channels = this.blocks.map((slots) => new WorkerChannel({ ...setup, slots }));
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
    const weights = net.getFlatWeights();
    await Promise.all(this.channels.map((c) => c.call({ type: 'weights', weights })));
    const stats = emptyStats();
    const games: GameRecord[] = [];
    while (stats.states < minStates) {
      const replies = await Promise.all(this.channels.map((c) => c.call({ type: 'move' })));
      const finished: GameRecord[] = [];
      for (const r of replies) {
        if (r.type !== 'moved') throw new Error(`self-play worker: unexpected reply ${r.type}`);
        finished.push(...r.finished);
        addStats(stats, r.stats);
      }
      // The single-thread order: by slot within a move boundary.
      games.push(...finished.sort((a, b) => a.slot - b.slot));
    }
    return { games, stats };
  }

  async inFlight() {
    await this.ready;
    const replies = await Promise.all(this.channels.map((c) => c.call({ type: 'inFlight' })));
    return replies.flatMap((r) => (r.type === 'inFlight' ? r.games : [])).sort((a, b) => a.slot - b.slot);
  }

  async restoreInFlight(games: InFlightGame[]) {
    await this.ready;
    const bySlot = new Map(games.map((g) => [g.slot, g]));
    await Promise.all(
      this.channels.map((c, w) => {
        const mine = this.blocks[w]!.map((slot) => bySlot.get(slot));
        if (mine.some((g) => g === undefined)) throw new Error('self-play: saved games do not cover every slot');
        return c.call({ type: 'restore', games: mine as InFlightGame[] });
      }),
    );
  }

  async close() {
    await Promise.all(this.channels.map((c) => c.terminate()));
  }
}
