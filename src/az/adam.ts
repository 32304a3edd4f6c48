// Adam as TensorFlow 1's AdamOptimizer (what OpenSpiel 1.0 trained with): epsilon 1e-8 added
// to √v, bias correction folded into the step size. Written out instead of tf.train.adam
// because resuming must be bit-exact: tfjs's Adam recomputes its β-powers with pow() on
// setWeights, which differs in the last bit from the running product it keeps while
// training. Here the step count is the whole state besides m and v, and the powers are
// computed from it in float64 the same way every time. On the wasm backend the update is one
// pass a variable in the backend's memory (adam-on-wasm.ts), with the engine path's bytes.
//
// Subnormal moments and weights are stored as +0, as TensorFlow stores them on a CPU (its thread
// pools set flush-to-zero). A hidden unit that no input activates gets no gradient: its
// first moment decays 0.9 a step and its outgoing weights shrink under weight decay, both into
// subnormals within a few hundred steps. WebAssembly has no flush-to-zero, and x86 takes ~100
// cycles an operation on one: 48 such weights in a Pentago w16 network made its training steps
// 15% slower from step ~400 on, and one row of them made a matMul up to 9x slower.

import * as tf from '@tensorflow/tfjs-core';
import { AdamOnWasm } from './adam-on-wasm.ts';
import { ForCurrentBackend } from './wasm-backend.ts';

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface AdamState {
  step: number;
  /** First and second moments, flat float32, in variable order: m0, v0, m1, v1, … */
  moments: Float32Array[];
}

/**
 * The engine path's constant operands, made once instead of at every minibatch: on a native
 * backend each new tensor and each kernel is a call into TensorFlow, and a GPU launch.
 */
class EngineOperands {
  readonly beta1: tf.Scalar;
  readonly oneMinusBeta1: tf.Scalar;
  readonly beta2: tf.Scalar;
  readonly oneMinusBeta2: tf.Scalar;
  readonly epsilon: tf.Scalar;
  /** The smallest normal float32, 2^-126. */
  readonly smallestNormal: tf.Scalar;
  /** Zeros shaped as each variable: what subnormals become. */
  readonly zeros: tf.Tensor[];

  constructor(vars: readonly tf.Variable[], beta1: number, beta2: number, epsilon: number) {
    this.beta1 = tf.scalar(beta1);
    this.oneMinusBeta1 = tf.scalar(1 - beta1);
    this.beta2 = tf.scalar(beta2);
    this.oneMinusBeta2 = tf.scalar(1 - beta2);
    this.epsilon = tf.scalar(epsilon);
    this.smallestNormal = tf.scalar(2 ** -126);
    this.zeros = vars.map((x) => tf.zerosLike(x));
  }

  /**
   * `t` (variable i's shape) with its subnormal elements, and its zeros, as +0; `nonNegative`
   * when t ≥ 0 holds (v), which spares the abs. The Select kernel is called directly:
   * tf.where() would add three clones, kernels too.
   */
  flushSubnormals(t: tf.Tensor, i: number, nonNegative = false): tf.Tensor {
    const tooSmall = tf.less(nonNegative ? t : tf.abs(t), this.smallestNormal);
    return tf.engine().runKernel<tf.Tensor>(tf.Select, { condition: tooSmall, t: this.zeros[i]!, e: t });
  }

  dispose(): void {
    tf.dispose([this.beta1, this.oneMinusBeta1, this.beta2, this.oneMinusBeta2, this.epsilon, this.smallestNormal, ...this.zeros]);
  }
}

export class Adam {
  private readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly vars: tf.Variable[];
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;
  /** Made at the first update through the engine. */
  private engineOperands: EngineOperands | null = null;
  /** The update through the wasm backend's kernels while it is the backend in use. */
  private readonly onWasm = new ForCurrentBackend((backend) =>
    AdamOnWasm.forBackend(backend, this.vars, { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon }),
  );

  constructor(vars: tf.Variable[], options: AdamOptions) {
    this.lr = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.vars = vars;
    // In tidy: the zero tensors the moments start from would otherwise outlive the optimizer.
    this.m = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)));
    this.v = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)));
  }

  get step(): number {
    return this.t;
  }

  /** Applies one update; `grads` are in the constructor's variable order and are disposed here. */
  apply(grads: tf.Tensor[]): void {
    const onWasm = this.onWasm.get();
    if (onWasm !== null && onWasm.holds([...this.vars, ...this.m, ...this.v, ...grads])) onWasm.apply(this.m, this.v, grads, this.nextStepSize());
    else this.updateThroughEngine(grads);
    for (const g of grads) g.dispose();
  }

  /** apply() through tfjs's engine: on every backend but wasm, and the reference the wasm path is tested against. */
  applyThroughEngine(grads: tf.Tensor[]): void {
    this.updateThroughEngine(grads);
    for (const g of grads) g.dispose();
  }

  private updateThroughEngine(grads: tf.Tensor[]): void {
    const stepSize = this.nextStepSize();
    const c = (this.engineOperands ??= new EngineOperands(this.vars, this.beta1, this.beta2, this.epsilon));
    tf.tidy(() => {
      this.vars.forEach((x, i) => {
        const g = grads[i]!;
        const m = this.m[i]!;
        const v = this.v[i]!;
        const mNew = c.flushSubnormals(tf.add(tf.mul(m, c.beta1), tf.mul(g, c.oneMinusBeta1)), i);
        const vNew = c.flushSubnormals(tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), c.oneMinusBeta2)), i, true);
        m.assign(mNew);
        v.assign(vNew);
        x.assign(c.flushSubnormals(tf.sub(x, tf.mul(tf.div(mNew, tf.add(tf.sqrt(vNew), c.epsilon)), stepSize)), i));
      });
    });
  }

  /** Counts the step and returns its step size. */
  private nextStepSize(): number {
    this.t += 1;
    return (this.lr * Math.sqrt(1 - Math.pow(this.beta2, this.t))) / (1 - Math.pow(this.beta1, this.t));
  }

  getState(): AdamState {
    const moments: Float32Array[] = [];
    this.m.forEach((m, i) => {
      moments.push((m.dataSync() as Float32Array).slice(), (this.v[i]!.dataSync() as Float32Array).slice());
    });
    return { step: this.t, moments };
  }

  setState(state: AdamState): void {
    if (state.moments.length !== 2 * this.vars.length) {
      throw new Error(`adam: state has ${state.moments.length} moment arrays, expected ${2 * this.vars.length}`);
    }
    tf.tidy(() => {
      this.m.forEach((m, i) => {
        m.assign(tf.tensor(state.moments[2 * i]!, m.shape, 'float32'));
        this.v[i]!.assign(tf.tensor(state.moments[2 * i + 1]!, m.shape, 'float32'));
      });
    });
    this.t = state.step;
  }

  dispose(): void {
    this.onWasm.dispose();
    this.engineOperands?.dispose();
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
