// One Adam update of every variable through the wasm backend's kernels (wasm-backend.ts).
// Through the engine, adam.ts's 13 ops a variable, each with a scalar tensor made for its
// constant, took 1.2-1.9 ms of a training minibatch at the study's widths, as much as a
// quarter of the minibatch. The kernels here are the engine path's, fed the same values in
// the same order, so the bytes are too (a test holds them equal).
//
// The moments are updated in their own memory: no kernel caches anything by their tensor ids.
// The variables are not: the fused matMul caches its weights packed under the kernel's and the
// bias's tensor ids, so every update goes to new data, assigned as the engine path assigns it.

import * as tf from '@tensorflow/tfjs-core';
import { DType, holdsAll, keepForKernels, tensorOf, wasmBackendOf, type KeptTensor, type WasmBackend } from './wasm-backend.ts';

export interface AdamConstants {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Per variable: its shape in wasm memory and three scratch tensors of its size. */
interface PerVariable {
  shape: number[];
  shapeAt: number;
  scratch: [KeptTensor, KeptTensor, KeptTensor];
}

export class AdamOnWasm {
  private readonly backend: WasmBackend;
  private readonly variables: readonly tf.Variable[];
  private readonly perVariable: PerVariable[];
  // The scalars the engine path makes per op, here kept: β1, 1-β1, β2, 1-β2, ε, and the step size.
  private readonly beta1: KeptTensor;
  private readonly oneMinusBeta1: KeptTensor;
  private readonly beta2: KeptTensor;
  private readonly oneMinusBeta2: KeptTensor;
  private readonly epsilon: KeptTensor;
  private readonly stepSize: KeptTensor;

  private constructor(backend: WasmBackend, variables: readonly tf.Variable[], constants: AdamConstants) {
    this.backend = backend;
    this.variables = variables;
    const scalar = (value: number) => keepForKernels(backend, tf.scalar(value, 'float32'));
    this.beta1 = scalar(constants.beta1);
    this.oneMinusBeta1 = scalar(1 - constants.beta1);
    this.beta2 = scalar(constants.beta2);
    this.oneMinusBeta2 = scalar(1 - constants.beta2);
    this.epsilon = scalar(constants.epsilon);
    this.stepSize = scalar(0);
    this.perVariable = variables.map((x) => {
      const shapeAt = backend.wasm._malloc(4 * Math.max(1, x.rank)) >>> 0;
      backend.wasm.HEAP32.set(x.shape, shapeAt >> 2);
      const scratch = () => keepForKernels(backend, tf.zeros(x.shape));
      return { shape: [...x.shape], shapeAt, scratch: [scratch(), scratch(), scratch()] };
    });
  }

  /** The update for `variables` on `backend` if it is tfjs-backend-wasm with the kernels this calls, else null. */
  static forBackend(backend: tf.KernelBackend, variables: readonly tf.Variable[], constants: AdamConstants): AdamOnWasm | null {
    const wasm = wasmBackendOf(backend);
    return wasm === null ? null : new AdamOnWasm(wasm, variables, constants);
  }

  holds(tensors: readonly tf.Tensor[]): boolean {
    return holdsAll(this.backend, tensors);
  }

  /** As Adam's engine path: m ← β1·m + (1-β1)·g, v ← β2·v + (1-β2)·g², x ← x − m / (√v + ε) · stepSize. */
  apply(m: readonly tf.Variable[], v: readonly tf.Variable[], grads: readonly tf.Tensor[], stepSize: number): void {
    const { wasm, dataIdMap } = this.backend;
    const idOf = (t: tf.Tensor) => dataIdMap.get(t.dataId).id;
    wasm.HEAPF32[this.stepSize.at] = stepSize;
    const F32 = DType.FLOAT32;
    this.variables.forEach((x, i) => {
      const { shape, shapeAt: s, scratch } = this.perVariable[i]!;
      const rank = shape.length;
      const [a, b, c] = [scratch[0].id, scratch[1].id, scratch[2].id];
      const [mi, vi, g] = [idOf(m[i]!), idOf(v[i]!), idOf(grads[i]!)];
      // A scalar's shape is rank 0: any address will do, none is read.
      wasm._Multiply(mi, s, rank, this.beta1.id, s, 0, F32, a);
      wasm._Multiply(g, s, rank, this.oneMinusBeta1.id, s, 0, F32, b);
      wasm._Add(a, s, rank, b, s, rank, F32, mi);
      wasm._Multiply(vi, s, rank, this.beta2.id, s, 0, F32, a);
      wasm._Square(g, F32, b);
      wasm._Multiply(b, s, rank, this.oneMinusBeta2.id, s, 0, F32, c);
      wasm._Add(a, s, rank, c, s, rank, F32, vi);
      wasm._Sqrt(vi, F32, a);
      wasm._Add(a, s, rank, this.epsilon.id, s, 0, F32, b);
      wasm._RealDiv(mi, s, rank, b, s, rank, F32, c);
      wasm._Multiply(c, s, rank, this.stepSize.id, s, 0, F32, a);
      const updated = tensorOf(this.backend, this.backend.makeOutput(shape, 'float32'));
      wasm._Sub(idOf(x), s, rank, a, s, rank, F32, idOf(updated));
      x.assign(updated);
      updated.dispose();
    });
  }

  dispose(): void {
    for (const kept of [this.beta1, this.oneMinusBeta1, this.beta2, this.oneMinusBeta2, this.epsilon, this.stepSize]) kept.tensor.dispose();
    for (const { shapeAt, scratch } of this.perVariable) {
      this.backend.wasm._free(shapeAt);
      for (const kept of scratch) kept.tensor.dispose();
    }
  }
}
