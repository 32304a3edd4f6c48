// The paper's policy-value network (OpenSpiel's "mlp" model):
//   torso        2 x (Dense(w) -> ReLU)
//   policy head  Dense(w) -> ReLU -> Dense(A), illegal actions masked before the softmax
//   value head   Dense(w) -> ReLU -> Dense(1) -> tanh        (both heads read the torso)
// Glorot-uniform kernels, zero biases, no batch norm. P(w) = 3w² + (n_in + A + 5)·w + A + 1.
//
// The topology lives in a tfjs-layers model so checkpoints are genuine tfjs artifacts
// (model.json + weights.bin, loadable by tf.loadLayersModel). The hot paths run on the
// layers' variables directly: the training step in core ops, batched inference one fused
// matMul kernel call per layer (fusedDense), or on the wasm backend both on its kernels
// called straight, without the engine (wasm-kernels.ts, gradients-on-wasm.ts). That skips
// the layers executor's and the ops' per-call bookkeeping, which dominates at small widths.
// The mask is not part of the saved graph: the model outputs raw policy logits and the tanh
// value; masking is applied here, as OpenSpiel applies it outside its torso too.

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '../engine/rng.ts';
import { fileSystemHandler } from './checkpoint-io.ts';
import { ForCurrentBackend, wasmBackendOf } from './wasm-backend.ts';
import { HeapKernels } from './heap-kernels.ts';
import { WasmKernels, type Activation } from './wasm-kernels.ts';
import { GradientsOnWasm, type PassTensor } from './gradients-on-wasm.ts';
import { forwardFlops, type NetworkShape } from './network-shape.ts';
import { lossesOf, type LossMeans, type Losses } from './loss-means.ts';

/** Dense layers in a fixed order: the order of initialisation, of flat weights and of the L2 sum. */
const LAYERS = ['torso_1', 'torso_2', 'policy_hidden', 'policy_logits', 'value_hidden', 'value'] as const;
type LayerName = (typeof LAYERS)[number];

/** Whether a Uint32 view reads mask bytes low byte first (writeMaskPenalty's word path). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/** Softmax logits of illegal actions get this added: exp() underflows to exactly 0 in float32. */
const ILLEGAL_LOGIT_PENALTY = -1e9;
const ILLEGAL_LOGIT_PENALTY_BITS = new Int32Array(Float32Array.of(ILLEGAL_LOGIT_PENALTY).buffer)[0]!;

function layerDims(shape: NetworkShape): Record<LayerName, [number, number]> {
  const { inputSize: n, numActions: a, width: w } = shape;
  return {
    torso_1: [n, w],
    torso_2: [w, w],
    policy_hidden: [w, w],
    policy_logits: [w, a],
    value_hidden: [w, w],
    value: [w, 1],
  };
}

export interface Prediction {
  /** Row-major B x A, the masked softmax (exact zeros on illegal actions). */
  policy: Float32Array;
  /** B values in [-1, 1], for the player to move. */
  value: Float32Array;
}

/** One minibatch, row-major. */
export interface TrainingBatch {
  size: number;
  observations: Float32Array; // size x n_in
  legalMasks: Uint8Array; // size x A
  policyTargets: Float32Array; // size x A, rows sum to 1
  valueTargets: Float32Array; // size
}

export interface TrainingOptions {
  learningRate: number;
  /** Coefficient of Σ‖W‖²/2 over kernels (1e-4 in the paper). */
  weightDecay: number;
}

/** What the topology (forward()) is built of: the ops of one way of running it. */
interface LayerOps<T> {
  dense(input: T, name: LayerName, activation: 'relu' | 'linear'): T;
  tanh(input: T): T;
}

interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
}

export class PolicyValueNetwork {
  readonly shape: NetworkShape;
  readonly model: tfl.LayersModel;
  private readonly dense: Record<LayerName, Dense>;
  private penaltyScratch = new Float32Array(0);
  private penaltyBits = new Int32Array(0);
  private maskWords: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private readonly kernelViews = new Map<LayerName, { dataId: object; view: tf.Tensor3D }>();
  /** trainableVariables(), once. */
  private readonly variables: tf.Variable[];
  private readonly engineOps: LayerOps<tf.Tensor3D> = {
    dense: (input, name, activation) => this.fusedDense(input, name, activation),
    tanh: (input) => tf.tanh(input),
  };
  private readonly trainingOps: LayerOps<tf.Tensor2D> = {
    dense: (input, name, activation) => this.trainingDense(input, name, activation),
    tanh: (input) => tf.tanh(input),
  };
  /** The wasm backend's kernels, and the layers on them for inference and training, while it is the backend in use. */
  private readonly wasm = new ForCurrentBackend((backend) => {
    const kernels = WasmKernels.forBackend(backend);
    const pass = GradientsOnWasm.forBackend(backend);
    if (kernels === null || pass === null) return null;
    const onHeap = HeapKernels.of(wasmBackendOf(backend)!);
    const ops: LayerOps<Activation> = {
      dense: (input, name, activation) => kernels.dense(input, this.dense[name].kernel, this.dense[name].bias, activation),
      tanh: (input) => kernels.tanh(input),
    };
    const passOps: LayerOps<PassTensor> = {
      dense: (input, name, activation) => pass.dense(input, this.dense[name].kernel, this.dense[name].bias, activation),
      tanh: (input) => pass.tanh(input),
    };
    return {
      kernels,
      ops,
      pass,
      passOps,
      /** The policy's additive mask, into the backend's heap at HEAP32 index `at`. */
      writePenalty: (masks: Uint8Array, n: number, heap: Int32Array, at: number) => {
        if (onHeap) onHeap.maskPenalty(masks, n, at, ILLEGAL_LOGIT_PENALTY_BITS);
        else this.writeMaskPenalty(masks, n, heap, at);
      },
      dispose: () => {
        kernels.dispose();
        pass.dispose();
      },
    };
  });

  private constructor(model: tfl.LayersModel, shape: NetworkShape) {
    this.model = model;
    this.shape = shape;
    const dense = {} as Record<LayerName, Dense>;
    for (const name of LAYERS) {
      const weights = model.getLayer(name).weights;
      const kernel = weights.find((v) => v.originalName.endsWith('/kernel'));
      const bias = weights.find((v) => v.originalName.endsWith('/bias'));
      if (!kernel || !bias) throw new Error(`network: layer ${name} lacks a kernel or bias`);
      dense[name] = { kernel: kernel.read() as tf.Variable, bias: bias.read() as tf.Variable };
    }
    this.dense = dense;
    this.variables = this.trainableVariables();
  }

  /** A fresh network with Glorot-uniform kernels drawn from `seed` (platform-independent) and zero biases. */
  static create(shape: NetworkShape, seed: number): PolicyValueNetwork {
    const net = new PolicyValueNetwork(buildModel(shape), shape);
    net.setFlatWeights(glorotInit(shape, seed));
    return net;
  }

  /** Loads a checkpoint directory written by save(). */
  static async load(dir: string): Promise<PolicyValueNetwork> {
    const model = await tfl.loadLayersModel(fileSystemHandler(dir));
    const inputShape = model.inputs[0]?.shape;
    const inputSize = inputShape?.[1];
    const width = (model.getLayer('torso_1').getConfig() as { units?: number }).units;
    const numActions = (model.getLayer('policy_logits').getConfig() as { units?: number }).units;
    if (typeof inputSize !== 'number' || typeof width !== 'number' || typeof numActions !== 'number') {
      throw new Error(`${dir}: not a policy-value network checkpoint`);
    }
    return new PolicyValueNetwork(model, { inputSize, numActions, width });
  }

  async save(dir: string): Promise<void> {
    await this.model.save(fileSystemHandler(dir));
  }

  get parameterCount(): number {
    return this.model.countParams();
  }

  get forwardFlops(): number {
    return forwardFlops(this.shape);
  }

  /**
   * The additive mask: 0 on legal actions, ILLEGAL_LOGIT_PENALTY on illegal ones, in a buffer
   * kept between calls, returned as a view: the caller makes its tensor of the shape it needs,
   * disposed before the next call.
   */
  private maskPenalty(masks: Uint8Array, batch: number, numActions: number): Float32Array {
    const n = batch * numActions;
    if (this.penaltyScratch.length < n) {
      this.penaltyScratch = new Float32Array(n);
      this.penaltyBits = new Int32Array(this.penaltyScratch.buffer);
    }
    this.writeMaskPenalty(masks, n, this.penaltyBits, 0);
    return this.penaltyScratch.subarray(0, n);
  }

  /**
   * The additive mask of the first `n` mask bytes, as float32 bits into bits[at ..). Written
   * branch-free (masks are 0/1, and Pentago's follow the occupied cells, which a branch
   * predictor cannot guess: the branchy loop cost ~0.25 µs of a 5.9 µs Pentago self-play
   * simulation). Four mask bytes are read as one little-endian word where the masks start on
   * a word: ~0.77 ns an action against ~1.4 a byte at a time, ~0.18 µs of the ~2.3 µs a
   * Pentago row cost the network at width 16.
   */
  private writeMaskPenalty(masks: Uint8Array, n: number, bits: Int32Array, at: number): void {
    // Integer stores of the float's bits: (1 - 1) & bits = +0, (0 - 1) & bits = the penalty.
    let i = 0;
    if (LITTLE_ENDIAN && masks.byteOffset % 4 === 0) {
      const words = this.wordsOf(masks.buffer);
      const first = masks.byteOffset >> 2;
      const wholeWords = n >> 2;
      for (let w = 0; w < wholeWords; w++, i += 4) {
        const word = words[first + w]!; // mask[i] in its low byte, mask[i + 3] in its high one
        bits[at + i] = ((word & 1) - 1) & ILLEGAL_LOGIT_PENALTY_BITS;
        bits[at + i + 1] = (((word >>> 8) & 1) - 1) & ILLEGAL_LOGIT_PENALTY_BITS;
        bits[at + i + 2] = (((word >>> 16) & 1) - 1) & ILLEGAL_LOGIT_PENALTY_BITS;
        bits[at + i + 3] = (((word >>> 24) & 1) - 1) & ILLEGAL_LOGIT_PENALTY_BITS;
      }
    }
    for (; i < n; i++) bits[at + i] = (masks[i]! - 1) & ILLEGAL_LOGIT_PENALTY_BITS;
  }

  /** The buffer's whole words, as a view kept while callers keep passing masks in the same buffer (self-play's batch, a training batch). */
  private wordsOf(buffer: ArrayBufferLike): Uint32Array {
    if (this.maskWords.buffer !== buffer) this.maskWords = new Uint32Array(buffer, 0, buffer.byteLength >> 2);
    return this.maskWords;
  }

  /**
   * Batched inference: `batch` observations and legal masks, row-major. The arrays returned
   * are this call's alone (copies out of wasm and native memory; the CPU backend's are the
   * disposed output tensors' own), as BatchEvaluator requires. On the wasm backend the pass
   * runs on its kernels directly (wasm-kernels.ts), elsewhere through the engine: the same
   * kernels either way on wasm, so the same bytes.
   */
  predict(observations: Float32Array, legalMasks: Uint8Array, batch: number): Prediction {
    const pass = this.passOnKernels(observations, legalMasks, batch);
    if (pass === null) return this.predictThroughEngine(observations, legalMasks, batch);
    const { kernels, policy, value } = pass;
    return { policy: kernels.read(policy), value: kernels.read(value) };
  }

  /**
   * predict()'s numbers written into out.policy and out.value (their first batch·numActions
   * and batch elements) instead of new arrays: for a caller that keeps them in storage of its
   * own, as the WebAssembly search does, one copy where predict() and a copy of its arrays
   * made two (and the output chunks a Pentago pass filled, ~70 KB a call, to be zeroed again).
   */
  predictInto(observations: Float32Array, legalMasks: Uint8Array, batch: number, out: Prediction): void {
    const pass = this.passOnKernels(observations, legalMasks, batch);
    if (pass === null) {
      const { policy, value } = this.predictThroughEngine(observations, legalMasks, batch);
      out.policy.set(policy);
      out.value.set(value);
      return;
    }
    const { kernels, policy, value } = pass;
    kernels.readInto(policy, out.policy);
    kernels.readInto(value, out.value);
  }

  /** The forward pass on the wasm backend's kernels, its outputs left in wasm memory; null where predict() goes through the engine. */
  private passOnKernels(observations: Float32Array, legalMasks: Uint8Array, batch: number): { kernels: WasmKernels; policy: Activation; value: Activation } | null {
    const wasm = this.wasm.get();
    if (wasm === null || batch === 0 || !wasm.kernels.holds(this.variables)) return null;
    const { kernels, ops } = wasm;
    const { inputSize, numActions } = this.shape;
    kernels.begin(batch);
    const { logits, value } = this.forward(kernels.inputOf(observations, inputSize), ops);
    const penalty = kernels.input(numActions, (heap, at) => wasm.writePenalty(legalMasks, batch * numActions, heap, at));
    return { kernels, policy: kernels.softmax(kernels.add(logits, penalty)), value };
  }

  /** How predict() runs on the backend in use. */
  get inferencePath(): 'wasm kernels' | 'engine' {
    return this.wasm.get() === null ? 'engine' : 'wasm kernels';
  }

  /** predict() through tfjs's engine: on every backend but wasm, and the reference the wasm path is tested against. */
  predictThroughEngine(observations: Float32Array, legalMasks: Uint8Array, batch: number): Prediction {
    const { inputSize, numActions } = this.shape;
    // Tensors out of tidy, arrays read after: tidy walks whatever it returns key by key,
    // which for a typed array means every element.
    const [policy, value] = tf.tidy(() => {
      const x = tf.tensor3d(observations.subarray(0, batch * inputSize), [1, batch, inputSize]);
      const penalty = tf.tensor3d(this.maskPenalty(legalMasks, batch, numActions), [1, batch, numActions]);
      const { logits, value } = this.forward(x, this.engineOps);
      return [tf.softmax(tf.add(logits, penalty)), value];
    });
    try {
      return { policy: policy.dataSync() as Float32Array, value: value.dataSync() as Float32Array };
    } finally {
      policy.dispose();
      value.dispose();
    }
  }

  /**
   * One inference layer, x·W + b and its activation, as ONE call of the backend's fused
   * matMul kernel on [1, rows, n] tensors. tf.fused.matMul runs the same kernel but first
   * reshapes its operands and wraps it for gradients: at width 16 that bookkeeping was ~35%
   * of a forward pass and ~85 of the ~125 KB of garbage a call made, which had the
   * young-generation GC copy the search trees' nodes three times as often. Same kernel, same
   * inputs: the same bytes.
   */
  private fusedDense(input: tf.Tensor3D, name: LayerName, activation: 'relu' | 'linear'): tf.Tensor3D {
    const inputs: tf._FusedMatMulInputs = { a: input, b: this.kernelView(name), bias: this.dense[name].bias };
    const attrs: tf._FusedMatMulAttrs = { transposeA: false, transposeB: false, activation };
    return tf.engine().runKernel(tf._FusedMatMul, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap);
  }

  /**
   * A layer's kernel as the [1, in, out] tensor the fused kernel takes: a view of the
   * variable's data, kept until an update gives the variable new data (assign() does).
   */
  private kernelView(name: LayerName): tf.Tensor3D {
    const kernel = this.dense[name].kernel;
    const cached = this.kernelViews.get(name);
    if (cached !== undefined && cached.dataId === kernel.dataId) return cached.view;
    cached?.view.dispose();
    const [rows, columns] = kernel.shape as [number, number];
    const view = tf.keep(tf.reshape(kernel, [1, rows, columns]) as tf.Tensor3D);
    this.kernelViews.set(name, { dataId: kernel.dataId, view });
    return view;
  }

  /**
   * Policy logits (unmasked) and values: the topology, over the caller's dense layer (x·W + b
   * and its activation) and tanh. Caller owns the tidy scope, if its ops make tensors.
   */
  private forward<T>(x: T, ops: LayerOps<T>): { logits: T; value: T } {
    const torso = ops.dense(ops.dense(x, 'torso_1', 'relu'), 'torso_2', 'relu');
    const logits = ops.dense(ops.dense(torso, 'policy_hidden', 'relu'), 'policy_logits', 'linear');
    const value = ops.tanh(ops.dense(ops.dense(torso, 'value_hidden', 'relu'), 'value', 'linear'));
    return { logits, value };
  }

  /** A training layer: `denseWithGradient`'s backward pass avoids the transposed matMuls that are ~10x slower on wasm. */
  private trainingDense(input: tf.Tensor2D, name: LayerName, activation: 'relu' | 'linear'): tf.Tensor2D {
    const { kernel, bias } = this.dense[name];
    const z = denseWithGradient(input, kernel as tf.Tensor2D, bias as tf.Tensor1D);
    return activation === 'relu' ? tf.relu(z) : z;
  }

  /** The loss terms on a batch without training (for tests and logs). */
  evaluateLoss(batch: TrainingBatch, weightDecay: number): Losses {
    const terms = tf.tidy(() => this.lossTerms(batch, weightDecay));
    try {
      return lossesOf(terms.dataSync());
    } finally {
      terms.dispose();
    }
  }

  /** [policy cross-entropy, value MSE, L2] as one tensor of 3. */
  private lossTerms(batch: TrainingBatch, weightDecay: number): tf.Tensor1D {
    const { inputSize, numActions } = this.shape;
    const n = batch.size;
    const x = tf.tensor2d(batch.observations.subarray(0, n * inputSize), [n, inputSize]);
    const target = tf.tensor2d(batch.policyTargets.subarray(0, n * numActions), [n, numActions]);
    const z = tf.tensor2d(batch.valueTargets.subarray(0, n), [n, 1]);
    const { logits, value } = this.forward(x, this.trainingOps);
    const penalty = tf.tensor2d(this.maskPenalty(batch.legalMasks, n, numActions), [n, numActions]);
    const logPolicy = tf.logSoftmax(tf.add(logits, penalty));
    // Targets are 0 on illegal actions, whose log-probabilities are finite (about -1e9): 0·x = 0.
    const policyLoss = tf.neg(tf.mean(tf.sum(tf.mul(target, logPolicy), 1)));
    const valueLoss = tf.mean(tf.square(tf.sub(value, z)));
    let sumSquares: tf.Tensor = tf.scalar(0);
    for (const name of LAYERS) sumSquares = tf.add(sumSquares, tf.sum(tf.square(this.dense[name].kernel)));
    const l2 = tf.mul(sumSquares, weightDecay / 2);
    return tf.stack([policyLoss, valueLoss, l2]) as tf.Tensor1D;
  }

  /** Variables in the fixed order kernel, bias of each layer: the optimizer's order too. */
  trainableVariables(): tf.Variable[] {
    return LAYERS.flatMap((name) => [this.dense[name].kernel, this.dense[name].bias]);
  }

  /**
   * Gradients of the total loss, in trainableVariables() order; the caller disposes them. The
   * loss terms go to `losses`, to be read when the step ends. On the wasm backend the pass
   * runs on its kernels directly (gradients-on-wasm.ts), elsewhere through the engine: the
   * same kernels on the same values either way on wasm, so the same bytes.
   */
  gradients(batch: TrainingBatch, weightDecay: number, losses?: LossMeans): tf.Tensor[] {
    const wasm = this.wasm.get();
    if (wasm === null || batch.size === 0 || !wasm.kernels.holds(this.variables)) return this.gradientsThroughEngine(batch, weightDecay, losses);
    const { pass, passOps, writePenalty } = wasm;
    const { inputSize, numActions } = this.shape;
    const n = batch.size;
    const { logits, value } = this.forward(pass.input(batch.observations, n, inputSize), passOps);
    const { terms, grads } = pass.finish(logits, value, {
      rows: n,
      numActions,
      writePenalty: (heap, at) => writePenalty(batch.legalMasks, n * numActions, heap, at),
      policyTargets: batch.policyTargets,
      valueTargets: batch.valueTargets,
      kernels: LAYERS.map((name) => this.dense[name].kernel),
      weightDecay,
    });
    losses?.addValues(terms);
    return this.variables.map((v) => grads.get(v)!);
  }

  /** gradients() through tfjs's engine: on every backend but wasm, and the reference the wasm path is tested against. */
  gradientsThroughEngine(batch: TrainingBatch, weightDecay: number, losses?: LossMeans): tf.Tensor[] {
    const vars = this.variables;
    const { value, grads } = tf.variableGrads(() => {
      const terms = this.lossTerms(batch, weightDecay);
      // Kept past variableGrads' tidy, unread: the step reads its minibatches' terms at its end.
      losses?.addTensor(tf.keep(terms));
      return tf.sum(terms) as tf.Scalar;
    }, vars);
    // Left undisposed, the summed loss was one tensor a minibatch.
    value.dispose();
    return vars.map((v) => grads[v.name]!);
  }

  /** All weights as float32 arrays in trainableVariables() order (for copies to workers). */
  getFlatWeights(): Float32Array[] {
    return this.variables.map((v) => v.dataSync() as Float32Array).map((a) => a.slice());
  }

  setFlatWeights(values: readonly Float32Array[]): void {
    const vars = this.variables;
    if (values.length !== vars.length) throw new Error(`network: expected ${vars.length} weight arrays, got ${values.length}`);
    tf.tidy(() => {
      vars.forEach((v, i) => {
        const data = values[i]!;
        if (data.length !== v.size) throw new Error(`network: weight ${v.name} needs ${v.size} values, got ${data.length}`);
        v.assign(tf.tensor(data, v.shape, 'float32'));
      });
    });
  }

  dispose(): void {
    this.wasm.dispose();
    for (const { view } of this.kernelViews.values()) view.dispose();
    this.kernelViews.clear();
    this.model.dispose();
  }
}

/**
 * x·W + b with a hand-written gradient: dX = dY·transpose(W), dW = transpose(X)·dY, db = Σ dY.
 * tfjs's own matMul gradient multiplies with transposeA/transposeB flags, which the wasm
 * backend runs about ten times slower than an explicit transpose followed by a plain matMul
 * (measured 60-86 ms against 7-8 ms for 1024x256x256); the values are the same either way.
 */
const denseWithGradient = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy), tf.sum(dy, 0)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/** Layer names are fixed so saved weight names, and so checkpoint bytes, never depend on how many models a process built. */
function buildModel(shape: NetworkShape): tfl.LayersModel {
  const { inputSize, numActions, width } = shape;
  // Zeros here; the real initial values come from our own seeded Glorot draw.
  const dense = (units: number, name: LayerName, activation: 'relu' | 'linear' | 'tanh') =>
    tfl.layers.dense({ units, name, activation, kernelInitializer: 'zeros', biasInitializer: 'zeros' });
  const input = tfl.input({ shape: [inputSize], name: 'observation' });
  const torso = dense(width, 'torso_2', 'relu').apply(dense(width, 'torso_1', 'relu').apply(input)) as tfl.SymbolicTensor;
  const logits = dense(numActions, 'policy_logits', 'linear').apply(
    dense(width, 'policy_hidden', 'relu').apply(torso),
  ) as tfl.SymbolicTensor;
  const value = dense(1, 'value', 'tanh').apply(dense(width, 'value_hidden', 'relu').apply(torso)) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [logits, value], name: 'alphazero_mlp' });
}

/** Glorot-uniform kernels U(±√(6/(fan_in+fan_out))) from the seed, zero biases; flat, in LAYERS order. */
export function glorotInit(shape: NetworkShape, seed: number): Float32Array[] {
  const rng = new Rng(seed, 'az/network/glorot');
  const dims = layerDims(shape);
  const out: Float32Array[] = [];
  for (const name of LAYERS) {
    const [fanIn, fanOut] = dims[name];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const kernel = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < kernel.length; i++) kernel[i] = (rng.next() * 2 - 1) * limit;
    out.push(kernel, new Float32Array(fanOut));
  }
  return out;
}
