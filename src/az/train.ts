// The paper's training loop for one agent:
//   repeat `steps` times:
//     self-play whole games until at least D = floor(bufferSize / reuse) new positions arrived
//     (games still in progress at that move boundary carry over to the next step);
//     append them to the FIFO replay buffer;
//     train on floor(len(buffer) / batchSize) minibatches drawn without replacement.
// Checkpoints (tfjs model.json + weights.bin) at the listed steps and at the last one, with
// compute accounting for each. Resumable: the whole state (weights, Adam moments and step,
// buffer, in-flight games, counters, log) is saved in the work directory, and every random
// choice is derived from (seed, label) rather than from a running generator, so a killed run
// that resumes ends byte-identical to one that never stopped (on the same backend).

import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckpointCompute, TrainingCompute } from '../../schemas/types/train-compute.ts';
import type { StepEntry, TrainingLog } from '../../schemas/types/train-log.ts';
import { canonicalJson, stableJson, writeFileAtomic, writeJsonValidated } from '../engine/json.ts';
import { Rng } from '../engine/rng.ts';
import { Adam } from './adam.ts';
import { LossMeans } from './loss-means.ts';
import { PolicyValueNetwork } from './network.ts';
import type { NetworkShape } from './network-shape.ts';
import { ReplayBuffer } from './replay-buffer.ts';
import { activeBackend } from './backend.ts';
import { addStats, emptyStats, type InFlightGame, type SelfPlayStats } from './selfplay.ts';
import { createSelfPlayRunner, type LockstepReport, type SelfPlayRunner } from './selfplay-runner.ts';
import { deviationsFromPaper } from './paper-protocol.ts';
import { checkpointSteps, makeGame, statesPerStep, validateConfig, type TrainConfig } from './train-config.ts';

export { checkpointSteps, makeGame, statesPerStep, type TrainConfig } from './train-config.ts';

const schemaDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../schemas');
export const TRAINING_LOG_SCHEMA = join(schemaDir, 'train-log.schema.json');
export const COMPUTE_SCHEMA = join(schemaDir, 'train-compute.schema.json');

export interface TrainRunOptions {
  /** Survives a killed run: resume state and checkpoints so far. */
  workDir: string;
  /** Receives checkpoints/, training-log.json and compute.json at the end. */
  outDir: string;
  /** Stop (state saved) after this step, as a kill would: for tests of resuming. */
  stopAfterStep?: number;
  /** Save the resume state when this many seconds passed since the last save (0 = every step). Checkpoint steps always save. */
  resumeIntervalSeconds?: number;
  log?: (line: string) => void;
  /** Called after each step; wall time lives here, never in the deterministic files. */
  onStep?: (info: { step: number; steps: number; time: StepTime; entry: StepEntry }) => void;
}

/** A step's wall time in seconds, and its parts: self-play, training on the buffer, and saving (checkpoint, resume state). */
export interface StepTime {
  seconds: number;
  selfPlaySeconds: number;
  trainingSeconds: number;
  savingSeconds: number;
}

export interface TrainResult {
  completed: boolean;
  /** Step the run started from (0 for a fresh run). */
  resumedFrom: number;
  steps: number;
  log: TrainingLog;
  compute: TrainingCompute;
  /** What the self-play workers' lockstep cost in this run (null with one worker): timing, for the run record. */
  selfPlayLockstep: LockstepReport | null;
}

interface Counters {
  stats: SelfPlayStats;
  trainingSamples: number;
}

/** The JSON part of the resume state. */
interface ProgressFile {
  version: 1;
  config: string;
  step: number;
  adamStep: number;
  buffer: { size: number; head: number; totalAdded: number; capacity: number };
  inFlight: { slot: number; index: number; moves: number[] }[];
  counters: Counters;
  logSteps: StepEntry[];
  computeCheckpoints: CheckpointCompute[];
}

const STATE_DIR = 'state';
const CHECKPOINTS_DIR = 'checkpoints';

export function checkpointName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

export async function train(config: TrainConfig, options: TrainRunOptions): Promise<TrainResult> {
  validateConfig(config);
  const log = options.log ?? (() => {});
  const game = makeGame(config);
  const shape: NetworkShape = { inputSize: game.observationSize, numActions: game.numActions, width: config.width };
  const D = statesPerStep(config);
  const keep = new Set(checkpointSteps(config));
  const configText = canonicalJson(config);

  // The stage selected it (az.backend); the workers run on the same.
  const backend = await activeBackend();
  const selfPlay = createSelfPlayRunner({
    game: config.game,
    board: config.board,
    options: config.selfPlay,
    seed: config.seed,
    workers: config.selfPlayWorkers,
    backend: backend.name,
    width: config.width,
  });
  let net: PolicyValueNetwork;
  let adam: Adam;
  let buffer: ReplayBuffer;
  let step = 0;
  let counters: Counters = { stats: emptyStats(), trainingSamples: 0 };
  let logSteps: StepEntry[] = [];
  let computeCheckpoints: CheckpointCompute[] = [];

  try {
    return await trainWith(selfPlay);
  } finally {
    await selfPlay.close();
  }

  async function trainWith(selfPlay: SelfPlayRunner): Promise<TrainResult> {
    const saved = await loadState(options.workDir, configText, shape, log);
    if (saved) {
      ({ net, adam, buffer } = saved);
      await selfPlay.restoreInFlight(saved.inFlight);
      step = saved.progress.step;
      counters = saved.progress.counters;
      logSteps = saved.progress.logSteps;
      computeCheckpoints = saved.progress.computeCheckpoints;
      log(`resuming ${game.name} w=${config.width} after step ${step} of ${config.steps}`);
    } else {
      rmSync(options.workDir, { recursive: true, force: true });
      net = PolicyValueNetwork.create(shape, config.seed);
      adam = new Adam(net.trainableVariables(), { learningRate: config.learningRate });
      buffer = new ReplayBuffer(config.bufferSize, shape.inputSize, shape.numActions);
      if (keep.has(0)) computeCheckpoints.push(await saveCheckpoint(net, options.workDir, 0, counters, config, D));
    }
    const resumedFrom = step;
    /** The run as it stands after the current step: stopped part-way, or completed. */
    const result = (completed: boolean): TrainResult => ({
      completed,
      resumedFrom,
      steps: step,
      log: trainingLog(config, net, D, logSteps),
      compute: computeFile(config, net, D, computeCheckpoints),
      selfPlayLockstep: selfPlay.takeLockstepReport(),
    });

    const batch = buffer.allocateBatch(Math.min(config.batchSize, config.bufferSize));
    let lastSave = Date.now();
    try {
      while (step < config.steps) {
        const started = performance.now();
        step += 1;
        const { games, stats } = await selfPlay.collect(net, D);
        for (const g of games) buffer.addGame(g);
        addStats(counters.stats, stats);
        const selfPlayed = performance.now();

        const bufferSize = buffer.size;
        const rows = Int32Array.from({ length: bufferSize }, (_, i) => i);
        new Rng(config.seed, `train/minibatches/${step}`).shuffle(rows);
        const rowsPerBatch = Math.min(config.batchSize, bufferSize);
        const minibatches = Math.floor(bufferSize / rowsPerBatch);
        const losses = new LossMeans();
        try {
          for (let b = 0; b < minibatches; b++) {
            buffer.fillBatch(rows.subarray(b * rowsPerBatch, (b + 1) * rowsPerBatch), batch);
            adam.apply(net.gradients(batch, config.weightDecay, losses));
          }
        } catch (e) {
          losses.dispose();
          throw e;
        }
        counters.trainingSamples += minibatches * rowsPerBatch;
        const entry: StepEntry = {
          step,
          games: stats.games,
          states: stats.states,
          meanGameLength: stats.games > 0 ? stats.states / stats.games : 0,
          bufferSize,
          minibatches,
          loss: losses.read(),
          evaluations: stats.evaluations,
          cacheHits: stats.cacheHits,
          terminalLeaves: stats.terminalLeaves,
        };
        logSteps.push(entry);
        const trained = performance.now();

        const isCheckpoint = keep.has(step);
        if (isCheckpoint) computeCheckpoints.push(await saveCheckpoint(net, options.workDir, step, counters, config, D));
        const stopping = options.stopAfterStep === step;
        const due = (Date.now() - lastSave) / 1000 >= (options.resumeIntervalSeconds ?? 30);
        if (step < config.steps && (isCheckpoint || stopping || due)) {
          await saveState(
            options.workDir,
            {
              version: 1,
              config: configText,
              step,
              adamStep: adam.step,
              buffer: { size: 0, head: 0, totalAdded: 0, capacity: 0 }, // filled in by saveState
              inFlight: [],
              counters,
              logSteps,
              computeCheckpoints,
            },
            net,
            adam,
            buffer,
            await selfPlay.inFlight(),
          );
          lastSave = Date.now();
        }
        const ended = performance.now();
        const time: StepTime = {
          seconds: (ended - started) / 1000,
          selfPlaySeconds: (selfPlayed - started) / 1000,
          trainingSeconds: (trained - selfPlayed) / 1000,
          savingSeconds: (ended - trained) / 1000,
        };
        options.onStep?.({ step, steps: config.steps, time, entry });
        if (stopping && step < config.steps) return result(false);
      }

      const done = result(true);
      mkdirSync(options.outDir, { recursive: true });
      rmSync(join(options.outDir, CHECKPOINTS_DIR), { recursive: true, force: true });
      cpSync(join(options.workDir, CHECKPOINTS_DIR), join(options.outDir, CHECKPOINTS_DIR), { recursive: true });
      writeJsonValidated(TRAINING_LOG_SCHEMA, join(options.outDir, 'training-log.json'), done.log);
      writeJsonValidated(COMPUTE_SCHEMA, join(options.outDir, 'compute.json'), done.compute);
      return done;
    } finally {
      adam.dispose();
      net.dispose();
    }
  }
}

function trainingLog(config: TrainConfig, net: PolicyValueNetwork, D: number, steps: StepEntry[]): TrainingLog {
  return {
    game: config.game,
    board: { ...config.board },
    width: config.width,
    parameters: net.parameterCount,
    seed: config.seed,
    valueTarget: 'side-to-move outcome',
    statesPerStep: D,
    deviations: deviationsFromPaper(config),
    steps,
  };
}

function computeFile(config: TrainConfig, net: PolicyValueNetwork, D: number, checkpoints: CheckpointCompute[]): TrainingCompute {
  return {
    parameters: net.parameterCount,
    forwardFlops: net.forwardFlops,
    simulationsPerMove: config.selfPlay.simulations,
    statesPerStep: D,
    trainingFlopsPerSample: 3 * net.forwardFlops,
    checkpoints,
  };
}

async function saveCheckpoint(
  net: PolicyValueNetwork,
  workDir: string,
  step: number,
  counters: Counters,
  config: TrainConfig,
  D: number,
): Promise<CheckpointCompute> {
  const name = checkpointName(step);
  await net.save(join(workDir, CHECKPOINTS_DIR, name));
  const F = net.forwardFlops;
  const s = counters.stats;
  const inferenceFlops = F * s.evaluations;
  const trainingFlops = 3 * F * counters.trainingSamples;
  return {
    step,
    checkpoint: `${CHECKPOINTS_DIR}/${name}`,
    paperCompute: step * config.selfPlay.simulations * F * D,
    inferenceFlops,
    cacheHitFlopsSaved: F * s.cacheHits,
    trainingFlops,
    spentFlops: inferenceFlops + trainingFlops,
    evaluations: s.evaluations,
    cacheHits: s.cacheHits,
    terminalLeaves: s.terminalLeaves,
    trainingSamples: counters.trainingSamples,
    states: s.states,
    games: s.games,
  };
}

// ---- resume state: workDir/state, replaced as a whole by a rename --------------------------

async function saveState(
  workDir: string,
  progress: ProgressFile,
  net: PolicyValueNetwork,
  adam: Adam,
  buffer: ReplayBuffer,
  inFlight: InFlightGame[],
): Promise<void> {
  const tmp = join(workDir, `${STATE_DIR}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  await net.save(join(tmp, 'model'));
  writeFileAtomic(join(tmp, 'optimizer.bin'), concatBytes(adam.getState().moments));
  const serialized = buffer.serialize();
  progress.buffer = serialized.header;
  writeFileAtomic(join(tmp, 'buffer.bin'), serialized.data);
  writeFileAtomic(join(tmp, 'in-flight.bin'), concatBytes(inFlight.map((g) => g.visitCounts)));
  progress.inFlight = inFlight.map((g) => ({ slot: g.slot, index: g.index, moves: g.moves }));
  // progress.json last: its presence marks a complete state directory.
  writeFileAtomic(join(tmp, 'progress.json'), stableJson(progress));
  const current = join(workDir, STATE_DIR);
  const old = join(workDir, `${STATE_DIR}.old`);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(current)) renameSync(current, old);
  renameSync(tmp, current);
  rmSync(old, { recursive: true, force: true });
}

type SavedState = { progress: ProgressFile; net: PolicyValueNetwork; adam: Adam; buffer: ReplayBuffer; inFlight: InFlightGame[] };

/**
 * The state a killed run saved, or null to start afresh: when there is none, when it is for
 * another configuration, or when it cannot be read (a damaged file is named in the log; the
 * run then trains from step 0, which gives the same bytes, only later).
 */
async function loadState(workDir: string, configText: string, shape: NetworkShape, log: (line: string) => void): Promise<SavedState | null> {
  // A kill between the two renames of saveState leaves only state.old, which is complete.
  const dir = [join(workDir, STATE_DIR), join(workDir, `${STATE_DIR}.old`)].find((d) => existsSync(join(d, 'progress.json')));
  if (!dir) return null;
  let net: PolicyValueNetwork | null = null;
  let adam: Adam | null = null;
  // The file being read, for the message if it cannot be.
  let file = 'progress.json';
  try {
    const progress = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProgressFile;
    if (progress.version !== 1 || progress.config !== configText) {
      log(`${workDir}: resume state is for a different configuration; starting afresh`);
      return null;
    }
    file = 'model';
    net = await PolicyValueNetwork.load(join(dir, file));
    adam = new Adam(net.trainableVariables(), { learningRate: JSON.parse(configText).learningRate as number });
    file = 'optimizer.bin';
    const sizes = net.trainableVariables().flatMap((v) => [v.size, v.size]);
    adam.setState({ step: progress.adamStep, moments: splitAs(Float32Array, readFileSync(join(dir, file)), sizes) });
    file = 'buffer.bin';
    const buffer = ReplayBuffer.deserialize(progress.buffer, new Uint8Array(readFileSync(join(dir, file))), shape.inputSize, shape.numActions);
    file = 'in-flight.bin';
    const visitSizes = progress.inFlight.map((g) => g.moves.length * shape.numActions);
    const visits = splitAs(Uint16Array, readFileSync(join(dir, file)), visitSizes);
    const inFlight = progress.inFlight.map((g, i) => ({ ...g, visitCounts: visits[i]! }));
    return { progress, net, adam, buffer, inFlight };
  } catch (e) {
    adam?.dispose();
    net?.dispose();
    log(`${join(dir, file)}: unreadable resume state (${(e as Error).message}); starting afresh`);
    return null;
  }
}

/** The arrays' bytes one after the other (read back by splitAs). */
function concatBytes(arrays: readonly (Float32Array | Uint16Array)[]): Uint8Array {
  const out = new Uint8Array(arrays.reduce((s, a) => s + a.byteLength, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
    o += a.byteLength;
  }
  return out;
}

/** concatBytes's arrays again, of `sizes` elements each: the bytes must be exactly that many. */
function splitAs<T extends Float32Array | Uint16Array>(Type: { new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number }, bytes: Buffer, sizes: readonly number[]): T[] {
  const expected = sizes.reduce((s, n) => s + n, 0) * Type.BYTES_PER_ELEMENT;
  if (bytes.byteLength !== expected) throw new Error(`${bytes.byteLength} bytes, expected ${expected}`);
  const all = new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let o = 0;
  return sizes.map((n) => all.slice(o, (o += n)) as T);
}
