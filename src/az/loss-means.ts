// A training step's loss, the mean over its minibatches, read once when the step ends. On a
// native backend reading a tensor makes the host wait until the device has finished all the
// work queued before it; reading each minibatch's loss as it was computed made every
// minibatch wait for the one before, so the device idled while the host queued the next.

import { Tensor } from '@tensorflow/tfjs-core';

export interface Losses {
  policy: number;
  value: number;
  l2: number;
  total: number;
}

/** The losses of one minibatch's terms [policy cross-entropy, value MSE, L2]. */
export function lossesOf(terms: ArrayLike<number>): Losses {
  const [policy, value, l2] = [terms[0]!, terms[1]!, terms[2]!];
  return { policy, value, l2, total: policy + value + l2 };
}

export class LossMeans {
  /** Each minibatch's losses in order, or its terms in a tensor still to read (kept, owned here). */
  private entries: (Losses | Tensor)[] = [];

  /** Adds a minibatch's terms, read already. */
  addValues(terms: ArrayLike<number>): void {
    this.entries.push(lossesOf(terms));
  }

  /** Adds a minibatch's terms in a tensor, owned here from now on. */
  addTensor(terms: Tensor): void {
    this.entries.push(terms);
  }

  /** The mean of each loss over the minibatches added since the last read (zeros for none); forgets them. */
  read(): Losses {
    const sum: Losses = { policy: 0, value: 0, l2: 0, total: 0 };
    const count = this.entries.length;
    try {
      // Summed in minibatch order, in float64: the same numbers whichever way they came.
      for (const entry of this.entries) {
        const losses = entry instanceof Tensor ? lossesOf(entry.dataSync()) : entry;
        sum.policy += losses.policy;
        sum.value += losses.value;
        sum.l2 += losses.l2;
        sum.total += losses.total;
      }
    } finally {
      this.dispose();
    }
    const mean = (x: number) => (count > 0 ? x / count : 0);
    return { policy: mean(sum.policy), value: mean(sum.value), l2: mean(sum.l2), total: mean(sum.total) };
  }

  /** Frees the tensors not read yet. */
  dispose(): void {
    for (const entry of this.entries) if (entry instanceof Tensor) entry.dispose();
    this.entries = [];
  }
}
