// Training's loss and gradients straight through the wasm backend's kernels (wasm-backend.ts).
// Through the engine a minibatch ran 236 kernels: 58 of them Identity copies that customGrad
// and variableGrads make, many more multiplications by tensors of ones, each kernel with its
// engine bookkeeping, which at the study's widths cost more than the arithmetic.
//
// This runs the arithmetic kernels of the engine's pass (network.ts, lossTerms and
// denseWithGradient, and tfjs's gradients of its ops) on the same values in the same shapes,
// so the bytes are the same (a test holds them equal). What it leaves out changes no value:
// copies, and products with exact ones. Where the engine fills a tensor with one value before
// it multiplies (a mean's gradient, the L2 coefficient), the value is broadcast instead: each
// element is still the one float32 product of the same two numbers. What it does otherwise
// gives the same bits too: exp, transposes and row reductions on heap-kernels.ts (probed
// against the kernels they stand in for), and a wide layer's kernel gradient as a product of
// transposes (kernelGradient).
//
// Every tensor of a pass is new, as the engine's are: the backend's matMul caches its right
// operand packed under the operand's tensor id, so a kept tensor written again would be read
// stale. The pass disposes them all at its end; the gradients go to the caller as tensors.

import * as tf from '@tensorflow/tfjs-core';
import { DType, locate, tensorOf, wasmBackendOf, type WasmBackend } from './wasm-backend.ts';
import { HeapKernels } from './heap-kernels.ts';

/** One tensor of a pass: its data in the backend, and the shape the engine's would have. */
export interface PassTensor {
  readonly dataId: object;
  readonly id: number;
  /** Index of its first float in HEAPF32. */
  readonly at: number;
  readonly shape: readonly number[];
}

/** What the backward pass needs of a dense layer (x·W + b and its activation). */
interface DenseStep {
  kind: 'dense';
  x: PassTensor;
  kernel: tf.Variable;
  bias: tf.Variable;
  /** x·W + b, before the activation (relu's gradient reads it). */
  z: PassTensor;
  relu: boolean;
  out: PassTensor;
}

interface TanhStep {
  kind: 'tanh';
  x: PassTensor;
  y: PassTensor;
}

/** The loss's inputs beyond the network's outputs, row-major as TrainingBatch holds them. */
export interface LossInputs {
  rows: number;
  numActions: number;
  /** Writes the additive mask's float32 bits into heap[at ..) (network.ts, writeMaskPenalty). */
  writePenalty: (heap: Int32Array, at: number) => void;
  policyTargets: Float32Array;
  valueTargets: Float32Array;
  /** Every kernel, in the order of the L2 term's sum: Σ‖W‖² · weightDecay/2. */
  kernels: readonly tf.Variable[];
  weightDecay: number;
}

export interface PassResult {
  /** policy cross-entropy, value MSE, L2: the float32 values the engine's terms hold. */
  terms: [number, number, number];
  /** Gradient of the total loss per variable; the caller disposes them. */
  grads: Map<tf.Variable, tf.Tensor>;
}

/** Shape words in wasm memory: two operands' shapes of rank ≤ 4 (words 0 and 4), and a permutation (word 8). */
const SHAPE_WORDS = 12;

export class GradientsOnWasm {
  private readonly backend: WasmBackend;
  /** Byte address of SHAPE_WORDS int32s the kernels read shapes from. */
  private readonly shapes: number;
  private temps: PassTensor[] = [];
  private tape: (DenseStep | TanhStep)[] = [];

  private constructor(backend: WasmBackend) {
    this.backend = backend;
    this.shapes = backend.wasm._malloc(4 * SHAPE_WORDS) >>> 0;
  }

  /** Kernels of `backend` if it is tfjs-backend-wasm with the entry points this module calls, else null. */
  static forBackend(backend: tf.KernelBackend): GradientsOnWasm | null {
    const wasm = wasmBackendOf(backend);
    return wasm === null ? null : new GradientsOnWasm(wasm);
  }

  /** A [rows, columns] tensor of the pass holding the first rows·columns of `values`. */
  input(values: Float32Array, rows: number, columns: number): PassTensor {
    const t = this.make([rows, columns]);
    this.backend.wasm.HEAPF32.set(values.subarray(0, rows * columns), t.at);
    return t;
  }

  /** x·kernel + bias and the activation, as training's dense layer runs it: a matMul, a broadcast add, relu. */
  dense(x: PassTensor, kernel: tf.Variable, bias: tf.Variable, activation: 'relu' | 'linear'): PassTensor {
    const z = this.add(this.matMul(x, this.variable(kernel)), this.variable(bias));
    const out = activation === 'relu' ? this.unary(this.backend.wasm._Relu, z) : z;
    this.tape.push({ kind: 'dense', x, kernel, bias, z, relu: activation === 'relu', out });
    return out;
  }

  tanh(x: PassTensor): PassTensor {
    const y = this.unary(this.backend.wasm._Tanh, x);
    this.tape.push({ kind: 'tanh', x, y });
    return y;
  }

  /**
   * The loss terms over the network's outputs (masked log-softmax cross-entropy, value MSE,
   * L2 over the kernels), and the gradient of their sum with respect to every variable that
   * dense() saw, back through what dense() and tanh() recorded. Ends the pass.
   */
  finish(logits: PassTensor, value: PassTensor, loss: LossInputs): PassResult {
    try {
      return this.lossAndGradients(logits, value, loss);
    } finally {
      this.release();
    }
  }

  dispose(): void {
    this.release();
    this.backend.wasm._free(this.shapes);
  }

  /** Ends the pass: its tensors go, but for the gradients handed out. */
  private release(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps = [];
    this.tape = [];
  }

  private lossAndGradients(logits: PassTensor, value: PassTensor, loss: LossInputs): PassResult {
    const { rows: n, numActions } = loss;
    const wasm = this.backend.wasm;
    const one = this.scalar(1);
    const two = this.scalar(2);
    const count = this.scalar(n);
    const halfDecay = this.scalar(loss.weightDecay / 2);

    // Forward, as lossTerms: logSoftmax(logits + penalty) as tfjs computes it (x − max, then
    // minus the log of the sum of exponentials), the mean over rows of Σ target·logPolicy,
    // negated; the mean of (value − z)²; Σ over kernels of Σ W², times weightDecay/2.
    const penalty = this.make([n, numActions]);
    loss.writePenalty(wasm.HEAP32, penalty.at);
    const masked = this.add(logits, penalty);
    const shifted = this.sub(masked, this.reduce('max', masked, 'last', true));
    const logPolicy = this.sub(shifted, this.unary(wasm._Log, this.reduce('sum', this.exp(shifted), 'last', true)));
    const targets = this.input(loss.policyTargets, n, numActions);
    const policyLoss = this.unary(wasm._Neg, this.reduce('mean', this.reduce('sum', this.multiply(targets, logPolicy), 'last'), 'all'));
    const difference = this.sub(value, this.input(loss.valueTargets, n, 1));
    const valueLoss = this.reduce('mean', this.unary(wasm._Square, difference), 'all');
    let sumSquares = this.scalar(0);
    for (const kernel of loss.kernels) sumSquares = this.add(sumSquares, this.reduce('sum', this.unary(wasm._Square, this.variable(kernel)), 'all'));
    const l2 = this.multiply(sumSquares, halfDecay);
    const heap = wasm.HEAPF32;
    const terms: [number, number, number] = [heap[policyLoss.at]!, heap[valueLoss.at]!, heap[l2.at]!];

    // Backward. Each term's gradient is 1. A mean's gradient is 1/n (−1/n through the
    // policy's negation) in every element; logSoftmax's is dy − Σdy · exp(logPolicy).
    const policyScale = this.divide(this.unary(wasm._Neg, one), count);
    const dLogPolicy = this.multiply(policyScale, targets);
    const dLogits = this.sub(dLogPolicy, this.multiply(this.reduce('sum', dLogPolicy, 'last', true), this.exp(logPolicy)));
    const dValue = this.multiply(this.divide(one, count), this.multiply(difference, two));
    const gradients = new Map<PassTensor, PassTensor>([
      [logits, dLogits],
      [value, dValue],
    ]);
    const grads = new Map<tf.Variable, tf.Tensor>();
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const step = this.tape[i]!;
      const dOut = gradients.get(step.kind === 'dense' ? step.out : step.y);
      if (dOut === undefined) continue;
      if (step.kind === 'tanh') {
        // tanh′ = 1 − y², times dy.
        this.accumulate(gradients, step.x, this.multiply(this.sub(one, this.unary(wasm._Square, step.y)), dOut));
        continue;
      }
      // relu′ is step(z): dy where z > 0, dy·0 elsewhere. Then denseWithGradient's
      // dX = dz·transpose(W), dW = transpose(X)·dz, db = Σ over rows of dz.
      const dz = step.relu ? this.multiply(dOut, this.step(step.z)) : dOut;
      const kernel = this.variable(step.kernel);
      if (this.recorded(step.x)) this.accumulate(gradients, step.x, this.matMul(dz, this.transpose(kernel)));
      const dzTransposed = this.transpose(dz);
      const dKernel = this.kernelGradient(step.x, dz, dzTransposed);
      const dBias = this.reduce('sum', dzTransposed, 'last');
      // Square's gradient is dy·2W, and the L2 sum's dy is weightDecay/2 in every element.
      const decay = loss.kernels.includes(step.kernel) ? this.multiply(halfDecay, this.multiply(kernel, two)) : null;
      grads.set(step.kernel, this.keep(decay === null ? dKernel : this.add(decay, dKernel), step.kernel.shape));
      grads.set(step.bias, this.keep(dBias, step.bias.shape));
    }
    return { terms, grads };
  }

  /**
   * transpose(x)·dz, a kernel's gradient. matMul packs its right operand anew for every
   * product of a pass (each tensor is new), and packing dz, [rows, outputs], cost more than
   * the product where a layer has more outputs than inputs: ~0.25 ms of a Pentago policy
   * head's 288 columns. There it is transpose(transpose(dz)·x), which packs x instead: the
   * same products summed in the same order, so the same bits (a test holds them equal).
   */
  private kernelGradient(x: PassTensor, dz: PassTensor, dzTransposed: PassTensor): PassTensor {
    const inputs = x.shape[1]!;
    const outputs = dz.shape[1]!;
    return outputs > inputs ? this.transpose(this.matMul(dzTransposed, x)) : this.matMul(this.transpose(x), dz);
  }

  /** Whether a recorded layer made `x` (the network's input needs no gradient). */
  private recorded(x: PassTensor): boolean {
    return this.tape.some((step) => (step.kind === 'dense' ? step.out : step.y) === x);
  }

  /** Sums the gradients `x` gets from each consumer (two for the torso's output: the heads). */
  private accumulate(gradients: Map<PassTensor, PassTensor>, x: PassTensor, dx: PassTensor): void {
    const earlier = gradients.get(x);
    gradients.set(x, earlier === undefined ? dx : this.add(earlier, dx));
  }

  /** A gradient as a tensor of the caller's: a new tensor on the same data, which the pass no longer disposes. */
  private keep(t: PassTensor, shape: readonly number[]): tf.Tensor {
    this.temps.splice(this.temps.indexOf(t), 1);
    return tensorOf(this.backend, { dataId: t.dataId, shape: [...shape], dtype: 'float32' });
  }

  /** A variable's data as an operand: not the pass's to dispose. */
  private variable(v: tf.Variable): PassTensor {
    return { dataId: v.dataId, ...locate(this.backend, v.dataId), shape: v.shape };
  }

  private make(shape: readonly number[]): PassTensor {
    const info = this.backend.makeOutput([...shape], 'float32');
    const t = { dataId: info.dataId, ...locate(this.backend, info.dataId), shape };
    this.temps.push(t);
    return t;
  }

  private scalar(value: number): PassTensor {
    const t = this.make([]);
    this.backend.wasm.HEAPF32[t.at] = value;
    return t;
  }

  private unary(kernel: (xId: number, dtype: number, outId: number) => void, x: PassTensor): PassTensor {
    const out = this.make(x.shape);
    kernel(x.id, DType.FLOAT32, out.id);
    return out;
  }

  /** The backend's Exp, bit for bit: on heap-kernels.ts where it has those bits. */
  private exp(x: PassTensor): PassTensor {
    const out = this.make(x.shape);
    if (!HeapKernels.of(this.backend)?.exp(x.at, out.at, x.shape.reduce((a, b) => a * b, 1))) this.backend.wasm._Exp(x.id, DType.FLOAT32, out.id);
    return out;
  }

  private step(x: PassTensor): PassTensor {
    const out = this.make(x.shape);
    this.backend.wasm._Step(x.id, 0, DType.FLOAT32, out.id);
    return out;
  }

  private add(a: PassTensor, b: PassTensor): PassTensor {
    return this.binary(this.backend.wasm._Add, a, b);
  }

  private sub(a: PassTensor, b: PassTensor): PassTensor {
    return this.binary(this.backend.wasm._Sub, a, b);
  }

  private multiply(a: PassTensor, b: PassTensor): PassTensor {
    return this.binary(this.backend.wasm._Multiply, a, b);
  }

  private divide(a: PassTensor, b: PassTensor): PassTensor {
    return this.binary(this.backend.wasm._RealDiv, a, b);
  }

  /** An elementwise kernel with numpy broadcasting, as the backend's binary kernels call it. */
  private binary(
    kernel: (aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, dtype: number, outId: number) => void,
    a: PassTensor,
    b: PassTensor,
  ): PassTensor {
    const out = this.make(tf.broadcast_util.assertAndGetBroadcastShape([...a.shape], [...b.shape]));
    const aShape = this.writeShape(0, a.shape);
    const bShape = this.writeShape(4, b.shape);
    kernel(a.id, aShape, a.shape.length, b.id, bShape, b.shape.length, DType.FLOAT32, out.id);
    return out;
  }

  /** a·b of two matrices, as the backend's BatchMatMul runs it: on [1, m, k] and [1, k, n]. */
  private matMul(a: PassTensor, b: PassTensor): PassTensor {
    const [m, k] = a.shape as [number, number];
    const columns = b.shape[1]!;
    const out = this.make([m, columns]);
    const aShape = this.writeShape(0, [1, m, k]);
    const bShape = this.writeShape(4, [1, k, columns]);
    this.backend.wasm._BatchMatMul(a.id, aShape, 3, b.id, bShape, 3, 0, 0, out.id);
    return out;
  }

  /**
   * A matrix transposed into a new tensor, as the backend's Transpose makes one (by copying
   * where a dimension is 1): matMul's right operand must be new (see the top of this file).
   */
  private transpose(x: PassTensor): PassTensor {
    const [rows, columns] = x.shape as [number, number];
    const out = this.make([columns, rows]);
    if (rows === 1 || columns === 1) {
      const heap = this.backend.wasm.HEAPF32;
      heap.copyWithin(out.at, x.at, x.at + rows * columns);
      return out;
    }
    const heapKernels = HeapKernels.of(this.backend);
    if (heapKernels !== null) {
      heapKernels.transpose(x.at, out.at, rows, columns);
      return out;
    }
    const shape = this.writeShape(0, [rows, columns]);
    const perm = this.writeShape(8, [1, 0]);
    this.backend.wasm._Transpose(x.id, shape, 2, DType.FLOAT32, out.id, perm, 2);
    return out;
  }

  /**
   * A reduction over the last axis of a matrix, or over every element: what the backend's
   * Sum, Max and Mean run for this loss's reductions, whose axes are innermost already (a sum
   * over rows transposes first, as the backend does); sums and maxima on heap-kernels.ts,
   * with those kernels' bits, where it has them. `keepDims` keeps the last axis as 1.
   */
  private reduce(op: 'sum' | 'max' | 'mean', x: PassTensor, over: 'last' | 'all', keepDims = false): PassTensor {
    const size = x.shape.reduce((a, b) => a * b, 1);
    const reduceSize = over === 'all' ? size : x.shape[x.shape.length - 1]!;
    const outer = x.shape.slice(0, -1);
    const out = this.make(over === 'all' ? [] : keepDims ? [...outer, 1] : outer);
    const wasm = this.backend.wasm;
    const heapKernels = HeapKernels.of(this.backend);
    const rows = size / reduceSize;
    if (op === 'sum') {
      if (!heapKernels?.sumRows(x.at, out.at, rows, reduceSize)) wasm._Sum(x.id, reduceSize, DType.FLOAT32, out.id);
    } else if (op === 'max') {
      if (!heapKernels?.maxRows(x.at, out.at, rows, reduceSize)) wasm._Max(x.id, DType.FLOAT32, reduceSize, out.id);
    } else wasm._Mean(x.id, reduceSize, out.id);
    return out;
  }

  /** `shape` as int32s at word `word` of the shape scratch; returns its byte address. */
  private writeShape(word: number, shape: readonly number[]): number {
    const address = this.shapes + 4 * word;
    this.backend.wasm.HEAP32.set(shape, address >> 2);
    return address;
  }
}
