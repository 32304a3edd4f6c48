// One Adam update of every variable in the wasm backend's memory, one pass a variable
// (heap-kernels.ts adamInto). Through the engine, adam.ts's ops a variable, each with a scalar
// tensor made for its constant, took 1.2-1.9 ms of a training minibatch at the study's widths,
// as much as a quarter of the minibatch. The pass computes the engine path's ops in its order,
// each rounded to float32 as the backend's kernels round it, so the bits are the same (a test
// holds them equal).
//
// The moments are updated in their own memory: no kernel caches anything by their tensor ids.
// The variables are not: the fused matMul caches its weights packed under the kernel's and the
// bias's tensor ids, so every update goes to new data, assigned as the engine path assigns it.

import * as tf from '@tensorflow/tfjs-core';
import { HeapKernels } from './heap-kernels.ts';
import { holdsAll, locate, tensorOf, wasmBackendOf, type WasmBackend } from './wasm-backend.ts';

export interface AdamConstants {
  beta1: number;
  beta2: number;
  epsilon: number;
}

export class AdamOnWasm {
  private constructor(
    private readonly backend: WasmBackend,
    private readonly kernels: HeapKernels,
    private readonly variables: readonly tf.Variable[],
    private readonly constants: AdamConstants,
  ) {}

  /** The update for `variables` on `backend` if it is tfjs-backend-wasm with its memory in reach, else null. */
  static forBackend(backend: tf.KernelBackend, variables: readonly tf.Variable[], constants: AdamConstants): AdamOnWasm | null {
    const wasm = wasmBackendOf(backend);
    const kernels = wasm === null ? null : HeapKernels.of(wasm);
    return kernels === null ? null : new AdamOnWasm(wasm!, kernels, variables, constants);
  }

  holds(tensors: readonly tf.Tensor[]): boolean {
    return holdsAll(this.backend, tensors);
  }

  /** As Adam's engine path: m ← β1·m + (1-β1)·g, v ← β2·v + (1-β2)·g², x ← x − m / (√v + ε) · stepSize, subnormals stored as +0. */
  apply(m: readonly tf.Variable[], v: readonly tf.Variable[], grads: readonly tf.Tensor[], stepSize: number): void {
    const { beta1, beta2, epsilon } = this.constants;
    // Rounded to float32 where the engine path makes its scalar tensors: 1 - β in float64 first.
    const scalars = { beta1, oneMinusBeta1: 1 - beta1, beta2, oneMinusBeta2: 1 - beta2, epsilon, stepSize };
    const at = (t: tf.Tensor) => locate(this.backend, t.dataId).at;
    this.variables.forEach((x, i) => {
      const updated = tensorOf(this.backend, this.backend.makeOutput(x.shape, 'float32'));
      this.kernels.adam(at(x), at(grads[i]!), at(m[i]!), at(v[i]!), at(updated), x.size, scalars);
      x.assign(updated);
      updated.dispose();
    });
  }

  /** Nothing to free: the pass keeps no memory of its own, and the kernels stay with the backend. */
  dispose(): void {}
}
