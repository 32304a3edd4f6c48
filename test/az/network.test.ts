import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getGame, type AnyGame } from '../../src/games/index.ts';
import { selectBackend } from '../../src/az/backend.ts';
import { Adam } from '../../src/az/adam.ts';
import { PolicyValueNetwork, type TrainingBatch } from '../../src/az/network.ts';
import { forwardFlops, parameterCount } from '../../src/az/network-shape.ts';
import { Rng } from '../../src/engine/rng.ts';
import { randomPosition } from '../../src/games/playout.ts';

// The spec's table: P(w) = 3w² + (n_in + A + 5)·w + A + 1.
const C4_TABLE: Record<number, number> = { 4: 608, 8: 1304, 16: 2984, 32: 7496, 64: 21128, 128: 66824, 256: 231944 };
const PENTAGO_TABLE: Record<number, number> = { 4: 1941, 8: 3689, 16: 7473, 32: 16193, 64: 38241, 128: 100769, 256: 299553 };
const C4_EXTRA_WIDTHS = [6, 12, 24, 48, 96, 192];

const c4 = getGame('connect4');
const pentago = getGame('pentago');
const c4Shape = (width: number) => ({ inputSize: c4.observationSize, numActions: c4.numActions, width });
const pentagoShape = (width: number) => ({ inputSize: pentago.observationSize, numActions: pentago.numActions, width });

let dir: string;
beforeAll(async () => {
  await selectBackend({ log: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'az-net-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parameter counts', () => {
  it('match the spec table for every width of both games (formula and the built model)', () => {
    for (const [w, expected] of Object.entries(C4_TABLE)) {
      expect(parameterCount(c4Shape(Number(w)))).toBe(expected);
      const net = PolicyValueNetwork.create(c4Shape(Number(w)), 1);
      expect(net.parameterCount).toBe(expected);
      net.dispose();
    }
    for (const [w, expected] of Object.entries(PENTAGO_TABLE)) {
      expect(parameterCount(pentagoShape(Number(w)))).toBe(expected);
      const net = PolicyValueNetwork.create(pentagoShape(Number(w)), 1);
      expect(net.parameterCount).toBe(expected);
      net.dispose();
    }
    for (const w of C4_EXTRA_WIDTHS) {
      const net = PolicyValueNetwork.create(c4Shape(w), 1);
      expect(net.parameterCount).toBe(3 * w * w + 138 * w + 8);
      net.dispose();
    }
  });

  it('counts forward FLOPs as 2·weights + biases', () => {
    // C4 w=4: biases 4·4+7+1 = 24, weights 608-24 = 584.
    expect(forwardFlops(c4Shape(4))).toBe(2 * 584 + 24);
  });
});

describe('network', () => {
  const game = getGame('connect4', { width: 5, height: 4 });
  const shape = { inputSize: game.observationSize, numActions: game.numActions, width: 8 };

  it('masks illegal actions and returns values in [-1, 1]', () => {
    const net = PolicyValueNetwork.create(shape, 3);
    const batch = 3;
    const obs = new Float32Array(batch * shape.inputSize);
    const masks = new Uint8Array(batch * shape.numActions).fill(1);
    masks[0] = 0;
    masks[shape.numActions + 4] = 0;
    let s = game.initialState();
    for (let i = 0; i < batch; i++) {
      game.writeObservation(s, obs, i * shape.inputSize);
      s = game.apply(s, i);
    }
    const { policy, value } = net.predict(obs, masks, batch);
    expect(policy[0]).toBe(0);
    expect(policy[shape.numActions + 4]).toBe(0);
    for (let i = 0; i < batch; i++) {
      const row = policy.subarray(i * shape.numActions, (i + 1) * shape.numActions);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(Math.abs(value[i]!)).toBeLessThanOrEqual(1);
    }
    net.dispose();
  });

  it('masks exactly the illegal actions wherever the masks sit in their buffer (word reads and byte reads agree)', () => {
    // Pentago's 288 actions a row and Connect Four's 7 (rows that end inside a word), masks
    // drawn at random so that every byte of a word matters.
    for (const g of [pentago, c4]) {
      const net = PolicyValueNetwork.create({ inputSize: g.observationSize, numActions: g.numActions, width: 8 }, 5);
      const batch = 5;
      const A = g.numActions;
      const rng = new Rng(8, 'masks');
      const obs = Float32Array.from({ length: batch * g.observationSize }, () => rng.int(2));
      const masks = Uint8Array.from({ length: batch * A }, (_, i) => (i % A === 0 ? 1 : rng.int(2)));
      const aligned = net.predict(obs, masks, batch).policy;
      for (let i = 0; i < batch * A; i++) expect(aligned[i]! > 0).toBe(masks[i] === 1);
      for (const offset of [1, 2, 3, 4]) {
        const shifted = new Uint8Array(offset + masks.length + 3).fill(1);
        shifted.set(masks, offset);
        expect(net.predict(obs, shifted.subarray(offset, offset + masks.length), batch).policy).toEqual(aligned);
      }
      net.dispose();
    }
  });

  it("runs the wasm backend's kernels directly with the engine's bytes: any batch, after weight changes, first called inside a tidy, outputs never written again, or into the caller's arrays", () => {
    const onWasm = tf.getBackend() === 'wasm';
    // Buffer.equals: toEqual goes element by element through its deep equality, ~0.1 s a row set here.
    const sameBytes = (a: Float32Array, b: Float32Array) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    for (const g of [c4, pentago] as AnyGame[]) {
      const net = PolicyValueNetwork.create({ inputSize: g.observationSize, numActions: g.numActions, width: 16 }, 21);
      expect(net.inferencePath).toBe(onWasm ? 'wasm kernels' : 'engine');
      // Rows past the first activations' 64 and their doubling, from seeded play.
      const maxBatch = 150;
      const rng = new Rng(4, 'rows');
      const obs = new Float32Array(maxBatch * g.observationSize);
      const masks = new Uint8Array(maxBatch * g.numActions);
      for (let i = 0; i < maxBatch; i++) {
        const s = randomPosition(g, rng, rng.int(g.maxPlies - 1));
        g.writeObservation(s, obs, i * g.observationSize);
        g.legalMask(s, masks, i * g.numActions);
      }
      // Every array predict() returned, with a copy taken at once: none may be written again later.
      const returned: { array: Float32Array; copy: Float32Array }[] = [];
      const expectEngineBytes = (batch: number) => {
        const direct = net.predict(obs, masks, batch);
        for (const array of [direct.policy, direct.value]) returned.push({ array, copy: array.slice() });
        const engine = net.predictThroughEngine(obs, masks, batch);
        expect(direct.policy.length).toBe(batch * g.numActions);
        expect(direct.value.length).toBe(batch);
        expect(sameBytes(direct.policy, engine.policy), `policy of ${batch} rows`).toBe(true);
        expect(sameBytes(direct.value, engine.value), `value of ${batch} rows`).toBe(true);
        // predictInto(): the same bytes into the first rows of the caller's arrays, the rest untouched.
        const into = { policy: new Float32Array(maxBatch * g.numActions).fill(-7), value: new Float32Array(maxBatch).fill(-7) };
        net.predictInto(obs, masks, batch, into);
        expect(sameBytes(into.policy.subarray(0, batch * g.numActions), engine.policy), `predictInto's policy of ${batch} rows`).toBe(true);
        expect(sameBytes(into.value.subarray(0, batch), engine.value), `predictInto's value of ${batch} rows`).toBe(true);
        expect(into.policy.subarray(batch * g.numActions).every((x) => x === -7) && into.value.subarray(batch).every((x) => x === -7)).toBe(true);
      };
      // The kept activations are made on the first call: a caller's tidy must not take them.
      tf.tidy(() => void net.predict(obs, masks, 1));
      expectEngineBytes(1);
      const tensors = tf.memory().numTensors;
      for (let batch = 2; batch <= maxBatch; batch++) expectEngineBytes(batch);
      // New variable data (a training step, then weights from another network): new kernel ids.
      const adam = new Adam(net.trainableVariables(), { learningRate: 1e-2 });
      const policyTargets = new Float32Array(8 * g.numActions);
      for (let i = 0; i < 8; i++) policyTargets[i * g.numActions + masks.subarray(i * g.numActions).indexOf(1)] = 1;
      adam.apply(net.gradients({ size: 8, observations: obs, legalMasks: masks, policyTargets, valueTargets: new Float32Array(8).fill(1) }, 1e-4));
      adam.dispose();
      for (const batch of [1, 57, 150]) expectEngineBytes(batch);
      const other = PolicyValueNetwork.create({ inputSize: g.observationSize, numActions: g.numActions, width: 16 }, 22);
      net.setFlatWeights(other.getFlatWeights());
      expect(sameBytes(net.predict(obs, masks, 57).policy, other.predict(obs, masks, 57).policy)).toBe(true);
      for (const batch of [1, 57, 150]) expectEngineBytes(batch);
      other.dispose();
      // Calls leave no tensors behind: the activations are reused, and remade only to grow.
      expect(tf.memory().numTensors).toBe(tensors);
      // Pentago's outputs of ~170 calls fill a dozen of the 1 MiB chunks they are copied into.
      expect(returned.every(({ array, copy }) => sameBytes(array, copy))).toBe(true);
      net.dispose();
    }
  });

  it('follows a switch of backends: the engine elsewhere, the wasm kernels again on switching back, with the same bytes', async () => {
    if (tf.getBackend() !== 'wasm') return; // the wasm path is what this is about
    await import('@tensorflow/tfjs-backend-cpu');
    const net = PolicyValueNetwork.create({ inputSize: pentago.observationSize, numActions: pentago.numActions, width: 8 }, 3);
    const batch = 9;
    const rng = new Rng(2, 'switch');
    const obs = Float32Array.from({ length: batch * pentago.observationSize }, () => rng.int(2));
    const masks = new Uint8Array(batch * pentago.numActions).fill(1);
    const before = net.predict(obs, masks, batch);
    try {
      await tf.setBackend('cpu');
      expect(net.inferencePath).toBe('engine');
      const onCpu = net.predict(obs, masks, batch);
      for (let i = 0; i < before.value.length; i++) expect(onCpu.value[i]).toBeCloseTo(before.value[i]!, 5);
      const into = { policy: new Float32Array(onCpu.policy.length), value: new Float32Array(batch) };
      net.predictInto(obs, masks, batch, into);
      expect(into).toEqual(onCpu);
    } finally {
      await tf.setBackend('wasm');
    }
    expect(net.inferencePath).toBe('wasm kernels');
    // The weights live on the cpu backend now: the first call moves them back through the engine.
    for (let k = 0; k < 2; k++) expect(net.predict(obs, masks, batch)).toEqual(before);
    net.dispose();
  });

  it('predicts with the weights it has now: after training steps and setFlatWeights, as plain matMuls do', () => {
    const batch = 4;
    const obs = new Float32Array(batch * shape.inputSize);
    const masks = new Uint8Array(batch * shape.numActions).fill(1);
    masks[2] = 0;
    let s = game.initialState();
    for (let i = 0; i < batch; i++) {
      game.writeObservation(s, obs, i * shape.inputSize);
      s = game.apply(s, (2 * i + 1) % shape.numActions);
    }
    // The same network in plain ops, from the flat weights (kernel, bias per layer, in order).
    const reference = (weights: Float32Array[]) =>
      tf.tidy(() => {
        const dims = [
          [shape.inputSize, shape.width],
          [shape.width, shape.width],
          [shape.width, shape.width],
          [shape.width, shape.numActions],
          [shape.width, shape.width],
          [shape.width, 1],
        ];
        const dense = (x: tf.Tensor2D, layer: number, relu: boolean) => {
          const z = tf.add(tf.matMul(x, tf.tensor2d(weights[2 * layer]!, dims[layer] as [number, number])), tf.tensor1d(weights[2 * layer + 1]!));
          return (relu ? tf.relu(z) : z) as tf.Tensor2D;
        };
        const torso = dense(dense(tf.tensor2d(obs, [batch, shape.inputSize]), 0, true), 1, true);
        const penalty = tf.tensor2d(Float32Array.from(masks, (m) => (m ? 0 : -1e9)), [batch, shape.numActions]);
        const policy = tf.softmax(tf.add(dense(dense(torso, 2, true), 3, false), penalty));
        const value = tf.tanh(dense(dense(torso, 4, true), 5, false));
        return { policy: policy.dataSync() as Float32Array, value: value.dataSync() as Float32Array };
      });
    const expectClose = (got: { policy: Float32Array; value: Float32Array }, want: { policy: Float32Array; value: Float32Array }) => {
      for (let i = 0; i < want.policy.length; i++) expect(got.policy[i]).toBeCloseTo(want.policy[i]!, 5);
      for (let i = 0; i < want.value.length; i++) expect(got.value[i]).toBeCloseTo(want.value[i]!, 5);
    };

    const net = PolicyValueNetwork.create(shape, 11);
    const first = net.predict(obs, masks, batch);
    expectClose(first, reference(net.getFlatWeights()));
    const tensors = tf.memory().numTensors;
    // Training assigns new data to every variable: predict must follow it.
    const adam = new Adam(net.trainableVariables(), { learningRate: 1e-2 });
    const trainingBatch: TrainingBatch = {
      size: batch,
      observations: obs,
      legalMasks: masks,
      policyTargets: Float32Array.from({ length: batch * shape.numActions }, (_, i) => (i % shape.numActions === 3 ? 1 : 0)),
      valueTargets: Float32Array.from({ length: batch }, () => 1),
    };
    for (let k = 0; k < 3; k++) adam.apply(net.gradients(trainingBatch, 1e-4));
    const trained = net.predict(obs, masks, batch);
    expect(trained.policy).not.toEqual(first.policy);
    expectClose(trained, reference(net.getFlatWeights()));
    // Another network given those weights predicts the same bytes.
    const copy = PolicyValueNetwork.create(shape, 99);
    copy.predict(obs, masks, batch);
    copy.setFlatWeights(net.getFlatWeights());
    const copied = copy.predict(obs, masks, batch);
    expect(copied.policy).toEqual(trained.policy);
    expect(copied.value).toEqual(trained.value);
    // Nothing is left behind: replaced kernel views, gradients, the optimizer's moments.
    adam.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    net.dispose();
  });

  it('initialises deterministically from the seed and round-trips through a checkpoint', async () => {
    const a = PolicyValueNetwork.create(shape, 7);
    const b = PolicyValueNetwork.create(shape, 7);
    const c = PolicyValueNetwork.create(shape, 8);
    expect(a.getFlatWeights()).toEqual(b.getFlatWeights());
    expect(a.getFlatWeights()).not.toEqual(c.getFlatWeights());
    await a.save(join(dir, 'a'));
    await b.save(join(dir, 'b'));
    expect(readFileSync(join(dir, 'a', 'weights.bin'))).toEqual(readFileSync(join(dir, 'b', 'weights.bin')));
    expect(readFileSync(join(dir, 'a', 'model.json'), 'utf8')).toBe(readFileSync(join(dir, 'b', 'model.json'), 'utf8'));
    const loaded = await PolicyValueNetwork.load(join(dir, 'a'));
    expect(loaded.shape).toEqual(shape);
    expect(loaded.getFlatWeights()).toEqual(a.getFlatWeights());
    for (const n of [a, b, c, loaded]) n.dispose();
  });

  it('lowers the loss on a fixed batch with a few Adam steps', () => {
    const net = PolicyValueNetwork.create(shape, 11);
    const rng = new Rng(5);
    const size = 32;
    const batch: TrainingBatch = {
      size,
      observations: new Float32Array(size * shape.inputSize),
      legalMasks: new Uint8Array(size * shape.numActions),
      policyTargets: new Float32Array(size * shape.numActions),
      valueTargets: new Float32Array(size),
    };
    for (let i = 0; i < size; i++) {
      let s = game.initialState();
      const plies = rng.int(8);
      for (let p = 0; p < plies && !game.isTerminal(s); p++) {
        const legal = game.legalActions(s);
        s = game.apply(s, legal[rng.int(legal.length)]!);
      }
      game.writeObservation(s, batch.observations, i * shape.inputSize);
      game.legalMask(s, batch.legalMasks, i * shape.numActions);
      const legal = game.legalActions(s);
      const target = legal[rng.int(legal.length)]!;
      batch.policyTargets[i * shape.numActions + target] = 1;
      batch.valueTargets[i] = rng.int(3) - 1;
    }
    const adam = new Adam(net.trainableVariables(), { learningRate: 1e-2 });
    const before = net.evaluateLoss(batch, 1e-4);
    for (let k = 0; k < 30; k++) adam.apply(net.gradients(batch, 1e-4));
    const after = net.evaluateLoss(batch, 1e-4);
    expect(after.total).toBeLessThan(before.total * 0.8);
    expect(after.l2).toBeGreaterThan(0);
    adam.dispose();
    net.dispose();
  });
});
