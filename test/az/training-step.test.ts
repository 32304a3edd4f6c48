// A training step on the wasm backend's kernels against the same step through tfjs's engine:
// the loss and gradients (gradients-on-wasm.ts), then Adam (adam-on-wasm.ts), byte for byte.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/az/backend.ts';
import { Adam } from '../../src/az/adam.ts';
import { LossMeans } from '../../src/az/loss-means.ts';
import { PolicyValueNetwork, type TrainingBatch } from '../../src/az/network.ts';
import { Rng } from '../../src/engine/rng.ts';
import { getGame, type AnyGame } from '../../src/games/index.ts';
import { randomPosition } from '../../src/games/playout.ts';

beforeAll(async () => {
  await selectBackend({ log: () => {} });
});

const sameBytes = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const allSame = (a: Float32Array[], b: Float32Array[]) => a.length === b.length && a.every((x, i) => sameBytes(x, b[i]!));

/** A minibatch of seeded positions with one-hot policy targets on a legal action and ±1/0 values. */
function minibatch(game: AnyGame, size: number, seed: number): TrainingBatch {
  const rng = new Rng(seed, 'adam-test');
  const A = game.numActions;
  const batch: TrainingBatch = {
    size,
    observations: new Float32Array(size * game.observationSize),
    legalMasks: new Uint8Array(size * A),
    policyTargets: new Float32Array(size * A),
    valueTargets: new Float32Array(size),
  };
  for (let i = 0; i < size; i++) {
    const s = randomPosition(game, rng, rng.int(game.maxPlies - 1));
    game.writeObservation(s, batch.observations, i * game.observationSize);
    game.legalMask(s, batch.legalMasks, i * A);
    batch.policyTargets[i * A + batch.legalMasks.subarray(i * A, (i + 1) * A).indexOf(1)] = 1;
    batch.valueTargets[i] = rng.int(3) - 1;
  }
  return batch;
}

describe('gradients', () => {
  it("computes training's loss and gradients through the wasm backend's kernels with the engine path's bytes: any batch, any width", () => {
    for (const game of [getGame('connect4'), getGame('pentago')] as AnyGame[]) {
      // Width 1 makes every transpose one of a vector (the backend copies those); 37 rows are no
      // multiple of a SIMD width. A kernel's gradient is a product of transposes where the layer
      // has more outputs than inputs (kernelGradient): Pentago's policy head at width 16, the
      // first layer of both games at width 160.
      for (const width of [1, 16, 160]) {
        const tensors = tf.memory().numTensors;
        const dataIds = tf.backend().numDataIds();
        const net = PolicyValueNetwork.create({ inputSize: game.observationSize, numActions: game.numActions, width }, 4);
        const adam = new Adam(net.trainableVariables(), { learningRate: 1e-2 });
        const full = minibatch(game, 256, 6);
        // Policy targets that are visit fractions over several legal actions, as self-play writes them.
        const rng = new Rng(7, 'fractions');
        const A = game.numActions;
        for (let i = 0; i < full.size; i += 2) {
          const row = full.policyTargets.subarray(i * A, (i + 1) * A);
          row.fill(0);
          const legal = [...full.legalMasks.subarray(i * A, (i + 1) * A).keys()].filter((a) => full.legalMasks[i * A + a] === 1);
          for (const a of legal) row[a] = rng.int(4);
          const total = row.reduce((x, y) => x + y, 0);
          for (const a of legal) row[a] = total > 0 ? row[a]! / total : 1 / legal.length;
        }
        for (const size of [1, 2, 37, 256]) {
          const batch = { ...full, size };
          const [directLosses, engineLosses] = [new LossMeans(), new LossMeans()];
          const direct = net.gradients(batch, 1e-4, directLosses);
          const engine = net.gradientsThroughEngine(batch, 1e-4, engineLosses);
          expect(directLosses.read(), `losses, ${game.name} w${width}, ${size} rows`).toEqual(engineLosses.read());
          direct.forEach((g, i) => {
            expect(g.shape).toEqual(engine[i]!.shape);
            expect(sameBytes(g.dataSync() as Float32Array, engine[i]!.dataSync() as Float32Array), `gradient ${i}, ${game.name} w${width}, ${size} rows`).toBe(true);
          });
          engine.forEach((g) => g.dispose());
          // New weights for the next size: the matMuls' packed operands must follow them.
          adam.apply(direct);
        }
        adam.dispose();
        net.dispose();
        // Nothing is left behind, in the engine or (the pass's own tensors) in the backend.
        expect(tf.memory().numTensors).toBe(tensors);
        expect(tf.backend().numDataIds()).toBe(dataIds);
      }
    }
  });
});

describe('Adam', () => {
  it("updates through the wasm backend's kernels with the engine path's bytes: weights, moments and predictions at every step, across setState", () => {
    // viaApply's whole step (gradients, then Adam) runs on the wasm kernels, viaEngine's through the engine.
    for (const game of [getGame('connect4'), getGame('pentago')] as AnyGame[]) {
      const shape = { inputSize: game.observationSize, numActions: game.numActions, width: 16 };
      const tensors = tf.memory().numTensors;
      const batch = minibatch(game, 64, 5);
      const viaEngine = PolicyValueNetwork.create(shape, 9);
      const viaApply = PolicyValueNetwork.create(shape, 9);
      const engineAdam = new Adam(viaEngine.trainableVariables(), { learningRate: 1e-2 });
      let adam = new Adam(viaApply.trainableVariables(), { learningRate: 1e-2 });
      for (let step = 1; step <= 12; step++) {
        engineAdam.applyThroughEngine(viaEngine.gradientsThroughEngine(batch, 1e-4));
        adam.apply(viaApply.gradients(batch, 1e-4));
        expect(allSame(viaApply.getFlatWeights(), viaEngine.getFlatWeights()), `weights after step ${step}`).toBe(true);
        expect(allSame(adam.getState().moments, engineAdam.getState().moments), `moments after step ${step}`).toBe(true);
        // Inference caches the packed weights by tensor id: it must see every update.
        const rows = 20;
        expect(sameBytes(viaApply.predict(batch.observations, batch.legalMasks, rows).policy, viaEngine.predict(batch.observations, batch.legalMasks, rows).policy)).toBe(true);
        if (step === 6) {
          // A resumed optimizer: new moment tensors, which the kernels must find.
          const state = adam.getState();
          adam.dispose();
          adam = new Adam(viaApply.trainableVariables(), { learningRate: 1e-2 });
          adam.setState(state);
        }
      }
      // Nothing is left behind: the kernels' scratch and scalars go with the optimizer.
      adam.dispose();
      engineAdam.dispose();
      viaEngine.dispose();
      viaApply.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
    }
  });

  it('stores subnormal moments and weights as +0, on the wasm kernels and through the engine alike', () => {
    const SMALLEST_NORMAL = 2 ** -126;
    // Per case: weight, gradient, first and second moment before the step.
    const cases: [number, number, number, number][] = [
      [1e-39, 0, 0, 0], // a subnormal weight with nothing to move it: +0
      [-1e-39, 0, 0, 0],
      [SMALLEST_NORMAL, 0, 0, 0], // the smallest normal stays
      [-SMALLEST_NORMAL, 0, 0, 0],
      [1.5, 0, 1.2e-38, 1e-30], // m decays by β1 from normal into subnormal: +0
      [0.25, 0, 2e-38, 1.1e-38], // v decays by β2 into subnormal: +0
      [-0, 0, 0, 0], // -0 is stored as +0
      [3e-38, 1e-3, 0, 0], // a first step of about the learning rate: the weight leaves the range
      [0.5, 2e-3, 1e-3, 1e-6], // an ordinary update
      [NaN, 0, 0, 0], // NaN is no subnormal
      [1e-45, -1e-40, -1e-39, 1e-45],
    ];
    // 4 · 11 + 3 values: every case in each SIMD lane, and in the scalar tail.
    const n = 47;
    const column = (k: number) => Float32Array.from({ length: n }, (_, i) => cases[i % cases.length]![k]!);
    const [x0, g, m0, v0] = [0, 1, 2, 3].map(column) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const tensors = tf.memory().numTensors;
    const run = (viaEngine: boolean) => {
      const x = tf.tidy(() => tf.variable(tf.tensor(x0), true));
      const adam = new Adam([x], { learningRate: 1e-3 });
      adam.setState({ step: 0, moments: [m0, v0] });
      const grads = [tf.tensor(g)];
      if (viaEngine) adam.applyThroughEngine(grads);
      else adam.apply(grads);
      const out = { x: (x.dataSync() as Float32Array).slice(), moments: adam.getState().moments };
      adam.dispose();
      x.dispose();
      return out;
    };
    const direct = run(false);
    const engine = run(true);
    expect(sameBytes(direct.x, engine.x), 'weights').toBe(true);
    expect(allSame(direct.moments, engine.moments), 'moments').toBe(true);
    const bits = (a: Float32Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];
    for (const stored of [direct.x, ...direct.moments]) {
      // No subnormal and no -0: both are +0's bits now.
      expect(bits(stored).filter((b) => (b & 0x7f800000) === 0 && b !== 0)).toEqual([]);
    }
    const [m, v] = direct.moments as [Float32Array, Float32Array];
    for (let i = 0; i < n; i++) {
      const c = i % cases.length;
      if (c === 0 || c === 1 || c === 6) expect(direct.x[i]).toBe(0);
      if (c === 2 || c === 3) expect(direct.x[i]).toBe(x0[i]);
      if (c === 4) expect([m[i], v[i], direct.x[i]]).toEqual([0, v0[i]! * Math.fround(0.999), 1.5].map(Math.fround));
      if (c === 5) expect(v[i]).toBe(0);
      if (c === 7) expect(Math.abs(direct.x[i]!)).toBeGreaterThan(1e-5);
      if (c === 9) expect(direct.x[i]).toBeNaN();
    }
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
