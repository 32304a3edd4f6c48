// Kernels in the wasm backend's memory (heap-kernels.ts): exp with the backend's Exp kernel's
// bits, or that kernel itself; the policy's mask with the JavaScript loop's bits; a transpose
// with the Transpose kernel's.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/az/backend.ts';
import { EXP_EDGES, HeapKernels } from '../../src/az/heap-kernels.ts';
import { DType, locate, wasmBackendOf, type WasmBackend, type WasmModule } from '../../src/az/wasm-backend.ts';
import { Rng } from '../../src/engine/rng.ts';

let backend: WasmBackend;
beforeAll(async () => {
  await selectBackend({ log: () => {} });
  backend = wasmBackendOf(tf.backend())!;
});

/** Runs `fill` on the HEAPF32 indices of `count` fresh tensors of `length` floats, then frees them. */
function withTensors<T>(count: number, length: number, fill: (at: { id: number; at: number }[]) => T): T {
  const ids = Array.from({ length: count }, () => backend.makeOutput([length], 'float32').dataId);
  try {
    return fill(ids.map((d) => locate(backend, d)));
  } finally {
    for (const d of ids) backend.disposeData(d);
  }
}

/** A backend object like `backend` but for the module's properties in `changes`. */
function variant(changes: Partial<WasmModule>): WasmBackend {
  return Object.assign(Object.create(backend) as WasmBackend, { wasm: Object.assign(Object.create(backend.wasm) as WasmModule, changes) });
}

describe('kernels in the wasm backend’s memory', () => {
  it('take exp with the Exp kernel’s bits on edge cases, the whole range, and odd lengths', () => {
    const heap = HeapKernels.of(backend)!;
    expect(heap).not.toBeNull();
    expect(HeapKernels.of(backend)).toBe(heap); // one per backend
    const rng = new Rng(5, 'exp-test');
    // Softmax inputs (shifted logits, masked ones near -1e9), tiny and huge magnitudes, and a
    // length that is not a multiple of four, so that the scalar tail runs too.
    const values = Float32Array.from({ length: (1 << 18) + 3 }, (_, i) =>
      i % 3 === 0 ? -40 * rng.next() : i % 3 === 1 ? (rng.next() - 0.5) * 230 : (rng.next() - 0.5) * 2 ** ((i % 60) - 30),
    );
    values.set(EXP_EDGES, 1001); // the edge cases, amid and across four-wide groups
    // Whole four-wide groups out of range, as a Pentago row's masked cells make them.
    values.set([-1e9, -1e9, -1e9, -1e9, -1e9, -Infinity, NaN, 200, 1e30, Infinity, -104, -1e9], 2000);
    const [kernel, module] = withTensors(3, values.length, ([x, k, m]) => {
      backend.wasm.HEAPF32.set(values, x!.at);
      backend.wasm._Exp(x!.id, DType.FLOAT32, k!.id);
      expect(heap.exp(x!.at, m!.at, values.length)).toBe(true);
      const bits = new Int32Array(backend.wasm.HEAPF32.buffer);
      return [bits.slice(k!.at, k!.at + values.length), bits.slice(m!.at, m!.at + values.length)];
    });
    expect(Buffer.from(module.buffer).equals(Buffer.from(kernel.buffer))).toBe(true);
  });

  it('leave exp to the kernel where its bits differ, and stay out of a memory they cannot reach', () => {
    // A backend whose Exp rounds otherwise (as another libm might) keeps its own kernel.
    const otherLibm = variant({
      _Exp: (x, dtype, out) => {
        backend.wasm._Exp(x, dtype, out);
        backend.wasm._Neg(out, dtype, out);
      },
    });
    const heap = HeapKernels.of(otherLibm)!;
    withTensors(2, 8, ([x, y]) => expect(heap.exp(x!.at, y!.at, 8)).toBe(false));
    expect(HeapKernels.of(variant({ asm: {} }))).toBeNull();
  });

  it('sum and max over rows with the Sum and Max kernels’ bits, or leave them to the kernels', () => {
    const heap = HeapKernels.of(backend)!;
    const rng = new Rng(13, 'reduce-test');
    const words = (at: number, n: number) => new Int32Array(backend.wasm.HEAPF32.buffer, at * 4, n).slice();
    // Rows in fours and not, lengths in fours and not; magnitudes over 30 orders, so that
    // any other order of the additions changes bits; NaN, infinities and zeros of both signs.
    for (const [rows, length] of [[1, 1], [1, 9], [3, 5], [4, 4], [5, 288], [256, 288], [288, 256], [7, 3], [64, 1]] as const) {
      const n = rows * length;
      const values = Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 10 ** (rng.int(31) - 15));
      for (let i = 0; i < n; i += 1 + rng.int(50)) values[i] = [NaN, -0, 0, Infinity, -Infinity, -1e9][rng.int(6)]!;
      // The kernels write as many outputs as their output tensor holds.
      withTensors(1, n, ([x]) => withTensors(4, rows, ([sumKernel, sumModule, maxKernel, maxModule]) => {
        backend.wasm.HEAPF32.set(values, x!.at);
        backend.wasm._Sum(x!.id, length, DType.FLOAT32, sumKernel!.id);
        backend.wasm._Max(x!.id, DType.FLOAT32, length, maxKernel!.id);
        expect(heap.sumRows(x!.at, sumModule!.at, rows, length)).toBe(true);
        expect(heap.maxRows(x!.at, maxModule!.at, rows, length)).toBe(true);
        expect(words(sumModule!.at, rows), `sum, ${rows} x ${length}`).toEqual(words(sumKernel!.at, rows));
        expect(words(maxModule!.at, rows), `max, ${rows} x ${length}`).toEqual(words(maxKernel!.at, rows));
      }));
    }
    // A backend whose Sum adds in another order keeps its own kernels.
    const otherOrder = variant({
      _Sum: (x, reduceSize, dtype, out) => {
        backend.wasm._Sum(x, reduceSize, dtype, out);
        backend.wasm._Neg(out, dtype, out);
      },
    });
    withTensors(2, 8, ([x, y]) => expect(HeapKernels.of(otherOrder)!.sumRows(x!.at, y!.at, 2, 4)).toBe(false));
  });

  it('write the policy’s mask as the JavaScript loop does, at any length and offset', () => {
    const heap = HeapKernels.of(backend)!;
    const rng = new Rng(9, 'mask-test');
    const penaltyBits = new Int32Array(Float32Array.of(-1e9).buffer)[0]!;
    for (const n of [0, 1, 15, 16, 17, 288 * 61 + 5]) {
      const bytes = Uint8Array.from({ length: n + 3 }, () => (rng.next() < 0.5 ? 1 : 0));
      bytes[2] = 3; // only the low bit counts
      const masks = bytes.subarray(3 - (n % 4)); // not word-aligned
      withTensors(1, Math.max(n, 1), ([out]) => {
        heap.maskPenalty(masks, n, out!.at, penaltyBits);
        const got = new Int32Array(backend.wasm.HEAPF32.buffer, out!.at * 4, n);
        const want = Int32Array.from(masks.subarray(0, n), (m) => ((m & 1) - 1) & penaltyBits);
        expect(Buffer.from(got.slice().buffer).equals(Buffer.from(want.buffer))).toBe(true);
      });
    }
  });

  it('transpose as the Transpose kernel does, whole blocks of four and ragged edges', () => {
    const heap = HeapKernels.of(backend)!;
    const rng = new Rng(11, 'transpose-test');
    const shapes: [number, number][] = [[1, 1], [1, 7], [7, 1], [3, 5], [4, 4], [5, 9], [8, 12], [13, 6], [256, 288], [256, 61], [63, 64]];
    const words = (at: number, n: number) => new Int32Array(backend.wasm.HEAPF32.buffer, at * 4, n).slice();
    for (const [rows, columns] of shapes) {
      const n = rows * columns;
      withTensors(3, n, ([x, viaKernel, viaModule]) => {
        // Arbitrary bits, NaNs and -0 among them: a transpose moves words.
        backend.wasm.HEAP32.set(Int32Array.from({ length: n }, () => rng.int(2 ** 32) | 0), x!.at);
        const shape = backend.wasm._malloc(16) >>> 0;
        try {
          backend.wasm.HEAP32.set([rows, columns, 1, 0], shape >> 2);
          backend.wasm._Transpose(x!.id, shape, 2, DType.FLOAT32, viaKernel!.id, shape + 8, 2);
        } finally {
          backend.wasm._free(shape);
        }
        heap.transpose(x!.at, viaModule!.at, rows, columns);
        expect(words(viaModule!.at, n), `${rows} x ${columns}`).toEqual(words(viaKernel!.at, n));
      });
    }
  });
});
