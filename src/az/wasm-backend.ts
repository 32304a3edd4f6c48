// What this project calls of tfjs-backend-wasm's internals, to run its kernels without tfjs's
// engine in between (wasm-kernels.ts for inference, gradients-on-wasm.ts for training's loss
// and gradients, adam-on-wasm.ts for the optimizer): the emscripten module's entry points,
// with the argument lists of the backend's 4.x kernels, and the map from tensors' data ids to
// the backend's tensor ids and wasm memory.
//
// At the study's widths the engine's bookkeeping per op (a kernel lookup, tensor objects, a
// data-id registration, shapes copied onto the wasm stack) costs more than the arithmetic.
// The kernels called directly are the ones the engine would run, on the same inputs, so the
// bytes are the same. wasmBackendOf() answers null where the internals are not what this
// expects; callers then take the engine: slower, never wrong.

import * as tf from '@tensorflow/tfjs-core';

type Binary = (aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, dtype: number, outId: number) => void;
type Unary = (xId: number, dtype: number, outId: number) => void;

export interface WasmModule {
  /** The instance's exports: its WebAssembly.Memory, which heap-kernels.ts's module imports. */
  asm?: { memory?: object };
  HEAP32: Int32Array;
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  __FusedMatMul(
    aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number,
    transposeA: number, transposeB: number, activation: number, biasId: number, preluId: number, leakyAlpha: number, outId: number,
  ): void;
  _BatchMatMul(aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, transposeA: number, transposeB: number, outId: number): void;
  _Transpose(xId: number, xShape: number, rank: number, dtype: number, outId: number, perm: number, permLength: number): void;
  _Softmax(xId: number, outId: number, channels: number, batch: number): void;
  _Sum(xId: number, reduceSize: number, dtype: number, outId: number): void;
  _Max(xId: number, dtype: number, reduceSize: number, outId: number): void;
  _Mean(xId: number, reduceSize: number, outId: number): void;
  _Step(xId: number, alpha: number, dtype: number, outId: number): void;
  _Add: Binary;
  _Sub: Binary;
  _Multiply: Binary;
  _RealDiv: Binary;
  _Tanh: Unary;
  _Sqrt: Unary;
  _Square: Unary;
  _Relu: Unary;
  _Exp: Unary;
  _Log: Unary;
  _Neg: Unary;
}

export interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { has(dataId: object): boolean; get(dataId: object): { id: number; memoryOffset: number } };
  /** A new tensor's data in wasm memory (what a kernel's output gets). */
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  /** Frees a tensor's data that no engine tensor holds (one makeOutput made). */
  disposeData(dataId: object): boolean;
}

// The backend's own codes (its FusableActivation and CppDType enums).
export const enum FusedActivation {
  LINEAR = 0,
  RELU = 1,
}
export const enum DType {
  FLOAT32 = 0,
}

const ENTRY_POINTS = [
  '_malloc', '_free', '__FusedMatMul', '_BatchMatMul', '_Transpose', '_Softmax', '_Sum', '_Max', '_Mean', '_Step',
  '_Add', '_Sub', '_Multiply', '_RealDiv', '_Tanh', '_Sqrt', '_Square', '_Relu', '_Exp', '_Log', '_Neg',
] as const;

/** `backend` as tfjs-backend-wasm with everything this project calls, else null. */
export function wasmBackendOf(backend: tf.KernelBackend): WasmBackend | null {
  const candidate = backend as unknown as Partial<WasmBackend>;
  const wasm = candidate.wasm as Partial<WasmModule> | undefined | null;
  if (wasm === undefined || wasm === null || typeof candidate.makeOutput !== 'function' || typeof candidate.disposeData !== 'function') return null;
  if (typeof candidate.dataIdMap?.get !== 'function' || typeof candidate.dataIdMap.has !== 'function') return null;
  if (!ENTRY_POINTS.every((name) => typeof wasm[name] === 'function')) return null;
  if (!(wasm.HEAPF32 instanceof Float32Array) || !(wasm.HEAP32 instanceof Int32Array)) return null;
  return candidate as WasmBackend;
}

/** A tensor kept out of every tidy scope, with its tensor id and the index of its first float in HEAPF32. */
export interface KeptTensor {
  readonly tensor: tf.Tensor;
  readonly id: number;
  readonly at: number;
}

/** Where the backend holds a tensor's data: its tensor id for the kernels, and the index of its first float in HEAPF32. */
export function locate(backend: WasmBackend, dataId: object): { id: number; at: number } {
  const { id, memoryOffset } = backend.dataIdMap.get(dataId);
  return { id, at: memoryOffset >>> 2 };
}

/** Keeps `tensor` (made on `backend`) for direct kernel calls: the caller disposes it. */
export function keepForKernels(backend: WasmBackend, tensor: tf.Tensor): KeptTensor {
  const kept = tf.keep(tensor);
  return { tensor: kept, ...locate(backend, kept.dataId) };
}

/** An engine tensor that owns data a kernel wrote into `info` (from makeOutput): the caller disposes it. */
export function tensorOf(backend: WasmBackend, info: tf.TensorInfo): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(info, backend as unknown as tf.KernelBackend);
}

/** Whether every tensor's data is in the backend's memory (it is not yet after a switch of backends). */
export function holdsAll(backend: WasmBackend, tensors: readonly tf.Tensor[]): boolean {
  return tensors.every((t) => backend.dataIdMap.has(t.dataId));
}

/**
 * What `make` built for the backend in use (null where it builds nothing), made again, and
 * the old one disposed, when the backend changes: a network or an optimizer can outlive a
 * switch of backends.
 */
export class ForCurrentBackend<T extends { dispose(): void }> {
  private value: T | null = null;
  private backend: tf.KernelBackend | null = null;

  constructor(private readonly make: (backend: tf.KernelBackend) => T | null) {}

  get(): T | null {
    const backend = tf.backend();
    if (backend !== this.backend) {
      this.value?.dispose();
      this.value = this.make(backend);
      this.backend = backend;
    }
    return this.value;
  }

  dispose(): void {
    this.value?.dispose();
    this.value = null;
    this.backend = null;
  }
}
