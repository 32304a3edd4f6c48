// AssemblyScript, compiled to src/az/heap-kernels.wasm.ts by `npm run gen:wasm` with
// --importMemory: it runs in tfjs-backend-wasm's own memory, on tensors where they lie, for
// the two elementwise steps around the policy's softmax that cost most at Pentago's 288
// actions. The module has no data of its own: what it needs lives in the backend's heap, at
// addresses JavaScript passes (heap-kernels.ts).
//
// expInto is musl's expf (ARM's optimized-routines algorithm, which emscripten's libc
// compiles into tfjs-backend-wasm's Exp kernel), step for step in the same double
// arithmetic: the same float32 bits as that kernel (heap-kernels.ts checks them before use),
// ~4x faster (the kernel calls expf through a pointer per element).

/** N/ln 2, with N = 32 table entries. */
const INV_LN2_N: f64 = 46.16624130844683;
/** 0x1.8p52: adding it rounds to an integer, which the low bits then hold. */
const SHIFT: f64 = 6755399441055744.0;
/** The polynomial's coefficients, scaled by N. */
const C0: f64 = 0.0000016938359250920212;
const C1: f64 = 0.00023459809789509004;
const C2: f64 = 0.021660849396613134;
/** Past these the result is +inf, below them 0 (0x1.62e42ep6f and -0x1.9fe368p6f). */
const OVERFLOW: f64 = 88.72283172607422;
const UNDERFLOW: f64 = -103.97207641601562;

/** exp of the n float32s at byte address src into dst; `table` is the byte address of the 32 u64 entries. */
export function expInto(src: usize, dst: usize, n: i32, table: usize): void {
  let i = 0;
  // Four at a time where all four take the general path; the same operations, two lanes each.
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const x = v128.load(src + at);
    const inRange = v128.and(f32x4.ge(x, f32x4.splat(<f32>UNDERFLOW)), f32x4.le(x, f32x4.splat(<f32>OVERFLOW)));
    if (!i32x4.all_true(inRange)) {
      for (let j = 0; j < 4; j++) store<f32>(dst + at + (<usize>j << 2), expf(load<f32>(src + at + (<usize>j << 2)), table));
      continue;
    }
    const low = expPair(f64x2.promote_low_f32x4(x), table);
    const high = expPair(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), table);
    v128.store(dst + at, i32x4.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(dst + at, expf(load<f32>(src + at), table));
  }
}

/** expf's general path on two doubles (each an f32 within range): y·s before the rounding to f32. */
@inline function expPair(xd: v128, table: usize): v128 {
  const z = f64x2.mul(f64x2.splat(INV_LN2_N), xd);
  const kd = f64x2.add(z, f64x2.splat(SHIFT));
  const r = f64x2.sub(z, f64x2.sub(kd, f64x2.splat(SHIFT)));
  const k0 = i64x2.extract_lane(kd, 0);
  const k1 = i64x2.extract_lane(kd, 1);
  const t0 = load<u64>(table + (<usize>(k0 & 31) << 3)) + (<u64>k0 << 47);
  const t1 = load<u64>(table + (<usize>(k1 & 31) << 3)) + (<u64>k1 << 47);
  const s = i64x2.replace_lane(i64x2.splat(t0), 1, t1);
  const p = f64x2.add(f64x2.mul(f64x2.splat(C0), r), f64x2.splat(C1));
  const y = f64x2.add(f64x2.mul(p, f64x2.mul(r, r)), f64x2.add(f64x2.mul(f64x2.splat(C2), r), f64x2.splat(1)));
  return f64x2.mul(y, s);
}

@inline function expf(x: f32, table: usize): f32 {
  const xd = <f64>x;
  if (!(xd >= UNDERFLOW && xd <= OVERFLOW)) return x != x ? x : x > 0 ? Infinity : 0;
  // x·N/ln 2 = k + r with r in [-1/2, 1/2] and integer k.
  const z = INV_LN2_N * xd;
  const kd = z + SHIFT;
  const ki = reinterpret<u64>(kd);
  const r = z - (kd - SHIFT);
  // exp(x) = 2^(k/N) · 2^(r/N) ≈ s · (C0·r³ + C1·r² + C2·r + 1)
  const s = reinterpret<f64>(load<u64>(table + (<usize>(ki & 31) << 3)) + (ki << 47));
  const p = C0 * r + C1;
  const y = p * (r * r) + (C2 * r + 1);
  return <f32>(y * s);
}

/**
 * The additive mask of n mask bytes at `masks`: float32 bits `penaltyBits` where the byte's
 * low bit is 0 (an illegal action), +0 where it is 1, as int32s at `dst`. Integer operations
 * only: the bits are the JavaScript loop's (network.ts writeMaskPenalty), 16 at a time.
 */
export function maskPenaltyInto(masks: usize, dst: usize, n: i32, penaltyBits: i32): void {
  const bits = i32x4.splat(penaltyBits);
  const one = i32x4.splat(1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const m = v128.load(masks + <usize>i);
    const low = i16x8.extend_low_i8x16_u(m);
    const high = i16x8.extend_high_i8x16_u(m);
    const at = dst + (<usize>i << 2);
    v128.store(at, v128.and(i32x4.sub(v128.and(i32x4.extend_low_i16x8_u(low), one), one), bits));
    v128.store(at + 16, v128.and(i32x4.sub(v128.and(i32x4.extend_high_i16x8_u(low), one), one), bits));
    v128.store(at + 32, v128.and(i32x4.sub(v128.and(i32x4.extend_low_i16x8_u(high), one), one), bits));
    v128.store(at + 48, v128.and(i32x4.sub(v128.and(i32x4.extend_high_i16x8_u(high), one), one), bits));
  }
  for (; i < n; i++) store<i32>(dst + (<usize>i << 2), ((<i32>load<u8>(masks + <usize>i) & 1) - 1) & penaltyBits);
}
