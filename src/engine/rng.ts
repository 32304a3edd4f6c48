// Seeded, platform-independent random numbers: every random choice of a stage flows from
// its recorded seed. xoshiro128** on 32-bit integer arithmetic, seeded through splitmix32,
// so the same seed gives the same stream on every machine and Node version.

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hashes a label into 32 bits (FNV-1a), for deriving independent sub-streams. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** 2^-53: scales a 53-bit integer into [0, 1) exactly, as a division by 2^53 would. */
const UNIT_53 = 1 / 9007199254740992;

export class Rng {
  // The generator's four words in an Int32Array, not four fields: 32-bit values outside the
  // small-integer range would make the fields boxed doubles, read and written through the box.
  private readonly state = new Int32Array(4);
  private hasSpareNormal = false;
  private spareNormal = 0;
  // gamma()'s Marsaglia–Tsang constants for the last shape asked for (callers draw one shape
  // many times).
  private gammaShape = Number.NaN;
  private gammaD = 0;
  private gammaC = 0;

  constructor(seed: number, label = '') {
    const st = { s: (Math.floor(seed) ^ hashLabel(label)) | 0 };
    // Mix the high part of seeds above 2^32 too.
    st.s = (st.s + Math.floor(seed / 4294967296)) | 0;
    const state = this.state;
    for (let i = 0; i < 4; i++) state[i] = splitmix32(st);
    if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[3] = 1;
  }

  /**
   * The generator's four state words, live: code that continues this stream elsewhere (the
   * WebAssembly search draws root noise as dirichlet() would) copies them in and back out.
   */
  words(): Int32Array {
    return this.state;
  }

  /** An independent stream derived from this one's seed material and a label. */
  fork(label: string): Rng {
    return new Rng(this.nextU32(), label);
  }

  nextU32(): number {
    const state = this.state;
    const a = state[0]!;
    const b = state[1]!;
    const c = state[2]! ^ a;
    const d = state[3]! ^ b;
    state[0] = a ^ d;
    state[1] = b ^ c;
    state[2] = c ^ (b << 9);
    state[3] = rotl(d, 11);
    return Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * UNIT_53;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (n <= 0 || !Number.isFinite(n)) throw new RangeError(`Rng.int: n must be positive, got ${n}`);
    return Math.floor(this.next() * n);
  }

  normal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    this.hasSpareNormal = true;
    return u * m;
  }

  /**
   * Gamma(shape, 1) by Marsaglia–Tsang (with the shape < 1 boost). Gamma(1) is Exp(1), drawn
   * by inversion: one uniform and a log, against a normal, a uniform and a rejection test. It
   * is the study's root noise (Dirichlet α = 1), whose Marsaglia–Tsang draws took ~4% of a
   * Pentago self-play simulation.
   */
  gamma(shape: number): number {
    if (shape === 1) return -Math.log(1 - this.next());
    if (shape < 1) {
      const u = this.next();
      return this.gamma(shape + 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    if (shape !== this.gammaShape) {
      this.gammaShape = shape;
      this.gammaD = shape - 1 / 3;
      this.gammaC = 1 / Math.sqrt(9 * this.gammaD);
    }
    const d = this.gammaD;
    const c = this.gammaC;
    for (;;) {
      let x = 0;
      let v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** A sample of Dirichlet(alpha, …, alpha) of dimension n. */
  dirichlet(alpha: number, n: number): Float64Array {
    const out = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      out[i] = this.gamma(alpha);
      sum += out[i]!;
    }
    for (let i = 0; i < n; i++) out[i] = sum > 0 ? out[i]! / sum : 1 / n;
    return out;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(xs: T[] | Int32Array | Uint32Array): typeof xs {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = t;
    }
    return xs;
  }

  /** Index sampled in proportion to non-negative weights. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    if (!(total > 0)) throw new RangeError('Rng.categorical: weights sum to zero');
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
