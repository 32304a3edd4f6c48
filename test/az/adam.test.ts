import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/az/backend.ts';
import { Adam } from '../../src/az/adam.ts';
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

describe('Adam', () => {
  it("updates through the wasm backend's kernels with the engine path's bytes: weights, moments and predictions at every step, across setState", () => {
    for (const game of [getGame('connect4'), getGame('pentago')] as AnyGame[]) {
      const shape = { inputSize: game.observationSize, numActions: game.numActions, width: 16 };
      const tensors = tf.memory().numTensors;
      const batch = minibatch(game, 64, 5);
      const viaEngine = PolicyValueNetwork.create(shape, 9);
      const viaApply = PolicyValueNetwork.create(shape, 9);
      const engineAdam = new Adam(viaEngine.trainableVariables(), { learningRate: 1e-2 });
      let adam = new Adam(viaApply.trainableVariables(), { learningRate: 1e-2 });
      for (let step = 1; step <= 12; step++) {
        engineAdam.applyThroughEngine(viaEngine.gradients(batch, 1e-4).grads);
        adam.apply(viaApply.gradients(batch, 1e-4).grads);
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
});
