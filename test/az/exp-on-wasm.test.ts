// The training loss's exp (exp-on-wasm.ts): the wasm backend's Exp kernel's bits, or that kernel itself.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/az/backend.ts';
import { ExpOnWasm, expProbe } from '../../src/az/exp-on-wasm.ts';
import { DType, locate, wasmBackendOf, type WasmBackend, type WasmModule } from '../../src/az/wasm-backend.ts';
import { Rng } from '../../src/engine/rng.ts';

let backend: WasmBackend;
beforeAll(async () => {
  await selectBackend({ log: () => {} });
  backend = wasmBackendOf(tf.backend())!;
});

/** The kernel's and the module's results over `values`, as bits. */
function bothOver(exp: ExpOnWasm, values: Float32Array): [Int32Array, Int32Array] {
  const ids = [0, 1, 2].map(() => backend.makeOutput([values.length], 'float32').dataId);
  try {
    const [x, k, m] = ids.map((d) => locate(backend, d));
    backend.wasm.HEAPF32.set(values, x!.at);
    backend.wasm._Exp(x!.id, DType.FLOAT32, k!.id);
    exp.into(x!.at, m!.at, values.length);
    const bits = new Int32Array(backend.wasm.HEAPF32.buffer);
    return [bits.slice(k!.at, k!.at + values.length), bits.slice(m!.at, m!.at + values.length)];
  } finally {
    for (const d of ids) backend.disposeData(d);
  }
}

describe('exp on wasm', () => {
  it('gives the Exp kernel’s bits on edge cases, the whole range, and odd lengths', () => {
    const exp = ExpOnWasm.forBackend(backend);
    expect(exp).not.toBeNull();
    const rng = new Rng(5, 'exp-test');
    // Softmax inputs (shifted logits, masked ones at -1e9), tiny and huge magnitudes, and a
    // length that is not a multiple of four, so that the scalar tail runs too.
    const values = Float32Array.from({ length: (1 << 18) + 3 }, (_, i) =>
      i % 3 === 0 ? -40 * rng.next() : i % 3 === 1 ? (rng.next() - 0.5) * 230 : (rng.next() - 0.5) * 2 ** ((i % 60) - 30),
    );
    values.set(expProbe().subarray(0, 21), 1000); // the edge cases amid four-wide groups
    const [kernel, module] = bothOver(exp!, values);
    expect(Buffer.from(module.buffer).equals(Buffer.from(kernel.buffer))).toBe(true);
    exp!.dispose();
  });

  it('is not used where it would not give the kernel’s bits, or cannot reach its memory', () => {
    // A backend whose Exp rounds otherwise (as another libm might) keeps its own kernel.
    const otherLibm = Object.create(backend.wasm) as WasmModule;
    otherLibm._Exp = (x, dtype, out) => {
      backend.wasm._Exp(x, dtype, out);
      backend.wasm._Neg(out, dtype, out);
    };
    expect(ExpOnWasm.forBackend(Object.assign(Object.create(backend) as WasmBackend, { wasm: otherLibm }))).toBeNull();
    const noMemory = Object.assign(Object.create(backend.wasm) as WasmModule, { asm: {} });
    expect(ExpOnWasm.forBackend(Object.assign(Object.create(backend) as WasmBackend, { wasm: noMemory }))).toBeNull();
  });
});
