// Batched inference straight through the wasm backend's own kernels (wasm-backend.ts). A
// self-play call through the engine made ~39 KB of garbage; Connect Four at width 16 spent
// 75-83 µs a call of 57 rows that way, against 29-48 µs here, and the garbage had the
// young-generation GC copy the search trees' nodes every ~40 ms.
//
// Activations live in tensors kept between calls, sized for the largest batch so far: the
// kernels take each call's rows from the shapes passed in, and elementwise ones (tanh)
// compute the spare rows too, which nobody reads.

import * as tf from '@tensorflow/tfjs-core';
import { DType, FusedActivation, holdsAll, keepForKernels, wasmBackendOf, type KeptTensor, type WasmBackend } from './wasm-backend.ts';

/** Shapes [1, rows, columns] of an activation and [1, in, columns] of the kernel that made it, as int32s in wasm memory. */
const SHAPE_BYTES = 6 * 4;
/** Rows of the first activations: self-play's default batch. */
const MIN_CAPACITY = 64;
/** Floats of a chunk that read() copies outputs into (1 MiB). */
const OUTPUT_CHUNK = 1 << 18;

/** One activation: a kept tensor of capacity x columns, and its shapes in wasm memory. */
export interface Activation extends KeptTensor {
  readonly columns: number;
  /** Byte address of its shapes in wasm memory (SHAPE_BYTES). */
  readonly shape: number;
}

export class WasmKernels {
  private readonly backend: WasmBackend;
  private readonly slots: Activation[] = [];
  private capacity = 0;
  private rows = 0;
  private next = 0;
  private outputs = new Float32Array(0);
  private outputsUsed = 0;

  private constructor(backend: WasmBackend) {
    this.backend = backend;
  }

  /** Kernels of `backend` if it is tfjs-backend-wasm with the entry points this module calls, else null. */
  static forBackend(backend: tf.KernelBackend): WasmKernels | null {
    const wasm = wasmBackendOf(backend);
    return wasm === null ? null : new WasmKernels(wasm);
  }

  /** Whether every tensor's data is in this backend's memory (it is not yet after a switch of backends). */
  holds(tensors: readonly tf.Tensor[]): boolean {
    return holdsAll(this.backend, tensors);
  }

  /** Starts a forward pass over `rows` rows: activations are handed out again from the first. */
  begin(rows: number): void {
    if (rows > this.capacity) this.grow(rows);
    this.rows = rows;
    this.next = 0;
  }

  /** An activation whose rows the caller writes: `write` gets the wasm heap's int32 view and the index of its first element. */
  input(columns: number, write: (heap: Int32Array, at: number) => void): Activation {
    const slot = this.slot(columns, 0);
    write(this.backend.wasm.HEAP32, slot.at);
    return slot;
  }

  /** An activation holding the first rows·columns of `values`. */
  inputOf(values: Float32Array, columns: number): Activation {
    const slot = this.slot(columns, 0);
    this.backend.wasm.HEAPF32.set(values.subarray(0, this.rows * columns), slot.at);
    return slot;
  }

  /** x·kernel + bias and the activation, as the engine's fused matMul runs it on [1, rows, in] x [1, in, out]. */
  dense(x: Activation, kernel: tf.Tensor, bias: tf.Tensor, activation: 'relu' | 'linear'): Activation {
    const [inputs, columns] = kernel.shape as [number, number];
    const out = this.slot(columns, inputs);
    const ids = this.backend.dataIdMap;
    this.backend.wasm.__FusedMatMul(
      x.id, x.shape, 3, ids.get(kernel.dataId).id, out.shape + 12, 3,
      0, 0, activation === 'relu' ? FusedActivation.RELU : FusedActivation.LINEAR, ids.get(bias.dataId).id, 0, 0, out.id,
    );
    return out;
  }

  tanh(x: Activation): Activation {
    const out = this.slot(x.columns, 0);
    this.backend.wasm._Tanh(x.id, DType.FLOAT32, out.id);
    return out;
  }

  add(a: Activation, b: Activation): Activation {
    const out = this.slot(a.columns, 0);
    this.backend.wasm._Add(a.id, a.shape, 3, b.id, b.shape, 3, DType.FLOAT32, out.id);
    return out;
  }

  /** Softmax over each row. */
  softmax(x: Activation): Activation {
    const out = this.slot(x.columns, 0);
    this.backend.wasm._Softmax(x.id, out.id, x.columns, this.rows);
    return out;
  }

  /**
   * A copy of the pass's rows of an activation: the caller's to keep. Copies go to the next
   * free part of a chunk, which is never written again, and a full chunk is left to the
   * garbage collector with the last view into it: a new ArrayBuffer per output (slice) cost
   * ~0.7 µs at Connect Four's size, ~5% of a self-play row, and 10.5 µs against 3.7-5.2 at
   * Pentago's 61 x 288.
   */
  read(x: Activation): Float32Array {
    const n = this.rows * x.columns;
    if (this.outputsUsed + n > this.outputs.length) {
      this.outputs = new Float32Array(Math.max(OUTPUT_CHUNK, n));
      this.outputsUsed = 0;
    }
    const copy = this.outputs.subarray(this.outputsUsed, this.outputsUsed + n);
    copy.set(this.backend.wasm.HEAPF32.subarray(x.at, x.at + n));
    this.outputsUsed += n;
    return copy;
  }

  /** The pass's rows of an activation, copied into the first elements of `out`. */
  readInto(x: Activation, out: Float32Array): void {
    out.set(this.backend.wasm.HEAPF32.subarray(x.at, x.at + this.rows * x.columns));
  }

  dispose(): void {
    for (const slot of this.slots) this.release(slot);
    this.slots.length = 0;
    this.capacity = 0;
  }

  /**
   * The pass's next activation. A pass asks for the same sequence every time, so slot k keeps
   * its tensor from one call to the next; only its row count is written again.
   */
  private slot(columns: number, kernelInputs: number): Activation {
    const k = this.next++;
    let slot = this.slots[k];
    if (slot === undefined || slot.columns !== columns) {
      if (slot !== undefined) this.release(slot);
      slot = this.allocate(columns);
      this.slots[k] = slot;
    }
    const heap = this.backend.wasm.HEAP32;
    const s = slot.shape >> 2;
    heap[s] = 1;
    heap[s + 1] = this.rows;
    heap[s + 2] = columns;
    heap[s + 3] = 1;
    heap[s + 4] = kernelInputs;
    heap[s + 5] = columns;
    return slot;
  }

  private allocate(columns: number): Activation {
    const kept = keepForKernels(this.backend, tf.zeros([this.capacity, columns]));
    return { ...kept, columns, shape: this.backend.wasm._malloc(SHAPE_BYTES) >>> 0 };
  }

  private release(slot: Activation): void {
    slot.tensor.dispose();
    this.backend.wasm._free(slot.shape);
  }

  /** Room for `rows`: every activation is made again, at twice the capacity or more. */
  private grow(rows: number): void {
    const capacity = Math.max(rows, 2 * this.capacity, MIN_CAPACITY);
    this.dispose();
    this.capacity = capacity;
  }
}
