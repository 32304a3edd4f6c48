// Elementwise kernels that run in tfjs-backend-wasm's own memory (assembly/heap-kernels.ts),
// one instance per backend and thread:
// - exp, with the bits of the backend's Exp kernel, ~4x faster. The training loss takes two
//   exps over a [batch, actions] matrix per minibatch: with Pentago's 288 actions they were
//   half of a small network's gradient pass. Used only after a probe of edge cases and a
//   sweep of the whole range gives exactly the kernel's bits, so a backend whose libm
//   differs keeps its own kernel, and the numbers never change.
// - the policy's additive mask from the legal-action bytes, 16 at a time, where JavaScript
//   took ~2 ns an action (a Pentago row has 288).
// - a matrix's transpose, in 4 × 4 blocks: the backend's kernel took ~2 ns an element, and
//   a gradient pass transposes every layer's input and output gradient.
// - sums and maxima over a matrix's rows, four rows at a time, each row in the order the
//   backend's Sum and Max kernels take it (used after a probe gives their bits).
// - Adam's update of a variable and its moments in one pass, flushing subnormals to zero
//   (adam-on-wasm.ts).
import { DType, locate, type WasmBackend } from './wasm-backend.ts';
import { WASM_BASE64 } from './heap-kernels.wasm.ts';
import { instantiate } from './wasm-module.ts';

/** musl's __exp2f_data.tab: entry i is the bits of 2^(i/32) minus i << 47. */
const TABLE = [
  0x3ff0000000000000n, 0x3fefd9b0d3158574n, 0x3fefb5586cf9890fn, 0x3fef9301d0125b51n, 0x3fef72b83c7d517bn, 0x3fef54873168b9aan, 0x3fef387a6e756238n, 0x3fef1e9df51fdee1n,
  0x3fef06fe0a31b715n, 0x3feef1a7373aa9cbn, 0x3feedea64c123422n, 0x3feece086061892dn, 0x3feebfdad5362a27n, 0x3feeb42b569d4f82n, 0x3feeab07dd485429n, 0x3feea47eb03a5585n,
  0x3feea09e667f3bcdn, 0x3fee9f75e8ec5f74n, 0x3feea11473eb0187n, 0x3feea589994cce13n, 0x3feeace5422aa0dbn, 0x3feeb737b0cdc5e5n, 0x3feec49182a3f090n, 0x3feed503b23e255dn,
  0x3feee89f995ad3adn, 0x3feeff76f2fb5e47n, 0x3fef199bdd85529cn, 0x3fef3720dcef9069n, 0x3fef5818dcfba487n, 0x3fef7c97337b9b5fn, 0x3fefa4afa2a490dan, 0x3fefd0765b6e4540n,
];

/** Inputs where expf takes another path or rounds at a boundary. */
export const EXP_EDGES: readonly number[] = [0, -0, 1, -1, 1e-30, -1e-30, 88, 88.72283172607422, 88.72283935546875, 89, -87.33654022216797, -88, -100, -103.97207641601562, -103.97208404541016, -104, 3.4e38, -3.4e38, -1e9, Infinity, -Infinity, NaN];

/** EXP_EDGES, and a sweep over where expf takes its general path. */
function expProbe(): Float32Array {
  const sweep = Array.from({ length: 1 << 14 }, (_, i) => -110 + (200 * i) / (1 << 14) + 1e-3 * Math.sin(i));
  return Float32Array.from([...EXP_EDGES, ...sweep]);
}

interface Exports {
  expInto(src: number, dst: number, n: number, table: number): void;
  maskPenaltyInto(masks: number, dst: number, n: number, penaltyBits: number): void;
  transposeInto(src: number, dst: number, rows: number, columns: number): void;
  sumRowsInto(src: number, dst: number, rows: number, length: number): void;
  maxRowsInto(src: number, dst: number, rows: number, length: number): void;
  adamInto(x: number, g: number, m: number, v: number, out: number, n: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, epsilon: number, stepSize: number): void;
}

/** Adam's constants: each is rounded to float32 as it enters the module, as the engine path rounds its scalar tensors. */
export interface AdamScalars {
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  epsilon: number;
  stepSize: number;
}

/** A tensor's id and the HEAPF32 index of its first element. */
type HeapTensor = ReturnType<typeof locate>;

const perBackend = new WeakMap<WasmBackend, HeapKernels | null>();

export class HeapKernels {
  /** Byte address and size of the scratch the mask bytes are copied to. */
  private scratch = 0;
  private scratchBytes = 0;
  /** The heap as bytes, made again when it grows. */
  private heapBytes: Uint8Array = new Uint8Array(0);
  /** Whether exp() gives the backend's Exp bits (checked once). */
  private readonly exactExp: boolean;
  /** Whether sumRows() and maxRows() give the Sum and Max kernels' bits (checked once). */
  private readonly exactReductions: boolean;

  private constructor(
    private readonly backend: WasmBackend,
    private readonly module: Exports,
    /** Byte address of TABLE in the backend's heap. */
    private readonly table: number,
  ) {
    this.exactExp = this.agreesWithKernel(expProbe());
    this.exactReductions = this.reductionsAgree();
  }

  /** The kernels on `backend`'s memory (made once), or null where its memory is out of reach. */
  static of(backend: WasmBackend): HeapKernels | null {
    let kernels = perBackend.get(backend);
    if (kernels === undefined) {
      kernels = HeapKernels.make(backend);
      perBackend.set(backend, kernels);
    }
    return kernels;
  }

  private static make(backend: WasmBackend): HeapKernels | null {
    const memory = backend.wasm.asm?.memory;
    if (memory === undefined) return null;
    const module = instantiate<Exports>(WASM_BASE64, { env: { memory } });
    const table = backend.wasm._malloc(8 * TABLE.length) >>> 0;
    TABLE.forEach((entry, i) => {
      backend.wasm.HEAP32[(table >>> 2) + 2 * i] = Number(entry & 0xffffffffn) | 0;
      backend.wasm.HEAP32[(table >>> 2) + 2 * i + 1] = Number(entry >> 32n) | 0;
    });
    return new HeapKernels(backend, module, table);
  }

  /** exp of the n floats from HEAPF32 index `from` into index `to`, if it has the Exp kernel's bits (else false: use the kernel). */
  exp(from: number, to: number, n: number): boolean {
    if (!this.exactExp) return false;
    this.module.expInto(from << 2, to << 2, n, this.table);
    return true;
  }

  /**
   * The sum of each of `rows` rows of `length` floats from HEAPF32 index `from`, into index
   * `to`, if it has the Sum kernel's bits (else false: use the kernel).
   */
  sumRows(from: number, to: number, rows: number, length: number): boolean {
    if (!this.exactReductions) return false;
    this.module.sumRowsInto(from << 2, to << 2, rows, length);
    return true;
  }

  /** sumRows() for the Max kernel. */
  maxRows(from: number, to: number, rows: number, length: number): boolean {
    if (!this.exactReductions) return false;
    this.module.maxRowsInto(from << 2, to << 2, rows, length);
    return true;
  }

  /** The rows × columns matrix from HEAPF32 index `from`, transposed into index `to`: a copy, so the bits are the Transpose kernel's. */
  transpose(from: number, to: number, rows: number, columns: number): void {
    this.module.transposeInto(from << 2, to << 2, rows, columns);
  }

  /**
   * Adam's update of n parameters from HEAPF32 index `x` into index `out`, with gradients at
   * `g` and moments at `m` and `v` (updated in place); subnormal results are stored as +0.
   */
  adam(x: number, g: number, m: number, v: number, out: number, n: number, c: AdamScalars): void {
    this.module.adamInto(x << 2, g << 2, m << 2, v << 2, out << 2, n, c.beta1, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.epsilon, c.stepSize);
  }

  /** The additive mask of the first n bytes of `masks` (penaltyBits where a byte's low bit is 0, else +0) as int32s from HEAP32 index `to`. */
  maskPenalty(masks: Uint8Array, n: number, to: number, penaltyBits: number): void {
    if (this.scratchBytes < n) {
      if (this.scratch !== 0) this.backend.wasm._free(this.scratch);
      this.scratchBytes = Math.max(n, 2 * this.scratchBytes);
      this.scratch = this.backend.wasm._malloc(this.scratchBytes) >>> 0;
    }
    // After the allocation: the heap's buffer is a new one where it grew.
    const buffer = this.backend.wasm.HEAP32.buffer;
    if (this.heapBytes.buffer !== buffer) this.heapBytes = new Uint8Array(buffer);
    this.heapBytes.set(masks.subarray(0, n), this.scratch);
    this.module.maskPenaltyInto(this.scratch, to << 2, n, penaltyBits);
  }

  /**
   * Sums and maxima of rows whose magnitudes span 24 orders, so that any other order of
   * the additions shows in the bits; NaN, infinities and both zeros among them for the max.
   */
  private reductionsAgree(): boolean {
    const rows = 11;
    const length = 39;
    const probe = Float32Array.from({ length: rows * length }, (_, i) => Math.sin(i * 12.9898) * 10 ** ((i % 25) - 12));
    probe.set([-0, 0, -0, NaN, -Infinity, 1, Infinity, NaN], 3 * length);
    probe.set([-0, 0, 0, -0], 7 * length - 2);
    const { wasm } = this.backend;
    return this.withProbe(probe, [rows, rows, rows, rows], (x, [sumKernel, sumModule, maxKernel, maxModule]) => {
      wasm._Sum(x.id, length, DType.FLOAT32, sumKernel!.id);
      wasm._Max(x.id, DType.FLOAT32, length, maxKernel!.id);
      this.module.sumRowsInto(x.at << 2, sumModule!.at << 2, rows, length);
      this.module.maxRowsInto(x.at << 2, maxModule!.at << 2, rows, length);
      return this.sameWords(sumKernel!, sumModule!, rows) && this.sameWords(maxKernel!, maxModule!, rows);
    });
  }

  private agreesWithKernel(probe: Float32Array): boolean {
    return this.withProbe(probe, [probe.length, probe.length], (x, [viaKernel, viaModule]) => {
      this.backend.wasm._Exp(x.id, DType.FLOAT32, viaKernel!.id);
      this.module.expInto(x.at << 2, viaModule!.at << 2, probe.length, this.table);
      return this.sameWords(viaKernel!, viaModule!, probe.length);
    });
  }

  /** `check` on a tensor holding `probe` and fresh tensors of `lengths` floats, all freed after. */
  private withProbe(probe: Float32Array, lengths: number[], check: (x: HeapTensor, outputs: HeapTensor[]) => boolean): boolean {
    const { backend } = this;
    const dataIds = [probe.length, ...lengths].map((n) => backend.makeOutput([n], 'float32').dataId);
    try {
      const [x, ...outputs] = dataIds.map((dataId) => locate(backend, dataId));
      backend.wasm.HEAPF32.set(probe, x!.at);
      return check(x!, outputs);
    } finally {
      for (const dataId of dataIds) backend.disposeData(dataId);
    }
  }

  /** Whether the first n words of two tensors are the same bits. */
  private sameWords(a: HeapTensor, b: HeapTensor, n: number): boolean {
    const heap = this.backend.wasm.HEAP32;
    for (let i = 0; i < n; i++) if (heap[a.at + i] !== heap[b.at + i]) return false;
    return true;
  }
}
