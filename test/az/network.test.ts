import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getGame } from '../../src/games/index.ts';
import { selectBackend } from '../../src/az/backend.ts';
import { Adam } from '../../src/az/adam.ts';
import { forwardFlops, parameterCount, PolicyValueNetwork, type TrainingBatch } from '../../src/az/network.ts';
import { Rng } from '../../src/engine/rng.ts';

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
    for (let k = 0; k < 30; k++) adam.apply(net.gradients(batch, 1e-4).grads);
    const after = net.evaluateLoss(batch, 1e-4);
    expect(after.total).toBeLessThan(before.total * 0.8);
    expect(after.l2).toBeGreaterThan(0);
    adam.dispose();
    net.dispose();
  });
});
