import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runsOnWorkerThreads, selectBackend, type BackendName } from '../../src/az/backend.ts';
import { BACKEND_PACKAGES } from '../../src/az/backend-env.ts';
import { PolicyValueNetwork } from '../../src/az/network.ts';
import { train, type TrainConfig } from '../../src/az/train.ts';
import { readJsonValidated } from '../../src/engine/json.ts';
import { COMPUTE_SCHEMA, TRAINING_LOG_SCHEMA } from '../../src/az/train.ts';
import type { TrainingCompute } from '../../schemas/types/train-compute.ts';
import type { TrainingLog } from '../../schemas/types/train-log.ts';

const tiny: TrainConfig = {
  game: 'connect4',
  board: { width: 5, height: 4 },
  width: 8,
  seed: 42,
  steps: 4,
  checkpoints: [0, 2],
  bufferSize: 96,
  reuse: 2,
  batchSize: 16,
  learningRate: 1e-3,
  weightDecay: 1e-4,
  selfPlay: {
    simulations: 12,
    mcts: { c: 2, dirichletAlpha: 1, dirichletEpsilon: 0.25 },
    temperaturePlies: 4,
    concurrentGames: 5,
    cacheSize: 2000,
  },
  selfPlayWorkers: 1,
};

/** Relative path → bytes of every file under dir. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

// The wasm backend trains through its own kernels (gradients-on-wasm.ts, adam-on-wasm.ts);
// every other backend takes the generic tfjs path, which the plain CPU backend runs
// everywhere. Where npm installed a native package (its library download succeeded, as on a
// GPU machine), that backend is held to the same promises: one of them, as two native
// TensorFlows cannot share a process.
const installed = (name: BackendName) => {
  try {
    createRequire(import.meta.url).resolve(BACKEND_PACKAGES[name]);
    return true;
  } catch {
    return false;
  }
};
const nativeBackend = (['node-gpu', 'node'] as const).find(installed);
const backends: BackendName[] = ['wasm', 'cpu', ...(nativeBackend ? [nativeBackend] : [])];
for (const backendName of backends) describe(`on the ${backendName} backend`, () => {
  let root: string;
  beforeAll(async () => {
    await selectBackend({ force: backendName, log: () => {} });
    root = mkdtempSync(join(tmpdir(), `az-train-${backendName}-`));
  });
  afterAll(() => root && rmSync(root, { recursive: true, force: true }));

  describe('training', () => {
    it('writes checkpoints, a training log and compute accounting that match their schemas', async () => {
      const outDir = join(root, 'a-out');
      const result = await train(tiny, { workDir: join(root, 'a-work'), outDir, resumeIntervalSeconds: 0 });
      expect(result.completed).toBe(true);
      const files = [...snapshot(outDir).keys()];
      expect(files).toEqual([
        'checkpoints/step-000000/model.json',
        'checkpoints/step-000000/weights.bin',
        'checkpoints/step-000002/model.json',
        'checkpoints/step-000002/weights.bin',
        'checkpoints/step-000004/model.json',
        'checkpoints/step-000004/weights.bin',
        'compute.json',
        'training-log.json',
      ]);
      const log = readJsonValidated<TrainingLog>(TRAINING_LOG_SCHEMA, join(outDir, 'training-log.json'));
      expect(log.steps).toHaveLength(4);
      expect(log.statesPerStep).toBe(48);
      for (const s of log.steps) {
        expect(s.states).toBeGreaterThanOrEqual(48);
        expect(s.meanGameLength).toBeGreaterThanOrEqual(7);
        expect(s.minibatches).toBe(Math.floor(s.bufferSize / 16));
      }
      expect(log.steps[3]!.bufferSize).toBe(96);
      const compute = readJsonValidated<TrainingCompute>(COMPUTE_SCHEMA, join(outDir, 'compute.json'));
      expect(compute.checkpoints.map((c) => c.step)).toEqual([0, 2, 4]);
      const F = compute.forwardFlops;
      const last = compute.checkpoints[2]!;
      expect(last.paperCompute).toBe(4 * 12 * F * 48);
      expect(last.inferenceFlops).toBe(F * last.evaluations);
      expect(last.trainingFlops).toBe(3 * F * last.trainingSamples);
      // Every simulation was an evaluation, a cache hit or a terminal leaf.
      const sims = log.steps.reduce((a, s) => a + s.evaluations + s.cacheHits + s.terminalLeaves, 0);
      expect(sims % 12).toBe(0);
      expect(last.cacheHits).toBeGreaterThan(0);
      const net = await PolicyValueNetwork.load(join(outDir, 'checkpoints/step-000004'));
      expect(net.shape).toEqual({ inputSize: 60, numActions: 5, width: 8 });
      net.dispose();
    });

    it('is deterministic: the same config twice gives identical bytes', async () => {
      await train(tiny, { workDir: join(root, 'b-work'), outDir: join(root, 'b-out') });
      expect(snapshot(join(root, 'b-out'))).toEqual(snapshot(join(root, 'a-out')));
      await train({ ...tiny, seed: 43 }, { workDir: join(root, 'c-work'), outDir: join(root, 'c-out') });
      expect(snapshot(join(root, 'c-out')).get('training-log.json')).not.toEqual(snapshot(join(root, 'a-out')).get('training-log.json'));
    });

    it('resumes after a stop at step k and ends byte-identical to the uninterrupted run', async () => {
      for (const k of [1, 3]) {
        const workDir = join(root, `d${k}-work`);
        const outDir = join(root, `d${k}-out`);
        const first = await train(tiny, { workDir, outDir, stopAfterStep: k });
        expect(first.completed).toBe(false);
        const second = await train(tiny, { workDir, outDir });
        expect(second.completed).toBe(true);
        expect(second.resumedFrom).toBe(k);
        expect(snapshot(outDir)).toEqual(snapshot(join(root, 'a-out')));
      }
    });

    it('starts afresh, naming the damaged file, when the resume state cannot be read', async () => {
      const damages: [string, (file: string) => void][] = [
        ['optimizer.bin', (file) => truncateSync(file, 100)],
        ['progress.json', (file) => writeFileSync(file, '{"version": 1, "conf')],
        ['in-flight.bin', (file) => writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.alloc(2)]))],
      ];
      for (const [name, damage] of damages) {
        const workDir = join(root, `f-${name}-work`);
        const outDir = join(root, `f-${name}-out`);
        await train(tiny, { workDir, outDir, stopAfterStep: 3 });
        damage(join(workDir, 'state', name));
        const lines: string[] = [];
        const again = await train(tiny, { workDir, outDir, log: (line) => lines.push(line) });
        expect(again.resumedFrom).toBe(0);
        expect(lines.find((l) => l.includes('unreadable resume state'))).toContain(join(workDir, 'state', name));
        expect(snapshot(outDir)).toEqual(snapshot(join(root, 'a-out')));
      }
    });

    it('lowers the loss when trained on the same buffer', async () => {
      // Twelve steps, each position reused ~8 times: the loss must fall as the net fits its own self-play data.
      const cfg: TrainConfig = { ...tiny, steps: 12, checkpoints: [], reuse: 8, bufferSize: 96, learningRate: 1e-2 };
      const result = await train(cfg, { workDir: join(root, 'e-work'), outDir: join(root, 'e-out') });
      const losses = result.log.steps.map((s) => s.loss.total);
      console.log('losses per step:', losses.map((x) => x.toFixed(3)).join(' '));
      expect(losses.at(-1)!).toBeLessThan(losses[1]! * 0.9);
    });
  });

  // Native backends keep one TensorFlow per process, so self-play stays on the stage's thread there.
  describe.runIf(runsOnWorkerThreads(backendName))('training with self-play worker threads', () => {
    it('is deterministic for a given worker count and resumes exactly', async () => {
      const cfg: TrainConfig = { ...tiny, selfPlayWorkers: 2 };
      await train(cfg, { workDir: join(root, 'w1-work'), outDir: join(root, 'w1-out') });
      await train(cfg, { workDir: join(root, 'w2-work'), outDir: join(root, 'w2-out'), stopAfterStep: 2 });
      await train(cfg, { workDir: join(root, 'w2-work'), outDir: join(root, 'w2-out') });
      expect(snapshot(join(root, 'w2-out'))).toEqual(snapshot(join(root, 'w1-out')));
      // Two workers of 5 games play the slots one thread of 10 plays, in the same lockstep; only
      // the batches' composition differs, which changes bytes on backends whose rows depend on it.
      const oneThread: TrainConfig = { ...tiny, selfPlay: { ...tiny.selfPlay, concurrentGames: 10 } };
      await train(oneThread, { workDir: join(root, 'w3-work'), outDir: join(root, 'w3-out') });
      // (The logs' cache counters differ: two caches, and no deduplication across workers.)
      const weights = (dir: string) => [...snapshot(dir)].filter(([name]) => name.endsWith('.bin'));
      const sameAsOneThread = JSON.stringify(weights(join(root, 'w1-out'))) === JSON.stringify(weights(join(root, 'w3-out')));
      console.log(`2 workers x 5 games give 1 thread x 10 games' checkpoints byte for byte on ${tf.getBackend()}: ${sameAsOneThread}`);
      // On wasm a row's result does not depend on its batch, so the coordinator's merge (slot
      // order, the common stopping move) is checked exactly: the same games, the same weights.
      if (backendName === 'wasm') expect(sameAsOneThread).toBe(true);
    });
  });
});
