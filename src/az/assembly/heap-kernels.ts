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
  // Four at a time; the same operations, two lanes each. Lanes out of range (the masked
  // actions' logits among them: a third or more of a Pentago row) take expf's special
  // values by a select, not the scalar path: a group of four all in range is the exception
  // there, and the scalar path cost three times the vector one.
  const zero = f32x4.splat(0);
  const infinity = f32x4.splat(Infinity);
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const x = v128.load(src + at);
    const inRange = v128.and(f32x4.ge(x, f32x4.splat(<f32>UNDERFLOW)), f32x4.le(x, f32x4.splat(<f32>OVERFLOW)));
    // expf's values out of range: x itself for NaN, +inf above, 0 below.
    const special = v128.bitselect(x, v128.and(f32x4.gt(x, zero), infinity), f32x4.ne(x, x));
    // A Pentago cell's 8 actions are masked together: whole groups out of range are common.
    if (!v128.any_true(inRange)) {
      v128.store(dst + at, special);
      continue;
    }
    const inside = v128.and(x, inRange);
    const low = expPair(f64x2.promote_low_f32x4(inside), table);
    const high = expPair(f64x2.promote_low_f32x4(i32x4.shuffle(inside, inside, 2, 3, 0, 1)), table);
    const y = i32x4.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5);
    v128.store(dst + at, v128.bitselect(y, special, inRange));
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

/**
 * The rows × columns float32 matrix at `src`, transposed into `dst` (columns × rows), in
 * blocks of 4 × 4: four loads, eight shuffles, four stores. The backend's Transpose kernel
 * moves one element at a time through its general N-dimensional index arithmetic.
 */
export function transposeInto(src: usize, dst: usize, rows: i32, columns: i32): void {
  const rowBytes = <usize>columns << 2;
  const columnBytes = <usize>rows << 2;
  const rows4 = rows & ~3;
  const columns4 = columns & ~3;
  for (let i = 0; i < rows4; i += 4) {
    const from = src + <usize>i * rowBytes;
    const to = dst + (<usize>i << 2);
    for (let j = 0; j < columns4; j += 4) {
      const p = from + (<usize>j << 2);
      const r0 = v128.load(p);
      const r1 = v128.load(p + rowBytes);
      const r2 = v128.load(p + 2 * rowBytes);
      const r3 = v128.load(p + 3 * rowBytes);
      const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const q = to + <usize>j * columnBytes;
      v128.store(q, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
      v128.store(q + columnBytes, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
      v128.store(q + 2 * columnBytes, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
      v128.store(q + 3 * columnBytes, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
    }
    // The last columns % 4 columns of these four rows.
    for (let j = columns4; j < columns; j++) {
      for (let r = 0; r < 4; r++) store<u32>(to + <usize>j * columnBytes + (<usize>r << 2), load<u32>(from + <usize>r * rowBytes + (<usize>j << 2)));
    }
  }
  // The last rows % 4 rows.
  for (let i = rows4; i < rows; i++) {
    for (let j = 0; j < columns; j++) store<u32>(dst + <usize>j * columnBytes + (<usize>i << 2), load<u32>(src + <usize>i * rowBytes + (<usize>j << 2)));
  }
}

/**
 * The backend's Sum (isMax false) or Max (true) over the last axis of a rows × length
 * float32 matrix at `src`, into `dst`: each row in order from its first element, as those
 * kernels run (a sum from +0; a max from the first element, taking a later one when it is
 * greater or NaN), so the same bits. The kernels take a row at a time, each step waiting on the
 * last; here four rows advance together, one per lane. (4 × 4 transposes, as transposeInto's,
 * brought the elements into lanes faster than column() does, but cut only ~1% more of a
 * gradient pass.)
 */
@inline function reduceRows(src: usize, dst: usize, rows: i32, length: i32, isMax: bool): void {
  const rowBytes = <usize>length << 2;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const p = src + <usize>r * rowBytes;
    let acc = isMax ? column(p, rowBytes) : f32x4.splat(0);
    for (let k = 0; k < length; k++) acc = reduceStep(acc, column(p + (<usize>k << 2), rowBytes), isMax);
    v128.store(dst + (<usize>r << 2), acc);
  }
  for (; r < rows; r++) {
    const p = src + <usize>r * rowBytes;
    let acc: f32 = isMax ? load<f32>(p) : 0;
    for (let k = 0; k < length; k++) {
      const x = load<f32>(p + (<usize>k << 2));
      if (isMax) {
        if (x > acc || x != x) acc = x;
      } else {
        acc += x;
      }
    }
    store<f32>(dst + (<usize>r << 2), acc);
  }
}

/** The float32s at p, p + stride, p + 2·stride and p + 3·stride, as lanes: one element of each of four rows. */
@inline function column(p: usize, stride: usize): v128 {
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + stride, v, 1);
  v = v128.load32_lane(p + 2 * stride, v, 2);
  return v128.load32_lane(p + 3 * stride, v, 3);
}

@inline function reduceStep(acc: v128, x: v128, isMax: bool): v128 {
  return isMax ? v128.bitselect(x, acc, v128.or(f32x4.gt(x, acc), f32x4.ne(x, x))) : f32x4.add(acc, x);
}

export function sumRowsInto(src: usize, dst: usize, rows: i32, length: i32): void {
  reduceRows(src, dst, rows, length, false);
}

export function maxRowsInto(src: usize, dst: usize, rows: i32, length: i32): void {
  reduceRows(src, dst, rows, length, true);
}

/** The smallest normal float32 (2^-126): below it in magnitude a float32 is subnormal. */
const SMALLEST_NORMAL: f32 = 1.1754943508222875e-38;

/**
 * One Adam update of n parameters, as adam.ts's engine path writes it op by op, each op
 * rounded to float32 as the backend's kernels round it, so the same bits:
 *   m ← flush(β1·m + (1-β1)·g), v ← flush(β2·v + (1-β2)·g²), out ← flush(x − m / (√v + ε) · stepSize).
 * flush() stores a subnormal result as +0, as TensorFlow does on a CPU (its thread pools set
 * flush-to-zero): WebAssembly has no such mode, and x86 takes ~100 cycles an operation on a subnormal.
 * m and v are updated in place; the parameters go to `out`, a new tensor (adam-on-wasm.ts).
 */
export function adamInto(x: usize, g: usize, m: usize, v: usize, out: usize, n: i32, beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, epsilon: f32, stepSize: f32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const gi = v128.load(g + at);
    const mi = flush4(f32x4.add(f32x4.mul(v128.load(m + at), f32x4.splat(beta1)), f32x4.mul(gi, f32x4.splat(oneMinusBeta1))));
    const vi = flush4(f32x4.add(f32x4.mul(v128.load(v + at), f32x4.splat(beta2)), f32x4.mul(f32x4.mul(gi, gi), f32x4.splat(oneMinusBeta2))));
    const step = f32x4.mul(f32x4.div(mi, f32x4.add(f32x4.sqrt(vi), f32x4.splat(epsilon))), f32x4.splat(stepSize));
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    v128.store(out + at, flush4(f32x4.sub(v128.load(x + at), step)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const gi = load<f32>(g + at);
    const mi = flush(load<f32>(m + at) * beta1 + gi * oneMinusBeta1);
    const vi = flush(load<f32>(v + at) * beta2 + gi * gi * oneMinusBeta2);
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    store<f32>(out + at, flush(load<f32>(x + at) - (mi / (Mathf.sqrt(vi) + epsilon)) * stepSize));
  }
}

/** +0 for a subnormal or zero lane, the lane itself otherwise (NaN included). */
@inline function flush4(x: v128): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), f32x4.splat(SMALLEST_NORMAL)));
}

@inline function flush(x: f32): f32 {
  return Mathf.abs(x) < SMALLEST_NORMAL ? 0 : x;
}
