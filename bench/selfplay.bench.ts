// Self-play and training throughput of the AlphaZero code, per game and width, with the
// baselines measured side by side in the same run:
//   raw       batched forward passes of the network alone on self-play's own calls (their
//             rows and their batches: the games minus terminal leaves and repeated positions),
//             recorded in its warm-up and replayed in windows interleaved with self-play's so
//             both see the same machine; the games per worker are the profile's
//             selfplay.concurrentGames, the batch the study runs. Not one batch passed again
//             and again: that read up to 10% faster than self-play's calls (RecordedCalls)
//   self-play network evaluations/s and MCTS simulations/s, and evaluations as a fraction
//             of the raw rate (target >= 60%; raw is the median of its windows' rates, and
//             '!' marks a raw and self-play's own calls of the network that disagree by
//             more than 10%: one of them read slow);
//             cache off so every leaf is a network row. 'µs/row' splits one thread's self-play
//             time per row between the network's calls ('net', beside 'raw', the same network
//             alone) and the rest (the search, playing the moves, the games' records). The
//             study's search runs in WebAssembly (search-forest.ts); 'sp/raw, js' is the same
//             with the JavaScript search, which makes the same moves, measured in the same way
//             in the same run
//   workers   the same with 2 threads (this one and a worker thread, as a stage with
//             selfplay.workers 2 plays), each with its own batch of games, and the
//             speed-up over one (target >= 1.7x), beside the speed-up two plain busy
//             threads get on this machine right now. Twice: at the profile's training step
//             (bufferSize/reuse states per collect) and at the paper's (65536/10). Workers
//             wait for each other at the end of every collect (the next one needs the
//             weights trained on this one), so their speed-up grows with the step: the
//             default profile's 512 states are ~4 moves of 2 x 64 games, the paper's 6553
//             ~51 (the paper's own steps are longer still: ~26 moves of its 256 games at
//             300 simulations a move, 3x the simulation rounds of 51 moves at 50). A ratio
//             above 2x, which two threads cannot give, is marked '!': its one-thread rate
//             read low, most often under the machine's other load. '2w lost' splits what
//             the lockstep cost the workers at the profile's step, as shares of their time:
//             searching a next move that the collect's end then dropped (a worker ahead of
//             the other searches on rather than wait), waiting at the move barrier with that
//             search done, and hand-offs (the collect's request and reply between threads).
//             The first two grow with the difference between the workers' speeds. '2w
//             thread speed' is what the speed-up leaves once those are taken out: a worker's
//             moves against one thread's (below 1, each of the two threads ran slower than
//             one alone, which the lockstep's losses do not explain)
//   2 stages  two stages' self-play at once, one thread each, their rates added up over one
//             thread's: how the default and ci profiles use a second core (selfplay.workers
//             1, and `repro run` runs as many stages at once as there are cores). Nothing
//             ties those stages together, so no lockstep loses them time: half of it is how
//             fast each of two threads runs against one alone, to read beside '2w thread speed'
//   cache on  one thread's simulations/s with the profile's evaluation cache (selfplay.cacheSize,
//             cleared at every collect as training clears it), over the same without: what
//             the cache's lookups and copies cost against the network rows it saves. In
//             brackets, the share of network rows it saves. The bench's networks are
//             untrained; trained agents repeat positions far more often (the default
//             profile's training saves 36-54% of Connect Four's rows, 54-68% of Pentago's:
//             the compute records' cache hits), so this is the cache's worst case
//   training  GFLOP/s of minibatch training (3·F per row, the profile's train.batchSize
//             rows) beside a plain matMul's GFLOP/s, and beside the same training through
//             tfjs's engine (gradientsThroughEngine and Adam.applyThroughEngine: the wasm
//             backend's kernels called directly are the default there, with the same bytes).
//             The weights restart every TRAIN_RESTART_STEPS steps, outside the timing.
// Usage: npm run bench:selfplay [-- --profile default --games N --simulations 50 --seconds 2 --warmup 1 --reps 2 --step-states N --paper-step-states N --train-batch N
//                                   --game connect4|pentago --widths 16,64 --quick]
// (--games overrides the profile's concurrentGames: the network's cost per row falls as its
// batch grows while the search's does not, so sp/raw is lower at bigger batches)
// REPRO_BACKEND forces a backend. Numbers on a shared machine move between runs; the ratios
// (measured back to back) are the meaningful part.

import * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runsOnWorkerThreads, selectBackend, type BackendName } from '../src/az/backend.ts';
import { getKey, loadParams } from '../src/engine/params.ts';
import { Adam } from '../src/az/adam.ts';
import { PAPER_PROTOCOL } from '../src/az/paper-protocol.ts';
import { statesPerStep } from '../src/az/train-config.ts';
import { PolicyValueNetwork, type TrainingBatch } from '../src/az/network.ts';
import type { SearchImplementation } from '../src/az/search-forest.ts';
import { createSelfPlayRunner, lockstepShares, type LockstepReport, type RunnerSetup, type SelfPlayRunner } from '../src/az/selfplay-runner.ts';
import { startTypeScriptWorker } from '../src/engine/typescript-worker.ts';
import type { StageThreadResult, StageThreadSetup } from './selfplay-stage-thread.ts';
import { Rng } from '../src/engine/rng.ts';
import { getGame, type AnyGame, type GameName } from '../src/games/index.ts';
import { randomPosition } from '../src/games/playout.ts';

function stringArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
function arg(name: string, fallback: number): number {
  return Number(stringArg(name, String(fallback)));
}
/** arg() for a count, which must be a positive integer. */
function countArg(name: string, fallback: number): number {
  const n = arg(name, fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench:selfplay: --${name} takes a positive integer, got '${stringArg(name, '')}'`);
  return n;
}
const quick = process.argv.includes('--quick');
const PROFILE = stringArg('profile', 'default');
const PARAMS = loadParams(new URL('..', import.meta.url).pathname, PROFILE);
const GAMES = arg('games', getKey(PARAMS, 'selfplay.concurrentGames') as number);
const CACHE_SIZE = getKey(PARAMS, 'selfplay.cacheSize') as number;
const SIMULATIONS = arg('simulations', 50);
const SECONDS = arg('seconds', quick ? 0.5 : 2);
/**
 * Self-play before each measurement, so that it times the steady state a training run lives
 * in: fresh worker threads start in V8's lower tiers, and their first second ran 15-25%
 * below their later ones (Connect Four, width 16), which read as a smaller speed-up.
 */
const WARMUP_SECONDS = arg('warmup', quick ? 0.25 : 1);
const WIDTHS = stringArg('widths', quick ? '16' : '16,64,256').split(',').map(Number);
const GAMES_BENCHED = stringArg('game', 'connect4,pentago').split(',') as GameName[];
for (const w of WIDTHS) if (!Number.isInteger(w) || w < 1) throw new Error(`bench:selfplay: --widths takes positive integers separated by commas, got '${stringArg('widths', '')}'`);
for (const g of GAMES_BENCHED) if (g !== 'connect4' && g !== 'pentago') throw new Error(`bench:selfplay: --game takes connect4 and/or pentago, got '${g}'`);
/** Rows per training minibatch: the profile's train.batchSize, the minibatch the study trains on. */
const TRAIN_BATCH = countArg('train-batch', getKey(PARAMS, 'train.batchSize') as number);
const REPS = countArg('reps', quick ? 1 : 2);
/** States collected per call, as one training step of the profile does (its bufferSize/reuse). */
const STEP_STATES = countArg('step-states', statesPerStep({ bufferSize: getKey(PARAMS, 'train.bufferSize') as number, reuse: getKey(PARAMS, 'train.reuse') as number }));
/** The same for one of the paper's training steps. */
const PAPER_STEP_STATES = countArg('paper-step-states', statesPerStep(PAPER_PROTOCOL));

/** Self-play calls recorded for the raw windows: more than one window replays (a collect's ~200 at the default profile's step). */
const RECORDED_CALLS = 1024;

/** Calls fn until `seconds` passed (after one warm-up call); returns calls per second. */
function rate(fn: () => void, seconds = SECONDS): number {
  fn();
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < seconds * 1000) {
    fn();
    calls++;
  }
  return calls / ((performance.now() - start) / 1000);
}

/**
 * Self-play's network calls, recorded in its warm-up, for the raw windows to replay: the
 * network alone on the inputs self-play gives it. Passing one batch again and again instead
 * read 7-10% faster than self-play's own calls at Connect Four w16 (0.238-0.250 against
 * 0.264-0.273 µs a row; Pentago w16 3-4%): the softmax's and tanh's data-dependent branches
 * learn the one batch's pattern, which no self-play call repeats (timed per kernel, the
 * same call on the same inputs, once more, spent 0.027 µs a row in softmax against 0.037
 * and 0.008 in tanh against 0.014). Replayed, the same network read 0.265-0.271.
 */
class RecordedCalls {
  private readonly calls: { observations: Float32Array; masks: Uint8Array; rows: number }[] = [];
  private next = 0;
  private readonly observations: Float32Array;
  private readonly masks: Uint8Array;
  private readonly out: { policy: Float32Array; value: Float32Array };

  constructor(
    private readonly game: AnyGame,
    /** More calls than a raw window makes, so that a window passes no input twice. */
    private readonly capacity = RECORDED_CALLS,
  ) {
    this.observations = new Float32Array(GAMES * game.observationSize);
    this.masks = new Uint8Array(GAMES * game.numActions);
    this.out = { policy: new Float32Array(GAMES * game.numActions), value: new Float32Array(GAMES) };
  }

  /** `net` for a one-thread runner's collects, its forward passes' inputs recorded (the last `capacity` calls). */
  recording(net: PolicyValueNetwork): PolicyValueNetwork {
    const record = (observations: Float32Array, masks: Uint8Array, rows: number) => {
      const call = { observations: observations.slice(0, rows * this.game.observationSize), masks: masks.slice(0, rows * this.game.numActions), rows };
      if (this.calls.length < this.capacity) this.calls.push(call);
      else this.calls[this.next] = call;
      this.next = (this.next + 1) % this.capacity;
    };
    return passesThrough(net, {
      predict(observations, masks, rows) {
        record(observations, masks, rows);
        return net.predict(observations, masks, rows);
      },
      predictInto(observations, masks, rows, out) {
        record(observations, masks, rows);
        net.predictInto(observations, masks, rows, out);
      },
    });
  }

  /**
   * The network's rate (rows a second) over about `ms` of replayed calls, oldest first: each
   * call's inputs copied into the same arrays outside the clock, then its pass timed alone,
   * as self-play's calls are timed, into outputs kept between calls as the study's search
   * takes them (the network's cheapest way to hand out its numbers). At least one call.
   */
  window(net: PolicyValueNetwork, ms: number): number {
    if (this.calls.length === 0) throw new Error('bench:selfplay: no self-play calls recorded for the raw windows');
    const start = performance.now();
    let rows = 0;
    let passMs = 0;
    do {
      const call = this.calls[this.next % this.calls.length]!;
      this.next = (this.next + 1) % this.calls.length;
      this.observations.set(call.observations);
      this.masks.set(call.masks);
      const passStart = performance.now();
      net.predictInto(this.observations, this.masks, call.rows, this.out);
      passMs += performance.now() - passStart;
      rows += call.rows;
    } while (performance.now() - start < ms);
    return (1000 * rows) / passMs;
  }
}

/**
 * `net` with its forward passes replaced, for a one-thread runner (which calls nothing else):
 * a new object whose prototype is the network, which stays as it is. Own properties put on
 * the network and deleted again, other than last one first, leave V8 a dictionary-mode
 * object whose every property read is a lookup: a version that did so read self-play's
 * network calls at 3.11 µs a row against raw's 1.27 (Connect Four w64).
 */
function passesThrough(net: PolicyValueNetwork, passes: Pick<PolicyValueNetwork, 'predict' | 'predictInto'>): PolicyValueNetwork {
  return Object.assign(Object.create(net) as PolicyValueNetwork, passes);
}

/** Observations and masks of `n` positions from seeded random play. */
function samplePositions(game: AnyGame, n: number, seed: number): { observations: Float32Array; masks: Uint8Array } {
  const rng = new Rng(seed, 'bench/positions');
  const observations = new Float32Array(n * game.observationSize);
  const masks = new Uint8Array(n * game.numActions);
  for (let i = 0; i < n; i++) {
    const s = randomPosition(game, rng, rng.int(game.maxPlies / 2));
    game.writeObservation(s, observations, i * game.observationSize);
    game.legalMask(s, masks, i * game.numActions);
  }
  return { observations, masks };
}

interface Throughput {
  /** Self-play network evaluations and MCTS simulations per second. */
  evaluations: number;
  simulations: number;
  /** Rows per network call, on average (the games minus terminal leaves and repeats). */
  meanBatch: number;
  /** The network alone on self-play's recorded calls, in windows interleaved with self-play's: the median window's rate (null: not measured). */
  raw: number | null;
  /** MCTS simulations per second in collects of the paper's step, PAPER_STEP_STATES states each (null: not measured). */
  paperStepSimulations: number | null;
  /** The workers' lockstep overheads in the measured collects of the profile's step (null in one thread). */
  lockstep: LockstepReport | null;
  /** One thread's self-play time per network row (µs): in the network's calls, and the rest (search, moves, records); null with workers. */
  perRow: { network: number; rest: number } | null;
}

interface RateOptions {
  /** The search's implementation (default 'auto', the study's). */
  search?: SearchImplementation;
  /** Also time collects of the paper's step (default true). */
  paperSteps?: boolean;
  /** The evaluation cache's positions (default 0: off, so that every leaf is a network row). */
  cacheSize?: number;
}

/** The bench's self-play: the same in every measurement but for the threads and the seed. */
function runnerSetup(
  gameName: GameName,
  width: number,
  workers: number,
  backend: BackendName,
  { search = 'auto', seed = 1, cacheSize = 0 }: Omit<RateOptions, 'paperSteps'> & { seed?: number } = {},
): RunnerSetup {
  return {
    game: gameName,
    board: {},
    options: {
      simulations: SIMULATIONS,
      mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0.25 },
      temperaturePlies: gameName === 'connect4' ? 15 : 5,
      concurrentGames: GAMES,
      cacheSize,
    },
    seed,
    workers,
    backend,
    width,
    search,
  };
}

/**
 * Self-play's rates. With `withRaw`, the warm-up records self-play's network calls and each
 * collect is followed by as long a window of raw forward passes over them (RecordedCalls):
 * the two rates then share the machine's state of the moment, and their
 * ratio does not pick up the drift of a shared machine between measurements seconds apart
 * (±20% over tens of seconds here). The raw rate is the median window's: a neighbour's
 * burst that lands on a few raw windows only (sp/raw once read 129% from the windows' sum)
 * moves the sum, not the median, and a median of undisturbed windows can only lower sp/raw.
 */
async function selfPlayRate(
  gameName: GameName,
  net: PolicyValueNetwork,
  width: number,
  workers: number,
  backend: BackendName,
  withRaw: boolean,
  { search = 'auto', paperSteps = true, cacheSize = 0 }: RateOptions = {},
): Promise<Throughput> {
  const runner = createSelfPlayRunner(runnerSetup(gameName, width, workers, backend, { search, cacheSize }));
  const raw = withRaw ? new RecordedCalls(getGame(gameName)) : null;
  try {
    const warmupNet = raw?.recording(net) ?? net;
    const warmup = performance.now();
    while (performance.now() - warmup < WARMUP_SECONDS * 1000) await runner.collect(warmupNet, STEP_STATES);
    const profileSteps = await collectRates(runner, net, STEP_STATES, raw);
    if (!paperSteps) return { ...profileSteps, paperStepSimulations: null };
    // After the profile's steps, on the same warm runner: at least one collect, however long.
    const paper = await collectRates(runner, net, PAPER_STEP_STATES, null);
    return { ...profileSteps, paperStepSimulations: paper.simulations };
  } finally {
    await runner.close();
  }
}

/** Collects of `states` states each for SECONDS (at least one), with raw windows between them when `raw` is given. */
async function collectRates(
  runner: SelfPlayRunner,
  net: PolicyValueNetwork,
  states: number,
  raw: RecordedCalls | null,
): Promise<Omit<Throughput, 'paperStepSimulations'>> {
  runner.takeLockstepReport(); // from here on only
  // In one thread the network runs in this one: its calls are timed (two clock reads a call,
  // ~0.3% of a width-16 call), to split self-play's time between the network and the rest.
  let networkMs = 0;
  const selfPlayNet =
    raw === null
      ? net
      : passesThrough(net, {
          predict: (observations, masks, rows) => net.predict(observations, masks, rows),
          predictInto(observations, masks, rows, out) {
            const start = performance.now();
            net.predictInto(observations, masks, rows, out);
            networkMs += performance.now() - start;
          },
        });
  let evaluations = 0;
  let simulations = 0;
  let networkCalls = 0;
  let selfPlayMs = 0;
  const rawRates: number[] = [];
  while (selfPlayMs < SECONDS * 1000) {
    // A training step's worth per call, as train.ts collects: the weights go to the workers
    // once per call, not once per move.
    const start = performance.now();
    const { stats } = await runner.collect(selfPlayNet, states);
    const elapsed = performance.now() - start;
    selfPlayMs += elapsed;
    evaluations += stats.evaluations;
    simulations += stats.simulations;
    networkCalls += stats.networkCalls;
    if (raw !== null) rawRates.push(raw.window(net, elapsed));
  }
  const perRowUs = (ms: number) => (1000 * ms) / evaluations;
  return {
    evaluations: (1000 * evaluations) / selfPlayMs,
    simulations: (1000 * simulations) / selfPlayMs,
    meanBatch: Math.max(1, Math.round(evaluations / networkCalls)),
    raw: raw === null ? null : median(rawRates),
    lockstep: runner.takeLockstepReport(),
    perRow: raw === null ? null : { network: perRowUs(networkMs), rest: perRowUs(selfPlayMs - networkMs) },
  };
}

/**
 * MCTS simulations per second of two stages' self-play at once, each with one thread, as the
 * default profile trains (selfplay-stage-thread.ts): their rates added up. The stages' seeds
 * differ, as two train stages' do; their network is the same.
 */
async function twoStagesRate(gameName: GameName, net: PolicyValueNetwork, width: number, backend: BackendName): Promise<number> {
  const threads = 2;
  const start = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const weights = net.getFlatWeights();
  const rates = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const setup: StageThreadSetup = {
        runner: runnerSetup(gameName, width, 1, backend, { seed: 1 + i }),
        weights,
        statesPerCollect: STEP_STATES,
        warmupSeconds: WARMUP_SECONDS,
        seconds: SECONDS,
        start,
        threads,
      };
      return new Promise<number>((resolve, reject) => {
        const worker = startTypeScriptWorker(new URL('./selfplay-stage-thread.ts', import.meta.url), setup);
        worker.once('error', reject);
        worker.once('message', (m: StageThreadResult | { type: 'error'; message: string }) => {
          void worker.terminate();
          if (m.type === 'rate') resolve((1000 * m.simulations) / m.ms);
          else reject(new Error(`bench:selfplay: a stage thread failed: ${m.message}`));
        });
      });
    }),
  );
  return rates.reduce((a, b) => a + b, 0);
}

/**
 * The 2-worker columns beyond the speed-up: its losses, and the speed of a worker's moves
 * against one thread's, what the speed-up leaves once the losses are taken out.
 */
function lockstepColumns(r: LockstepReport, speedUpOverOne: number): string[] {
  const { dropped, waiting, handOff } = lockstepShares(r);
  const percent = (x: number) => `${(100 * x).toFixed(0)}%`;
  const threadSpeed = speedUpOverOne / (r.workers * (1 - dropped - waiting - handOff));
  return [[dropped, waiting, handOff].map(percent).join('/'), threadSpeed.toFixed(2)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** TRAIN_BATCH seeded positions with a one-hot policy target on a legal action and a random value. */
function trainingBatch(game: AnyGame): TrainingBatch {
  const { observations, masks } = samplePositions(game, TRAIN_BATCH, 2);
  const rng = new Rng(3, 'bench/targets');
  const policyTargets = new Float32Array(TRAIN_BATCH * game.numActions);
  const valueTargets = new Float32Array(TRAIN_BATCH);
  for (let i = 0; i < TRAIN_BATCH; i++) {
    const legal: number[] = [];
    for (let a = 0; a < game.numActions; a++) if (masks[i * game.numActions + a]) legal.push(a);
    policyTargets[i * game.numActions + legal[rng.int(legal.length)]!] = 1;
    valueTargets[i] = rng.int(3) - 1;
  }
  return { size: TRAIN_BATCH, observations, legalMasks: masks, policyTargets, valueTargets };
}

/**
 * Steps from the weights' start between restarts. Trained on its one batch for longer, the
 * network overfits it: values in its gradient pass shrink into subnormal floats, which the
 * CPU multiplies several times slower (a Pentago w16 step's matMuls went from ~0.5 to 1.9
 * ms after 3,000 steps), a regime training on fresh self-play positions does not reach.
 */
const TRAIN_RESTART_STEPS = 64;

/** Training GFLOP/s on `batch`, as train.ts steps (default) or through tfjs's engine. */
function trainingGflops(net: PolicyValueNetwork, batch: TrainingBatch, path: 'default' | 'engine'): number {
  // The steps train `net` on these random targets: its weights are put back afterwards, or the
  // next repetition's self-play would search with another network (games of another length,
  // another batch), and the next training measurement would start from other weights.
  const weights = net.getFlatWeights();
  let adam = new Adam(net.trainableVariables(), { learningRate: 1e-3 });
  const step = (): void =>
    path === 'default' ? adam.apply(net.gradients(batch, 1e-4)) : adam.applyThroughEngine(net.gradientsThroughEngine(batch, 1e-4));
  // Timed: the steps alone, not the restarts.
  let steps = 0;
  let spent = 0;
  step();
  while (spent < SECONDS * 1000) {
    if (steps % TRAIN_RESTART_STEPS === 0) {
      net.setFlatWeights(weights);
      adam.dispose();
      adam = new Adam(net.trainableVariables(), { learningRate: 1e-3 });
    }
    const start = performance.now();
    step();
    spent += performance.now() - start;
    steps++;
  }
  adam.dispose();
  net.setFlatWeights(weights);
  return (steps / (spent / 1000)) * TRAIN_BATCH * 3 * net.forwardFlops / 1e9;
}

/**
 * What a second core can give right now: total throughput of two busy-looping worker threads
 * over one's. On an idle 2-core machine this is ~2.0; on a shared one, whatever the neighbours
 * leave. The self-play speed-up is read against this ceiling.
 */
async function busyThreadRate(threads: number): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); let x = 0; const t0 = Date.now(); let n = 0;
    while (Date.now() - t0 < ${Math.round(SECONDS * 1000)}) { for (let i = 0; i < 1e5; i++) x += Math.sqrt(i); n++; } parentPort.postMessage(n + (x < 0 ? 1 : 0));`;
  const counts = await Promise.all(
    Array.from({ length: threads }, () => new Promise<number>((resolve) => new Worker(code, { eval: true }).once('message', resolve))),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** Above this, a two-thread ratio can only come from a one-thread rate that read low (2x and some rounding). */
const DISTURBED_ABOVE = 2.05;

/** A 2-worker speed-up, marked when it is higher than two threads can give. */
function speedUp(ratio: number): string {
  return `${ratio.toFixed(2)}x${ratio > DISTURBED_ABOVE ? '!' : ''}`;
}

/**
 * Beyond this, either way, the raw network's time a row against self-play's own calls of it
 * means one side's calls read slow: the two agree within 1-2% when neither does. Both ways
 * were seen in 11 of 71 one-config processes at Connect Four w16, for seconds or for the
 * rest of the process, on one side only while the other, interleaved with it in the same
 * thread, read as usual: raw 0.44-0.54 µs a row against self-play's 0.27-0.28, or
 * self-play's 0.45-0.54 against raw's 0.27-0.30. V8's inlining of JavaScript's calls into
 * WebAssembly did it: the backend now turns that off (backend.ts' configureWasm), and 1 of
 * 92 processes read so since. The mark stays for what else may slow one side.
 */
const NETWORK_TIMES_DIFFER_BEYOND = 1.1;

/** Every sp/raw printed that NETWORK_TIMES_DIFFER_BEYOND marks. */
const networkTimesDiffer: boolean[] = [];

/**
 * Self-play's evaluations over the raw rate; with `checked`, marked when raw and self-play's
 * own network calls disagree (the JavaScript search's calls are not timed: it calls
 * predict(), which the raw windows do not).
 */
function spOverRaw(run: Throughput, checked: boolean): string {
  const ratio = 1e6 / run.raw! / run.perRow!.network;
  const differ = checked && (ratio > NETWORK_TIMES_DIFFER_BEYOND || ratio < 1 / NETWORK_TIMES_DIFFER_BEYOND);
  networkTimesDiffer.push(differ);
  return `${((100 * run.evaluations) / run.raw!).toFixed(0)}%${differ ? '!' : ''}`;
}

function matMulGflops(n: number): number {
  const a = tf.randomUniform([n, n]);
  const b = tf.randomUniform([n, n]);
  const perSecond = rate(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  });
  a.dispose();
  b.dispose();
  return (perSecond * 2 * n * n * n) / 1e9;
}

const backend = await selectBackend();
const cores = availableParallelism();
console.log(
  `selfplay bench: backend ${backend.name}, ${cores} cores visible, batch = ${GAMES} concurrent games per worker (${process.argv.includes('--games') ? 'from --games' : `profile ${PROFILE}'s selfplay.concurrentGames`}), ` +
    `${SIMULATIONS} simulations/move, cache off but in 'cache on', ${STEP_STATES} states per collect (profile ${PROFILE}'s training step; the paper's: ${PAPER_STEP_STATES}), ${TRAIN_BATCH}-row training minibatches, ${SECONDS} s per measurement after ${WARMUP_SECONDS} s of warm-up, best of ${REPS}`,
);
let matmul = 0;
for (let rep = 0; rep < REPS; rep++) matmul = Math.max(matmul, matMulGflops(512));
console.log(`plain matMul 512x512x512: ${matmul.toFixed(2)} GFLOP/s`);
// Each rate best of REPS on its own: the ratio of one rep's pair would be as high as the
// single thread's worst disturbance makes it (2.6x was seen).
let oneThread = 0;
let twoThreads = 0;
for (let rep = 0; rep < REPS && cores >= 2; rep++) {
  oneThread = Math.max(oneThread, await busyThreadRate(1));
  twoThreads = Math.max(twoThreads, await busyThreadRate(2));
}
const ceiling = cores >= 2 ? twoThreads / oneThread : 1;
console.log(`second-core ceiling (2 busy threads vs 1, same run): ${speedUp(ceiling)}\n`);

/** Whether the second-core columns can run: two threads of this process, each with its own network on the backend. */
const threaded = cores >= 2 && runsOnWorkerThreads(backend.name);
if (!threaded) console.log(`second-core columns: n/a (${cores < 2 ? 'one core' : `the ${backend.name} backend cannot run on several threads of one process`})\n`);
const rows: string[][] = [];
/** Every 2-worker speed-up printed, to tell whether any is higher than two threads can give. */
const speedUps: number[] = [];
const header = ['game', 'w', 'params', 'batch', 'raw evals/s', 'sp evals/s', 'sims/s', 'sp/raw', 'µs/row: raw | sp net+rest', 'sp/raw, js', '2w evals/s', '2w speed-up', '2w lost: drop/wait/hand-off', '2w thread speed', '2w, paper steps', '2 stages', `cache on (${CACHE_SIZE})`, 'train GFLOP/s', 'train/matMul', 'train/engine'];
for (const gameName of GAMES_BENCHED) {
  const game = getGame(gameName);
  for (const width of WIDTHS) {
    const net = PolicyValueNetwork.create({ inputSize: game.observationSize, numActions: game.numActions, width }, 1);
    if (rows.length === 0) console.log(`inference: through ${net.inferencePath}\n`);
    // Best of REPS interleaved repetitions: neighbours on a shared machine only ever slow a
    // measurement down, so the fastest self-play is the least disturbed one (and its raw rate
    // was measured in the same windows).
    const ones: Throughput[] = [];
    const jsOnes: Throughput[] = [];
    const cachedOnes: Throughput[] = [];
    const twos: Throughput[] = [];
    let twoStages = 0;
    const batch = trainingBatch(game);
    let train = 0;
    let trainThroughEngine = 0;
    for (let rep = 0; rep < REPS; rep++) {
      ones.push(await selfPlayRate(gameName, net, width, 1, backend.name, true));
      // Only sp/raw is read off the JavaScript search.
      jsOnes.push(await selfPlayRate(gameName, net, width, 1, backend.name, true, { search: 'js', paperSteps: false }));
      if (CACHE_SIZE > 0) cachedOnes.push(await selfPlayRate(gameName, net, width, 1, backend.name, false, { paperSteps: false, cacheSize: CACHE_SIZE }));
      if (threaded) {
        twos.push(await selfPlayRate(gameName, net, width, 2, backend.name, false));
        twoStages = Math.max(twoStages, await twoStagesRate(gameName, net, width, backend.name));
      }
      train = Math.max(train, trainingGflops(net, batch, 'default'));
      trainThroughEngine = Math.max(trainThroughEngine, trainingGflops(net, batch, 'engine'));
    }
    const fastest = (runs: Throughput[], by: 'evaluations' | 'simulations' = 'evaluations') => runs.reduce((a, b) => (b[by] > a[by] ? b : a));
    const bestPaperStep = (runs: Throughput[]) => Math.max(...runs.map((r) => r.paperStepSimulations!));
    const one = fastest(ones);
    const two = twos.length > 0 ? fastest(twos) : null;
    const profileStepSpeedUp = two ? two.simulations / one.simulations : null;
    const paperStepSpeedUp = two ? bestPaperStep(twos) / bestPaperStep(ones) : null;
    const twoStagesSpeedUp = two ? twoStages / one.simulations : null;
    for (const r of [profileStepSpeedUp, paperStepSpeedUp, twoStagesSpeedUp]) if (r !== null) speedUps.push(r);
    const raw = one.raw!;
    const js = fastest(jsOnes);
    // Best by simulations: with the cache, how many of them needed the network varies.
    const cached = cachedOnes.length > 0 ? fastest(cachedOnes, 'simulations') : null;
    const rowsPerSimulation = (r: Throughput) => r.evaluations / r.simulations;
    const row = [
      gameName,
      String(width),
      String(net.parameterCount),
      String(one.meanBatch),
      raw.toFixed(0),
      one.evaluations.toFixed(0),
      one.simulations.toFixed(0),
      spOverRaw(one, true),
      `${(1e6 / raw).toFixed(3)} | ${one.perRow!.network.toFixed(3)}+${one.perRow!.rest.toFixed(3)}`,
      spOverRaw(js, false),
      two ? two.evaluations.toFixed(0) : 'n/a',
      profileStepSpeedUp === null ? 'n/a' : speedUp(profileStepSpeedUp),
      ...(two?.lockstep && profileStepSpeedUp !== null ? lockstepColumns(two.lockstep, profileStepSpeedUp) : ['n/a', 'n/a']),
      paperStepSpeedUp === null ? 'n/a' : speedUp(paperStepSpeedUp),
      twoStagesSpeedUp === null ? 'n/a' : speedUp(twoStagesSpeedUp),
      cached === null ? 'n/a' : `${(cached.simulations / one.simulations).toFixed(2)}x (${(100 * (1 - rowsPerSimulation(cached) / rowsPerSimulation(one))).toFixed(0)}%)`,
      train.toFixed(2),
      `${((100 * train) / matmul).toFixed(0)}%`,
      `${(train / trainThroughEngine).toFixed(2)}x`,
    ];
    rows.push(row);
    console.log(row.map((c, i) => `${header[i]}=${c}`).join('  '));
    net.dispose();
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const disturbed = [ceiling, ...speedUps].some((ratio) => ratio > DISTURBED_ABOVE);
const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\n${line(header)}\n${rows.map(line).join('\n')}`);
console.log(
  `\ntargets: sp/raw >= 60%, second-core speed-up >= 1.7x (2 workers of one stage at the profile's and at the paper's training steps; 2 stages at once, ` +
    `as profiles with selfplay.workers 1 use the second core); the machine's second-core ceiling in this run was ${speedUp(ceiling)}`,
);
if (disturbed) {
  console.log(
    `read with care: two threads cannot do more than twice the work of one, so a ratio above ${DISTURBED_ABOVE}x (marked !) means its one-thread ` +
      `rate read low (the machine's other load, most often) and the ratio reads high; rerun such rows (--game, --widths)`,
  );
}
if (networkTimesDiffer.some((differ) => differ)) {
  console.log(
    `read with care: an sp/raw whose raw µs a row and self-play's network calls' differ by more than ` +
      `${Math.round(100 * (NETWORK_TIMES_DIFFER_BEYOND - 1))}% (marked !) had one side's calls read slow (raw: sp/raw reads high; self-play's: low); rerun such rows`,
  );
}
