import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/az/backend.ts';
import { LossMeans } from '../../src/az/loss-means.ts';

beforeAll(async () => {
  await selectBackend({ force: 'cpu', log: () => {} });
});

describe('a step’s loss means', () => {
  it('average each term over the minibatches in their order, whether read already or still in a tensor, and free the tensors', () => {
    const tensors = tf.memory().numTensors;
    const means = new LossMeans();
    means.addValues([1, 0.5, 0.25]);
    means.addTensor(tf.tensor1d([3, 1.5, 0.75]));
    means.addValues(Float32Array.of(0.1, 0.2, 0.3));
    expect(tf.memory().numTensors).toBe(tensors + 1);
    const f32 = (x: number) => Math.fround(x);
    const expected = (policy: number[], value: number[], l2: number[]) => ({
      policy: (policy[0]! + policy[1]! + policy[2]!) / 3,
      value: (value[0]! + value[1]! + value[2]!) / 3,
      l2: (l2[0]! + l2[1]! + l2[2]!) / 3,
    });
    const read = means.read();
    const e = expected([1, 3, f32(0.1)], [0.5, 1.5, f32(0.2)], [0.25, 0.75, f32(0.3)]);
    expect(read).toMatchObject(e);
    expect(read.total).toBe((1 + 0.5 + 0.25 + (3 + 1.5 + 0.75) + (f32(0.1) + f32(0.2) + f32(0.3))) / 3);
    expect(tf.memory().numTensors).toBe(tensors);
    // A read forgets what it read: the next step starts from nothing.
    expect(means.read()).toEqual({ policy: 0, value: 0, l2: 0, total: 0 });
  });

  it('free the tensors not read when disposed, as a failed step does', () => {
    const tensors = tf.memory().numTensors;
    const means = new LossMeans();
    means.addTensor(tf.tensor1d([1, 2, 3]));
    means.addTensor(tf.tensor1d([4, 5, 6]));
    means.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
