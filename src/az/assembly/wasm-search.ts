// AssemblyScript, compiled to src/az/wasm-search.wasm.ts by `npm run gen:wasm`.
//
// The batched PUCT search of batched-search.ts and mcts.ts for Connect Four and Pentago, as
// one WebAssembly module: the trees, the boards, the observations, the round's deduplication
// and the least-recently-used evaluation cache. In JavaScript the search cost more than the
// width-16 networks themselves (~0.9 µs a network row on Connect Four); here it costs 2-3x
// less. The JavaScript facade (wasm-forest.ts) runs the network between beginRound() and
// endRound().
//
// Every choice is the JavaScript search's, to the bit: the same selection scores in f64,
// the same tie-breaks, unvisited actions ranked as rankUnvisited ranks them (Connect Four
// scores every action instead, which chooses the same: scanSelect), exact terminal
// values, the same root noise mixing, the same LRU order. A test runs both on random
// positions and compares the trees' visit counts and counters.
//
// A position is two u64 words, A and B:
//   Connect Four  A = the stones of the player to move, B = the occupied cells, in Pascal
//                 Pons' layout (connect4.ts): bit col·(height+1) + row.
//   Pentago       A = player 0's stones, B = player 1's, in pentago.ts's layout with its
//                 hi word above its lo word: quadrant q's 9 cells are bits 9q .. 9q+8.

const CONNECT4: i32 = 0;
const PENTAGO: i32 = 1;

// The game.
let game: i32 = CONNECT4;
let numActions: i32 = 7;
let cells: i32 = 42;
let observationSize: i32 = 126;
let maxPlies: i32 = 42;
/** Per bit of a position word: its cell (row-major, as the observation planes are). */
const cellOfBit = new StaticArray<i32>(64);
/** The empty board's observation: every cell on the empty plane. */
let emptyObservation = new StaticArray<f32>(0);

// Connect Four.
let height: i32 = 6;
/** Per column: its top playable cell's bit. */
let topBit = new StaticArray<u64>(0);

// Pentago.
/** Per cell (y·6 + x): its bit. */
const pentagoBit = new StaticArray<i32>(36);
/** A quadrant's 9 bits rotated counter-clockwise (entries 0 .. 511) and clockwise (512 ..). */
const rotated = new StaticArray<u16>(1024);
/** The 32 lines of five cells, as masks. */
const fiveLines = new StaticArray<u64>(32);

// PUCT.
let c: f64 = 2;
let noiseEpsilon: f64 = 0;

// Trees: node i of tree t is record t·nodeCapacity + i of `nodes`, one cache line each (the
// network call between two rounds evicts the trees; a node's fields come back together).
let active: i32 = 0;
let nodeCapacity: i32 = 0;
let pathCapacity: i32 = 0;
let nodes: usize = 0;
/**
 * Connect Four (up to 8 columns): per node, its actions' statistics, EDGE_BYTES a node, for
 * scanSelect; 0 in other games. Each child's mean and visits also live in its parent's block,
 * so that selection reads one block per level in action order, not a list of child records.
 */
let edges: usize = 0;
const EDGE_BYTES: usize = 128;
/** 8 f64s: each action's child's MEAN (0 without a child). */
const EDGE_MEAN: usize = 0;
/** 8 f32s: each action's child's VISITS + 1 (1 without a child), the score's divisor. */
const EDGE_VISITS_PLUS_1: usize = 64;
/** 8 i32s: each action's child (-1: none yet). */
const EDGE_CHILD: usize = 96;
/** Per lane of scanSelect: whether the board has its column (topBit is 0 past them). */
const laneIsColumn = new StaticArray<i64>(8);
/** An expanded node's priors, numActions f32s per node record (heap.alloc: pages are touched only as rows are written). */
let priorRows: usize = 0;
let sizeOf = new StaticArray<i32>(0);
let path = new StaticArray<i32>(0);
let pathLength = new StaticArray<i32>(0);
/** Root noise per tree (numActions each, over its legal actions in order), drawn by JavaScript at reset. */
let noise = new StaticArray<f64>(0);
let hasNoise = new StaticArray<u8>(0);

// A node record's fields (byte offsets).
const NODE_BYTES: usize = 64;
/** Sum of the backed-up values, for the player who moved into the node. */
const VALUE_SUM: usize = 0;
/** VALUE_SUM / VISITS as of the last backup: selection's Q, divided once per visit rather than per look. */
const MEAN: usize = 8;
const WORD_A: usize = 16;
const WORD_B: usize = 24;
const VISITS: usize = 32;
/** The prior of the action into the node, in the parent's row. */
const PRIOR: usize = 36;
const FIRST_CHILD: usize = 40;
const NEXT_SIBLING: usize = 44;
const ACTION: usize = 48;
const EXPANDED: usize = 50;
const PLY: usize = 51;
/** The exact value for the player to move at a terminal node, as LOST, DRAWN or WON; NOT_TERMINAL if it is not terminal. */
const TERMINAL: usize = 52;
/** rankUnvisited's state: how many actions the last scan ranked (-1: none left), how many of them have their child. */
const RANK_COUNT: usize = 53;
const RANK_NEXT: usize = 54;
/** The best actions without a child from the last scan, best first: RANKED u16s. */
const RANKED_AT: usize = 56;
/** Four: rankUnvisited keeps the ranked entries in the lanes of an i32x4. */
const RANKED: i32 = 4;

const NOT_TERMINAL: u8 = 0;
const LOST: u8 = 1;
const DRAWN: u8 = 2;
const WON: u8 = 3;

@inline function terminalValue(code: u8): f64 {
  return code == LOST ? -1.0 : code == WON ? 1.0 : 0.0;
}

@inline function node(t: i32, id: i32): usize {
  return nodes + <usize>(t * nodeCapacity + id) * NODE_BYTES;
}

/** Byte address of node id's edge statistics (Connect Four). */
@inline function edgeAt(t: i32, id: i32): usize {
  return edges + <usize>(t * nodeCapacity + id) * EDGE_BYTES;
}

/** Byte address of node id's row of priors. */
@inline function rowAt(t: i32, id: i32): usize {
  return priorRows + ((<usize>(t * nodeCapacity + id) * <usize>numActions) << 2);
}

// The round's batch: JavaScript reads observations and masks, writes priors and values.
let observations = new StaticArray<f32>(0);
let legalMasks = new StaticArray<u8>(0);
let outPriors = new StaticArray<f32>(0);
let outValues = new StaticArray<f32>(0);
let rowKeyA = new StaticArray<u64>(0);
let rowKeyB = new StaticArray<u64>(0);
let rowTree = new StaticArray<i32>(0);
let duplicateRow = new StaticArray<i32>(0);
let duplicateTree = new StaticArray<i32>(0);
let batchRows: i32 = 0;
let duplicates: i32 = 0;
let roundTable = new KeyTable(0);

/** The action of a positive prior that was illegal where the search chose it (-1: none), and the prior. */
let illegalAction: i32 = -1;
let illegalPrior: f32 = 0;

// Counters since the last takeCounter().
let simulations: i32 = 0;
let terminalLeaves: i32 = 0;
let cacheHits: i32 = 0;

/** Position (two words) → value, open addressing with linear probing; entries of older generations are empty, so clear() is O(1). */
class KeyTable {
  keysA: StaticArray<u64>;
  keysB: StaticArray<u64>;
  values: StaticArray<i32>;
  stamps: StaticArray<i32>;
  mask: i32;
  stamp: i32 = 1;

  constructor(capacity: i32) {
    let n = 16;
    while (n < 2 * capacity) n <<= 1;
    this.keysA = new StaticArray<u64>(n);
    this.keysB = new StaticArray<u64>(n);
    this.values = new StaticArray<i32>(n);
    this.stamps = new StaticArray<i32>(n);
    this.mask = n - 1;
  }

  @inline home(a: u64, b: u64): i32 {
    return <i32>(((a ^ (b * 0xff51afd7ed558ccd)) * 0x9e3779b97f4a7c15) >> 40) & this.mask;
  }

  /** The position's value, or -1. */
  get(a: u64, b: u64): i32 {
    const stamp = this.stamp;
    for (let h = this.home(a, b); unchecked(this.stamps[h]) == stamp; h = (h + 1) & this.mask) {
      if (unchecked(this.keysA[h]) == a && unchecked(this.keysB[h]) == b) return unchecked(this.values[h]);
    }
    return -1;
  }

  /** Inserts a position that is not in the table. */
  insert(a: u64, b: u64, value: i32): void {
    const stamp = this.stamp;
    let h = this.home(a, b);
    while (unchecked(this.stamps[h]) == stamp) h = (h + 1) & this.mask;
    unchecked((this.stamps[h] = stamp));
    unchecked((this.keysA[h] = a));
    unchecked((this.keysB[h] = b));
    unchecked((this.values[h] = value));
  }

  /** Removes a position that is in the table, shifting back the entries probed past it. */
  remove(a: u64, b: u64): void {
    const stamp = this.stamp;
    const mask = this.mask;
    let hole = this.home(a, b);
    while (unchecked(this.stamps[hole]) != stamp || unchecked(this.keysA[hole]) != a || unchecked(this.keysB[hole]) != b) hole = (hole + 1) & mask;
    for (let h = (hole + 1) & mask; unchecked(this.stamps[h]) == stamp; h = (h + 1) & mask) {
      const home = this.home(unchecked(this.keysA[h]), unchecked(this.keysB[h]));
      // The entry may fill the hole unless its home lies cyclically in (hole, h].
      if (((h - home) & mask) >= ((h - hole) & mask)) {
        unchecked((this.keysA[hole] = this.keysA[h]));
        unchecked((this.keysB[hole] = this.keysB[h]));
        unchecked((this.values[hole] = this.values[h]));
        hole = h;
      }
    }
    unchecked((this.stamps[hole] = 0));
  }

  clear(): void {
    if (++this.stamp == 0x7fffffff) {
      this.stamp = 1;
      for (let i = 0; i <= this.mask; i++) unchecked((this.stamps[i] = 0));
    }
  }
}

// The evaluation cache (evaluation-cache.ts): slots in least- to most-recently-used order.
let cacheCapacity: i32 = 0;
let cacheAllocated: i32 = 0;
let cacheTable = new KeyTable(0);
/** numActions f32s per slot (heap.alloc, as priorRows: a big cache costs memory only as it fills). */
let cachePriors: usize = 0;
let cacheValues = new StaticArray<f32>(0);
let cacheKeyA = new StaticArray<u64>(0);
let cacheKeyB = new StaticArray<u64>(0);
let older = new StaticArray<i32>(0);
let newer = new StaticArray<i32>(0);
let oldest: i32 = -1;
let newest: i32 = -1;

/** Connect Four on a board of `width` columns and `h` rows. */
export function setConnect4(width: i32, h: i32): void {
  game = CONNECT4;
  height = h;
  numActions = width;
  setCells(width * h);
  // At least 8 entries, 0 past the columns: scanSelect loads them two lanes at a time.
  topBit = new StaticArray<u64>(max(width, 8));
  for (let lane = 0; lane < 8; lane++) unchecked((laneIsColumn[lane] = lane < width ? -1 : 0));
  for (let col = 0; col < width; col++) {
    unchecked((topBit[col] = (<u64>1) << (<u64>(col * (h + 1) + h - 1))));
    for (let row = 0; row < h; row++) unchecked((cellOfBit[col * (h + 1) + row] = row * width + col));
  }
}

/** Pentago, with pentago.ts's tables. */
export function setPentago(): void {
  game = PENTAGO;
  numActions = 288;
  setCells(36);
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 6; x++) {
      // Quadrants: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left.
      const q = y < 3 ? (x < 3 ? 0 : 1) : x < 3 ? 3 : 2;
      const bit = q * 9 + (y % 3) * 3 + (x % 3);
      unchecked((pentagoBit[y * 6 + x] = bit));
      unchecked((cellOfBit[bit] = y * 6 + x));
    }
  }
  for (let b = 0; b < 512; b++) {
    let ccw = 0;
    let cw = 0;
    for (let ly = 0; ly < 3; ly++) {
      for (let lx = 0; lx < 3; lx++) {
        if (((b >> (ly * 3 + lx)) & 1) == 0) continue;
        cw |= 1 << (lx * 3 + (2 - ly));
        ccw |= 1 << ((2 - lx) * 3 + ly);
      }
    }
    unchecked((rotated[b] = <u16>ccw));
    unchecked((rotated[512 + b] = <u16>cw));
  }
  let line = 0;
  for (let d = 0; d < 4; d++) {
    const dx = d == 1 ? 0 : 1;
    const dy = d == 0 ? 0 : d == 3 ? -1 : 1;
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) {
        const ex = x + 4 * dx;
        const ey = y + 4 * dy;
        if (ex < 0 || ex > 5 || ey < 0 || ey > 5) continue;
        let m: u64 = 0;
        for (let k = 0; k < 5; k++) m |= (<u64>1) << (<u64>unchecked(pentagoBit[(y + k * dy) * 6 + x + k * dx]));
        unchecked((fiveLines[line++] = m));
      }
    }
  }
}

function setCells(n: i32): void {
  cells = n;
  observationSize = 3 * n;
  maxPlies = n;
  emptyObservation = new StaticArray<f32>(observationSize);
  for (let i = 2 * n; i < observationSize; i++) unchecked((emptyObservation[i] = 1));
}

export function setSearch(exploration: f64, epsilon: f64): void {
  c = exploration;
  noiseEpsilon = epsilon;
}

/**
 * Whether selection scans every action (scanSelect): Connect Four boards of up to 8 columns,
 * at a c for which c·√N·P neither overflows nor falls below f64's normal range for any f32
 * prior and N up to 2^32 (c in [1e-250, 1e300]; the params ask only c > 0).
 */
@inline function scansActions(): bool {
  return game == CONNECT4 && numActions <= 8 && c >= 1e-250 && c <= 1e300;
}

/** Bytes a node takes in the largest of the arrays that setTrees() sizes per node. */
export function nodeArrayBytes(): i32 {
  return max(<i32>NODE_BYTES, max(numActions << 2, scansActions() ? <i32>EDGE_BYTES : 0));
}

/** Room for `n` trees of `nodeCount` nodes each, and a batch of `n` rows. Trees start empty. */
export function setTrees(n: i32, nodeCount: i32): void {
  active = 0;
  nodeCapacity = nodeCount;
  pathCapacity = maxPlies + 1;
  const all = n * nodeCount;
  nodes = heap.alloc(<usize>all * NODE_BYTES + NODE_BYTES);
  nodes = (nodes + NODE_BYTES - 1) & ~(NODE_BYTES - 1);
  // 64 bytes beyond the last row: rankUnvisited reads a row in blocks of 16 priors.
  priorRows = heap.alloc(((<usize>all * <usize>numActions) << 2) + 64);
  edges = 0;
  if (scansActions()) {
    edges = heap.alloc(<usize>all * EDGE_BYTES + EDGE_BYTES);
    edges = (edges + 63) & ~63;
  }
  sizeOf = new StaticArray<i32>(n);
  path = new StaticArray<i32>(n * pathCapacity);
  pathLength = new StaticArray<i32>(n);
  leafOf = new StaticArray<i32>(n);
  noise = new StaticArray<f64>(n * numActions);
  hasNoise = new StaticArray<u8>(n);
  observations = new StaticArray<f32>(n * observationSize);
  legalMasks = new StaticArray<u8>(n * numActions);
  outPriors = new StaticArray<f32>(n * numActions);
  outValues = new StaticArray<f32>(n);
  rowKeyA = new StaticArray<u64>(n);
  rowKeyB = new StaticArray<u64>(n);
  rowTree = new StaticArray<i32>(n);
  duplicateRow = new StaticArray<i32>(n);
  duplicateTree = new StaticArray<i32>(n);
  roundTable = new KeyTable(n);
}

export function setCache(capacity: i32): void {
  cacheCapacity = capacity;
  cacheTable = new KeyTable(capacity);
  cachePriors = heap.alloc((<usize>capacity * <usize>numActions) << 2);
  cacheValues = new StaticArray<f32>(capacity);
  cacheKeyA = new StaticArray<u64>(capacity);
  cacheKeyB = new StaticArray<u64>(capacity);
  older = new StaticArray<i32>(capacity);
  newer = new StaticArray<i32>(capacity);
  clearCache();
}

export function clearCache(): void {
  cacheTable.clear();
  cacheAllocated = 0;
  oldest = -1;
  newest = -1;
}

/** Byte addresses of the arrays JavaScript reads or writes. */
export function observationsAt(): usize { return changetype<usize>(observations); }
export function legalMasksAt(): usize { return changetype<usize>(legalMasks); }
export function priorsAt(): usize { return changetype<usize>(outPriors); }
export function valuesAt(): usize { return changetype<usize>(outValues); }
export function noiseAt(): usize { return changetype<usize>(noise); }

/** Starts tree t's search at a non-terminal position (its words in 32-bit halves); `withNoise`: noiseAt()'s row t holds its root noise. */
export function reset(t: i32, aLo: u32, aHi: u32, bLo: u32, bHi: u32, ply: i32, withNoise: bool): void {
  unchecked((sizeOf[t] = 0));
  unchecked((hasNoise[t] = withNoise ? 1 : 0));
  newNode(t, ((<u64>aHi) << 32) | <u64>aLo, ((<u64>bHi) << 32) | <u64>bLo, ply, NOT_TERMINAL);
}

// ---------------------------------------------------------------------------------------
// Root noise of Dirichlet(1, ..., 1), drawn here as Rng.dirichlet(1, n) draws it in JavaScript
// (src/engine/rng.ts): the same generator words in, the same bits out, the words written back.
// A Pentago root has up to 288 legal actions; in JavaScript the draws cost ~7% of self-play.

/** The drawing generator's four xoshiro128** words (JavaScript copies a Rng's in and back out). */
const rngWords = new StaticArray<i32>(4);

export function rngWordsAt(): usize { return changetype<usize>(rngWords); }

@inline function rotl(x: i32, k: i32): i32 {
  return (x << k) | <i32>(<u32>x >>> (32 - k));
}

/** 2^-53: Rng.next's scale from 53 bits to [0, 1). */
const UNIT_53: f64 = 1.1102230246251565e-16;

/**
 * fdlibm's __ieee754_log (e_log.c), operation for operation: the log V8's Math.log computes
 * (v8/src/base/ieee754.cc), so -log(1 - u) has Rng.gamma(1)'s bits. wasm has no implicit
 * fused multiply-add, and neither has the C build of it for x86-64.
 */
@inline function fdlibmLog(x: f64): f64 {
  const ln2Hi = 6.93147180369123816490e-01;
  const ln2Lo = 1.90821492927058770002e-10;
  const two54 = 1.80143985094819840000e16;
  const Lg1 = 6.666666666666735130e-01;
  const Lg2 = 3.999999999940941908e-01;
  const Lg3 = 2.857142874366239149e-01;
  const Lg4 = 2.222219843214978396e-01;
  const Lg5 = 1.818357216161805012e-01;
  const Lg6 = 1.531383769920937332e-01;
  const Lg7 = 1.479819860511658591e-01;
  let bits = reinterpret<i64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <i32>bits;
  let k: i32 = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= two54;
    hx = <i32>(reinterpret<i64>(x) >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  // x's high word set to hx | (i ^ 0x3ff00000): x or x/2, normalized into [sqrt(2)/2, sqrt(2)).
  x = reinterpret<f64>((reinterpret<i64>(x) & 0xffffffff) | (<i64>(hx | (i ^ 0x3ff00000)) << 32));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0) {
      if (k == 0) return 0;
      const dk = <f64>k;
      return dk * ln2Hi + dk * ln2Lo;
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * ln2Hi - ((R - dk * ln2Lo) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  const R = t2 + t1;
  // Without fdlibm's branches, which the noise's uniform inputs take at random (a mispredicted
  // branch or two cost more than the rest of a log). Both of its ways are computed and one is
  // chosen through an integer select (V8 compiles an f64 select to a branch), and its k == 0
  // forms are its k != 0 ones at dk = 0: here |f| >= 2^-20 and the correction is far below
  // f, so dk*ln2Hi - (c - f) = 0 - (c - f) = f - c to the bit.
  const hfsq = 0.5 * f * f;
  const withHfsq = dk * ln2Hi - ((hfsq - (s * (hfsq + R) + dk * ln2Lo)) - f);
  const withoutHfsq = dk * ln2Hi - ((s * (f - R) - dk * ln2Lo) - f);
  return reinterpret<f64>(select<i64>(reinterpret<i64>(withHfsq), reinterpret<i64>(withoutHfsq), i > 0));
}

/** fdlibmLog for JavaScript, which checks it against Math.log before the module draws noise. */
export function logOf(x: f64): f64 {
  return fdlibmLog(x);
}

// fdlibmLog2's constants, both lanes of each, loaded from memory where the loop needs them:
// V8 builds a constant vector anew at every use, from a general register, in two or three
// instructions; a load is one.
const LOG2_INTS: StaticArray<i64> = [1023, 1023, 0x000fffff, 0x000fffff, 0x95f64, 0x95f64, 0x100000, 0x100000, 0xffffffff, 0xffffffff, 0x3ff00000, 0x3ff00000, 2, 2, 3, 3, 0x6147a, 0x6147a, 0x6b851, 0x6b851, 0, 0];
const LOG2_FLOATS: StaticArray<f64> = [1.0, 1.0, 2.0, 2.0, 3.999999999940941908e-01, 3.999999999940941908e-01, 2.222219843214978396e-01, 2.222219843214978396e-01, 1.531383769920937332e-01, 1.531383769920937332e-01, 6.666666666666735130e-01, 6.666666666666735130e-01, 2.857142874366239149e-01, 2.857142874366239149e-01, 1.818357216161805012e-01, 1.818357216161805012e-01, 1.479819860511658591e-01, 1.479819860511658591e-01, 0.5, 0.5, 6.93147180369123816490e-01, 6.93147180369123816490e-01, 1.90821492927058770002e-10, 1.90821492927058770002e-10];

@inline function ints(i: i32): v128 {
  return v128.load(changetype<usize>(LOG2_INTS) + (<usize>i << 4));
}

@inline function floats(i: i32): v128 {
  return v128.load(changetype<usize>(LOG2_FLOATS) + (<usize>i << 4));
}

/**
 * fdlibmLog of both lanes of x, for inputs in [2^-53, 1] (1 - u for the generator's u in
 * [0, 1)): normal, finite and positive, so fdlibm's first two cases never arise. The same
 * operations in the same order, in f64x2 lanes, which round as the scalar ones do; lanes in
 * fdlibm's |f| < 2^-20 case (one input in ~2^19) go to fdlibmLog.
 */
@inline function fdlibmLog2(x: v128): v128 {
  const bits = x;
  // Logical shifts: every word here is non-negative, and x86 has no 64-bit arithmetic shift
  // of vectors below AVX-512 (V8 emulates i64x2.shr_s in several instructions).
  let hx = i64x2.shr_u(bits, 32);
  let k = i64x2.sub(i64x2.shr_u(hx, 20), ints(0));
  hx = v128.and(hx, ints(1));
  const i = v128.and(i64x2.add(hx, ints(2)), ints(3));
  const y = v128.or(v128.and(bits, ints(4)), i64x2.shl(v128.or(hx, v128.xor(i, ints(5))), 32));
  k = i64x2.add(k, i64x2.shr_u(i, 20));
  const rare = i64x2.lt_s(v128.and(i64x2.add(hx, ints(6)), ints(1)), ints(7));
  if (v128.any_true(rare)) {
    return f64x2.replace_lane(f64x2.splat(fdlibmLog(f64x2.extract_lane(x, 0))), 1, fdlibmLog(f64x2.extract_lane(x, 1)));
  }
  const f = f64x2.sub(y, floats(0));
  const s = f64x2.div(f, f64x2.add(floats(1), f));
  // k's two lanes as the low two i32 lanes, then to f64.
  const dk = f64x2.convert_low_i32x4_s(i8x16.shuffle(k, k, 0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(floats(2), f64x2.mul(w, f64x2.add(floats(3), f64x2.mul(w, floats(4))))));
  const t2 = f64x2.mul(
    z,
    f64x2.add(
      floats(5),
      f64x2.mul(w, f64x2.add(floats(6), f64x2.mul(w, f64x2.add(floats(7), f64x2.mul(w, floats(8)))))),
    ),
  );
  const withHfsqLane = v128.or(i64x2.sub(hx, ints(8)), i64x2.sub(ints(9), hx));
  const R = f64x2.add(t2, t1);
  const hfsq = f64x2.mul(f64x2.mul(floats(9), f), f);
  const ln2Hi = f64x2.mul(dk, floats(10));
  const ln2Lo = f64x2.mul(dk, floats(11));
  const withHfsq = f64x2.sub(ln2Hi, f64x2.sub(f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), ln2Lo)), f));
  const withoutHfsq = f64x2.sub(ln2Hi, f64x2.sub(f64x2.sub(f64x2.mul(s, f64x2.sub(f, R)), ln2Lo), f));
  return v128.bitselect(withHfsq, withoutHfsq, i64x2.gt_s(withHfsqLane, ints(10)));
}

/** logOf2's second lane, for logOf2Second(). */
let log2Second: f64 = 0;

/** fdlibmLog2 for JavaScript, which checks it against Math.log as it checks logOf: the first lane's log. */
export function logOf2(x0: f64, x1: f64): f64 {
  const y = fdlibmLog2(f64x2.replace_lane(f64x2.splat(x0), 1, x1));
  log2Second = f64x2.extract_lane(y, 1);
  return f64x2.extract_lane(y, 0);
}

/** The second lane's log of the last logOf2(). */
export function logOf2Second(): f64 {
  return log2Second;
}

/**
 * Tree t's root noise (after reset(t, ...)): Rng.dirichlet(1, n) over its n legal actions,
 * in action order, from the generator in rngWords.
 */
export function drawRootNoise(t: i32): void {
  const at = node(t, 0);
  const a = load<u64>(at, WORD_A);
  const b = load<u64>(at, WORD_B);
  const row = t * numActions;
  // The generator's words in locals for the loop (Rng.nextU32's step, twice per Rng.next).
  let w0 = unchecked(rngWords[0]);
  let w1 = unchecked(rngWords[1]);
  let w2 = unchecked(rngWords[2]);
  let w3 = unchecked(rngWords[3]);
  // The generator's draws first, as the inputs 1 - u of their logs; then the logs two at a
  // time; then their sum, in draw order as JavaScript adds them.
  const out = changetype<usize>(noise) + (<usize>row << 3);
  let n = 0;
  for (let action = 0; action < numActions; action++) {
    if (!isLegal(a, b, action)) continue;
    let c = w2 ^ w0;
    let d = w3 ^ w1;
    const hi = <u32>(rotl(w1 * 5, 7) * 9) >>> 5;
    w2 = c ^ (w1 << 9);
    w3 = rotl(d, 11);
    w0 ^= d;
    w1 ^= c;
    c = w2 ^ w0;
    d = w3 ^ w1;
    const lo = <u32>(rotl(w1 * 5, 7) * 9) >>> 6;
    w2 = c ^ (w1 << 9);
    w3 = rotl(d, 11);
    w0 ^= d;
    w1 ^= c;
    store<f64>(out + (<usize>n << 3), 1 - (<f64>hi * 67108864 + <f64>lo) * UNIT_53);
    n++;
  }
  unchecked((rngWords[0] = w0));
  unchecked((rngWords[1] = w1));
  unchecked((rngWords[2] = w2));
  unchecked((rngWords[3] = w3));
  const pairs = n & ~1;
  const minus = f64x2.splat(-0.0);
  for (let i = 0; i < pairs; i += 2) {
    const p = out + (<usize>i << 3);
    v128.store(p, v128.xor(fdlibmLog2(v128.load(p)), minus));
  }
  if (pairs < n) store<f64>(out + (<usize>pairs << 3), -fdlibmLog(load<f64>(out + (<usize>pairs << 3))));
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += load<f64>(out + (<usize>i << 3));
  if (!(sum > 0)) {
    for (let i = 0; i < n; i++) unchecked((noise[row + i] = 1 / <f64>n));
    return;
  }
  const total = f64x2.splat(sum);
  for (let i = 0; i < pairs; i += 2) {
    const p = out + (<usize>i << 3);
    v128.store(p, f64x2.div(v128.load(p), total));
  }
  if (pairs < n) store<f64>(out + (<usize>pairs << 3), load<f64>(out + (<usize>pairs << 3)) / sum);
}

/** Trees 0 .. n-1 take part in the rounds. */
export function setActive(n: i32): void {
  active = n;
}

@inline function newNode(t: i32, a: u64, b: u64, ply: i32, terminal: u8): i32 {
  const id = unchecked(sizeOf[t]);
  unchecked((sizeOf[t] = id + 1));
  const at = node(t, id);
  store<f64>(at, 0, VALUE_SUM);
  store<u64>(at, a, WORD_A);
  store<u64>(at, b, WORD_B);
  store<i32>(at, 0, VISITS);
  store<i32>(at, -1, FIRST_CHILD);
  store<u8>(at, 0, EXPANDED);
  store<u8>(at, <u8>ply, PLY);
  store<u8>(at, terminal, TERMINAL);
  store<i8>(at, 0, RANK_COUNT);
  store<i8>(at, 0, RANK_NEXT);
  if (edges != 0) {
    const e = edgeAt(t, id);
    for (let i: usize = 0; i < 64; i += 16) v128.store(e + EDGE_MEAN + i, f64x2.splat(0));
    v128.store(e + EDGE_VISITS_PLUS_1, f32x4.splat(1));
    v128.store(e + EDGE_VISITS_PLUS_1 + 16, f32x4.splat(1));
    v128.store(e + EDGE_CHILD, i32x4.splat(-1));
    v128.store(e + EDGE_CHILD + 16, i32x4.splat(-1));
  }
  return id;
}

// ---------------------------------------------------------------------------------------
// The games' rules, as the search needs them.

@inline function isLegal(a: u64, b: u64, action: i32): bool {
  if (game == CONNECT4) return (b & unchecked(topBit[action])) == 0;
  return ((a | b) & ((<u64>1) << (<u64>unchecked(pentagoBit[action >> 3])))) == 0;
}

@inline function hasFourAlong(stones: u64, shift: u64): bool {
  const pairs = stones & (stones >> shift);
  return (pairs & (pairs >> (shift + shift))) != 0;
}

/** Whether `stones` hold one of the 32 lines of five: two lines a step, without a branch per line. */
@inline function hasFive(stones: u64): bool {
  const s = i64x2.splat(stones);
  const lines = changetype<usize>(fiveLines);
  let hit = i64x2.splat(0);
  for (let i: usize = 0; i < 32 * 8; i += 16) {
    const m = v128.load(lines + i);
    hit = v128.or(hit, i64x2.eq(v128.and(s, m), m));
  }
  return v128.any_true(hit);
}

@inline function rotateQuadrant(stones: u64, shift: u64, table: i32): u64 {
  return (stones & ~((<u64>511) << shift)) | ((<u64>unchecked(rotated[table + <i32>((stones >> shift) & 511)])) << shift);
}

/** Makes the child of `parent` by `action` (legal there) and returns its id. */
function newChild(t: i32, parent: i32, action: i32, prior: f32): i32 {
  const p = node(t, parent);
  const a = load<u64>(p, WORD_A);
  const b = load<u64>(p, WORD_B);
  const ply = <i32>load<u8>(p, PLY) + 1;
  let childA: u64;
  let childB: u64;
  let terminal = NOT_TERMINAL;
  if (game == CONNECT4) {
    const column = <u64>(action * (height + 1));
    const stone = (b + ((<u64>1) << column)) & ((((<u64>1) << (<u64>height)) - 1) << column);
    const mover = a | stone;
    const h = <u64>height;
    if (hasFourAlong(mover, 1) || hasFourAlong(mover, h + 1) || hasFourAlong(mover, h) || hasFourAlong(mover, h + 2)) terminal = LOST;
    else if (ply == maxPlies) terminal = DRAWN;
    // The opponent moves next: their stones are the occupied cells minus the mover's.
    childA = a ^ b;
    childB = b | stone;
  } else {
    const stone = (<u64>1) << (<u64>unchecked(pentagoBit[action >> 3]));
    const shift = <u64>(9 * ((action >> 1) & 3));
    const table = (action & 1) << 9;
    childA = rotateQuadrant((ply & 1) == 1 ? a | stone : a, shift, table);
    childB = rotateQuadrant((ply & 1) == 0 ? b | stone : b, shift, table);
    const five0 = hasFive(childA);
    const five1 = hasFive(childB);
    // For the player to move at the child: player 0 when its ply is even.
    const toMoveIs0 = (ply & 1) == 0;
    if (five0 && five1) terminal = DRAWN;
    else if (five0) terminal = toMoveIs0 ? WON : LOST;
    else if (five1) terminal = toMoveIs0 ? LOST : WON;
    else if (ply == maxPlies) terminal = DRAWN;
  }
  const child = newNode(t, childA, childB, ply, terminal);
  const ch = node(t, child);
  store<u16>(ch, <u16>action, ACTION);
  store<f32>(ch, prior, PRIOR);
  store<i32>(ch, load<i32>(p, FIRST_CHILD), NEXT_SIBLING);
  store<i32>(p, child, FIRST_CHILD);
  if (edges != 0) store<i32>(edgeAt(t, parent) + EDGE_CHILD + (<usize>action << 2), child);
  return child;
}

/** Own stones, the opponent's, the empty cells: three planes of `cells`, row-major. */
function writeObservation(a: u64, b: u64, ply: i32, at: i32): void {
  let own = a;
  let opponent = a ^ b;
  if (game == PENTAGO) {
    own = (ply & 1) == 0 ? a : b;
    opponent = (ply & 1) == 0 ? b : a;
  }
  memory.copy(changetype<usize>(observations) + (<usize>at << 2), changetype<usize>(emptyObservation), <usize>observationSize << 2);
  const empty = at + 2 * cells;
  markStones(own, at, empty);
  markStones(opponent, at + cells, empty);
}

/** One player's stones onto an empty observation: set on their plane, cleared on the empty plane. */
@inline function markStones(stones: u64, plane: i32, empty: i32): void {
  for (; stones != 0; stones &= stones - 1) {
    const cell = unchecked(cellOfBit[<i32>ctz(stones)]);
    unchecked((observations[plane + cell] = 1));
    unchecked((observations[empty + cell] = 0));
  }
}

function writeLegalMask(a: u64, b: u64, at: i32): void {
  const masks = changetype<usize>(legalMasks) + <usize>at;
  if (game == CONNECT4) {
    for (let action = 0; action < numActions; action++) store<u8>(masks + <usize>action, isLegal(a, b, action) ? 1 : 0);
    return;
  }
  // A cell's 8 actions (its 8 rotations) in one store.
  const occupied = a | b;
  for (let cell = 0; cell < 36; cell++) {
    const free = ((occupied >> (<u64>unchecked(pentagoBit[cell]))) & 1) == 0;
    store<u64>(masks + (<usize>cell << 3), free ? 0x0101010101010101 : 0);
  }
}

/**
 * Copies `count` f32s: a row of priors, 28 bytes for Connect Four. memory.copy is a call out
 * of the module into the engine's memmove, which costs more than such a copy itself.
 */
@inline function copyFloats(to: usize, from: usize, count: i32): void {
  const bytes = <usize>count << 2;
  const blocks = bytes & ~15;
  let i: usize = 0;
  for (; i < blocks; i += 16) v128.store(to + i, v128.load(from + i));
  for (; i < bytes; i += 4) store<u32>(to + i, load<u32>(from + i));
}

// ---------------------------------------------------------------------------------------
// The search.

/**
 * A score's bits as an integer in the score's order: the same answers to < and == as the
 * f64s give, for every score selection computes (never NaN, never -0: values and priors are
 * finite, and x + y is -0 only when both are).
 */
@inline function orderKey(score: f64): i64 {
  const bits = reinterpret<i64>(score);
  return bits ^ ((bits >> 63) & 0x7fffffffffffffff);
}

/** orderKey's inverse (the map is its own inverse). */
@inline function scoreOf(key: i64): f64 {
  return reinterpret<f64>(key ^ ((key >> 63) & 0x7fffffffffffffff));
}

/** The child to descend into, made on the spot when the choice is an action without one. */
function selectChild(t: i32, parent: i32): i32 {
  // Tree t's records from `tree` on: the globals that place them are read once, not per child.
  const tree = node(t, 0);
  const at = tree + <usize>parent * NODE_BYTES;
  const explore = c * Math.sqrt(<f64>load<i32>(at, VISITS));
  let best = -1;
  let bestAction = 0;
  let bestKey = orderKey(-Infinity);
  // Without branches: which child scores best is a coin toss for the branch predictor. The
  // scores are compared as integers (orderKey) because V8 compiles a select of f64s to a
  // branch, and a select of integers to a conditional move.
  for (let child = load<i32>(at, FIRST_CHILD); child != -1; ) {
    const ch = tree + <usize>child * NODE_BYTES;
    const n = <f64>load<i32>(ch, VISITS);
    const action = <i32>load<u16>(ch, ACTION);
    const key = orderKey(load<f64>(ch, MEAN) + (explore * <f64>load<f32>(ch, PRIOR)) / (n + 1));
    const better = <i32>(key > bestKey) | (<i32>(key == bestKey) & <i32>(action < bestAction));
    bestKey = select<i64>(key, bestKey, better != 0);
    best = select<i32>(child, best, better != 0);
    bestAction = select<i32>(action, bestAction, better != 0);
    child = load<i32>(ch, NEXT_SIBLING);
  }
  const bestScore = scoreOf(bestKey);
  // Every unvisited action scores c·P·√N: the best of them is the highest-ranked one.
  let next = <i32>load<i8>(at, RANK_NEXT);
  if (next == <i32>load<i8>(at, RANK_COUNT)) {
    rankUnvisited(t, parent);
    next = 0;
  }
  if (load<i8>(at, RANK_COUNT) != -1) {
    const candidate = <i32>load<u16>(at + RANKED_AT + (<usize>next << 1));
    const prior = load<f32>(rowAt(t, parent) + (<usize>candidate << 2));
    const score = explore * <f64>prior;
    if (score > bestScore || (score == bestScore && candidate < bestAction)) {
      // Only a positive prior ranks an action without checking that it is legal: the
      // evaluation broke its promise (priors of exactly 0 on illegal actions).
      if (!isLegal(load<u64>(at, WORD_A), load<u64>(at, WORD_B), candidate)) {
        illegalAction = candidate;
        illegalPrior = prior;
        return -1;
      }
      store<i8>(at, <i8>(next + 1), RANK_NEXT);
      return newChild(t, parent, candidate, prior);
    }
  }
  return best;
}

/**
 * Selection over a Connect Four node's actions, two lanes at a time: every action scored as
 * Q + c·P·√N/(n+1), Q = 0 and n = 0 without a child, and the best action returned, ties to
 * the lower one, without a branch (takeAction acts on it). It is selectChild's choice: an
 * action without a child scores (c·√N·P)/1 + 0, the bits of selectChild's c·√N·P, and for
 * c·√N in scansActions()'s range that product orders distinct f32 priors strictly, so the
 * best of them is the one rankUnvisited ranks first (highest prior, then lower action).
 * Excluded, as rankUnvisited excludes them: illegal actions of prior 0 and lanes past the
 * board's columns; an illegal action of positive prior is scored, and takeAction refuses it
 * as selectChild does. Without the list of children and the ranking, a level costs one
 * block's loads and no branch per action: 0.15 -> 0.12 µs of beginRound a network row
 * (64 games, width 16).
 */
@inline function scanSelect(t: i32, parent: i32): i32 {
  const at = node(t, parent);
  const explore = f64x2.splat(c * Math.sqrt(<f64>load<i32>(at, VISITS)));
  const e = edgeAt(t, parent);
  const row = rowAt(t, parent);
  const b = load<u64>(at, WORD_B);
  const s0 = laneScores(e, row, 0, explore, b);
  const s1 = laneScores(e, row, 1, explore, b);
  const s2 = laneScores(e, row, 2, explore, b);
  const s3 = laneScores(e, row, 3, explore, b);
  // The best score in both lanes of m, then the lowest lane that has it. No score is NaN or
  // -0 (orderKey's reasoning), so pmax and eq compare them as selectChild's keys do.
  let m = f64x2.pmax(f64x2.pmax(s0, s1), f64x2.pmax(s2, s3));
  m = f64x2.pmax(m, i8x16.shuffle(m, m, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  const best = i64x2.bitmask(f64x2.eq(s0, m)) | (i64x2.bitmask(f64x2.eq(s1, m)) << 2) | (i64x2.bitmask(f64x2.eq(s2, m)) << 4) | (i64x2.bitmask(f64x2.eq(s3, m)) << 6);
  return <i32>ctz(best);
}

/** The child of `parent` by scanSelect's `action`, made if it has none; -1 when the action is illegal (the caller reports it). */
@inline function takeAction(t: i32, parent: i32, action: i32): i32 {
  const child = load<i32>(edgeAt(t, parent) + EDGE_CHILD + (<usize>action << 2));
  if (child >= 0) return child;
  const at = node(t, parent);
  if (!isLegal(load<u64>(at, WORD_A), load<u64>(at, WORD_B), action)) return -1;
  return newChild(t, parent, action, load<f32>(rowAt(t, parent) + (<usize>action << 2)));
}

/** The scores of actions 2k and 2k + 1 (scanSelect), -Infinity where excluded. */
@inline function laneScores(e: usize, row: usize, k: usize, explore: v128, b: u64): v128 {
  const mean = v128.load(e + EDGE_MEAN + (k << 4));
  const visitsPlus1 = f64x2.promote_low_f32x4(v128.load64_zero(e + EDGE_VISITS_PLUS_1 + (k << 3)));
  // Lane 7 of a 7-column row reads the next row's first prior (or the 64 bytes past the
  // last row): a lane past the columns is excluded whatever it reads.
  const prior = f64x2.promote_low_f32x4(v128.load64_zero(row + (k << 3)));
  const score = f64x2.add(mean, f64x2.div(f64x2.mul(explore, prior), visitsPlus1));
  const legal = i64x2.eq(v128.and(i64x2.splat(b), v128.load(changetype<usize>(topBit) + (k << 4))), i64x2.splat(0));
  const kept = v128.and(v128.or(legal, f64x2.ne(prior, f64x2.splat(0))), v128.load(changetype<usize>(laneIsColumn) + (k << 4)));
  return v128.bitselect(score, f64x2.splat(-Infinity), kept);
}

/** Which of the 4 entries at p (prior bits) lie in (floor, last], as a 4-bit mask. */
@inline function mayRank(p: usize, floor: v128, last: v128): i32 {
  const bits = v128.load(p);
  return i32x4.bitmask(v128.and(i32x4.gt_s(bits, floor), i32x4.le_s(bits, last)));
}

/** Per insertion position p (0 .. RANKED-1): the byte swizzle that moves lanes p .. 2 of a ranked vector one lane down. */
const MAKE_ROOM: StaticArray<u8> = [
  0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10, 11,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 9, 10, 11,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
];
/** Per insertion position p: lane p set. */
const LANE: StaticArray<i32> = [-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1];

/**
 * mcts.ts's rankUnvisited: the node's next RANKED actions without a child, best first, below
 * the last ones ranked (highest prior, then lowest action). Positive priors come first, by
 * their bits; then the legal actions of prior 0 in action order.
 */
function rankUnvisited(t: i32, id: i32): void {
  const at = node(t, id);
  const ranked = at + RANKED_AT;
  const row = rowAt(t, id);
  const count = <i32>load<i8>(at, RANK_COUNT);
  let lastBits: i32 = 0x3fffffff;
  let lastEntry = -1;
  if (count > 0) {
    lastEntry = <i32>load<u16>(ranked + (<usize>(count - 1) << 1));
    lastBits = load<i32>(row + (<usize>lastEntry << 2));
  }
  let found = 0;
  if (lastBits > 0) {
    // Entries at or below the floor (the RANKED-th best found so far, once there are RANKED)
    // or above the last ranked cannot rank. Sixteen entries at a time, those that may are a
    // bit mask visited lowest first: past the first few blocks most of a Pentago row has none.
    // The ranked entries' bits and actions live in two vectors, best first, and an entry
    // goes in without a branch or a load per entry it passes: inserting, not scanning, was
    // what a scan cost.
    let floorBits: i32 = 0;
    const last = i32x4.splat(lastBits);
    if (numActions >= 64) {
      // A floor to start from, below the RANKED-th best: the lowest of the best candidates
      // of the four lanes (four different entries). With it the scan inserts a few entries
      // rather than every one that tops what it found so far.
      let best = i32x4.splat(0);
      const wide = numActions & ~3;
      for (let e = 0; e < wide; e += 4) {
        const bits = v128.load(row + (<usize>e << 2));
        best = i32x4.max_s(best, v128.and(bits, i32x4.lt_s(bits, last)));
      }
      const low = min(min(i32x4.extract_lane(best, 0), i32x4.extract_lane(best, 1)), min(i32x4.extract_lane(best, 2), i32x4.extract_lane(best, 3)));
      if (low > 0) floorBits = low - 1;
    }
    let topBits = i32x4.splat(-1);
    let topEntries = i32x4.splat(0);
    for (let e = 0; e < numActions; e += 16) {
      const floor = i32x4.splat(floorBits);
      const p = row + (<usize>e << 2);
      const left = numActions - e;
      let may = mayRank(p, floor, last) | (mayRank(p + 16, floor, last) << 4);
      if (left > 8) may |= (mayRank(p + 32, floor, last) << 8) | (mayRank(p + 48, floor, last) << 12);
      // The last block's lanes past the row's end (padding, or the next row's priors).
      if (left < 16) may &= (1 << left) - 1;
      while (may != 0) {
        const entry = e + <i32>ctz(may);
        may &= may - 1;
        const bits = load<i32>(row + (<usize>entry << 2));
        // The floor may have risen within the block; of the last ranked's equals, only later actions rank.
        if (bits <= floorBits || (bits == lastBits && entry <= lastEntry)) continue;
        // Ranked entries with bits >= these stay above it (equal ones are earlier actions).
        const position = <i32>popcnt(i32x4.bitmask(i32x4.ge_s(topBits, i32x4.splat(bits))));
        const room = v128.load(changetype<usize>(MAKE_ROOM) + (<usize>position << 4));
        const lane = v128.load(changetype<usize>(LANE) + (<usize>position << 4));
        topBits = v128.bitselect(i32x4.splat(bits), i8x16.swizzle(topBits, room), lane);
        topEntries = v128.bitselect(i32x4.splat(entry), i8x16.swizzle(topEntries, room), lane);
        if (found < RANKED) found++;
        if (found == RANKED) floorBits = i32x4.extract_lane(topBits, 3);
      }
    }
    v128.store64_lane(ranked, i16x8.narrow_i32x4_u(topEntries, topEntries), 0);
  }
  if (found == 0) {
    const a = load<u64>(at, WORD_A);
    const b = load<u64>(at, WORD_B);
    for (let e = lastBits == 0 ? lastEntry + 1 : 0; e < numActions && found < RANKED; e++) {
      if (!isLegal(a, b, e) || load<i32>(row + (<usize>e << 2)) != 0) continue;
      store<u16>(ranked + (<usize>found << 1), <u16>e);
      found++;
    }
  }
  store<i8>(at, found == 0 ? -1 : <i8>found, RANK_COUNT);
  store<i8>(at, 0, RANK_NEXT);
}

/** `value` is for the player to move at the path's last node; each node keeps it for the player who moved into it. */
function backup(t: i32, length: i32, value: f64): void {
  const p = t * pathCapacity;
  let v = -value;
  for (let i = length - 1; i >= 0; i--) {
    const at = node(t, unchecked(path[p + i]));
    const visits = load<i32>(at, VISITS) + 1;
    const sum = load<f64>(at, VALUE_SUM) + v;
    store<i32>(at, visits, VISITS);
    store<f64>(at, sum, VALUE_SUM);
    const mean = sum / <f64>visits;
    store<f64>(at, mean, MEAN);
    if (edges != 0 && i > 0) {
      const e = edgeAt(t, unchecked(path[p + i - 1]));
      const action = <usize>load<u16>(at, ACTION);
      store<f64>(e + EDGE_MEAN + (action << 3), mean);
      store<f32>(e + EDGE_VISITS_PLUS_1 + (action << 2), <f32>(visits + 1));
    }
    v = -v;
  }
}

/** Walks tree t down to an unexpanded node (selectChild's trees; descendAll walks scanSelect's) and returns it; -1 after backing up a terminal one, -2 at an illegal action (illegalAction). */
function descend(t: i32): i32 {
  let id = 0;
  let length = 1;
  let leaf = start(t);
  while (leaf == DEEPER) {
    id = selectChild(t, id);
    if (id < 0) return -2;
    unchecked((path[t * pathCapacity + length++] = id));
    leaf = arrive(t, id, length);
  }
  return leaf;
}

/** arrive()'s answer for a node selection goes on from. */
const DEEPER: i32 = -3;

/** Puts tree t's root on its path: arrive()'s answer for it (reset() never takes a terminal state). */
@inline function start(t: i32): i32 {
  unchecked((path[t * pathCapacity] = 0));
  return arrive(t, 0, 1);
}

/**
 * Tree t's path has reached node id, its length-th node: -1 after backing up a terminal
 * node, id for an unexpanded one (the path is kept), DEEPER otherwise.
 */
@inline function arrive(t: i32, id: i32, length: i32): i32 {
  const at = node(t, id);
  const terminal = load<u8>(at, TERMINAL);
  if (terminal != NOT_TERMINAL) {
    backup(t, length, terminalValue(terminal));
    return -1;
  }
  if (load<u8>(at, EXPANDED) != 0) return DEEPER;
  unchecked((pathLength[t] = length));
  return id;
}

/** descendAll's trees in flight, at most SLOTS: each slot's tree, node, path length and chosen action. */
const SLOTS: i32 = 4;
const slotTree = new StaticArray<i32>(SLOTS);
const slotNode = new StaticArray<i32>(SLOTS);
const slotLength = new StaticArray<i32>(SLOTS);
const slotAction = new StaticArray<i32>(SLOTS);
/** Per tree, descend()'s answer for this round. */
let leafOf = new StaticArray<i32>(0);
let nextTree: i32 = 0;
/** The lowest tree that chose an illegal action this round (-1: none): illegalAction and illegalPrior are its. */
let refusedTree: i32 = -1;

/** Slot s takes the next tree whose root is expanded (a root that is not is its tree's leaf); false when none is left. */
function fillSlot(s: i32): bool {
  while (nextTree < active) {
    const t = nextTree++;
    const leaf = start(t);
    if (leaf != DEEPER) {
      unchecked((leafOf[t] = leaf));
      continue;
    }
    unchecked((slotTree[s] = t));
    unchecked((slotNode[s] = 0));
    unchecked((slotLength[s] = 1));
    return true;
  }
  unchecked((slotTree[s] = -1));
  return false;
}

/**
 * descend() of every active tree into leafOf, for scanSelect's trees: SLOTS trees at a
 * time, a level of each in turn, and every slot's action chosen before any is taken. One
 * level is a chain of dependent latencies (a square root, a division, the reduction, the
 * child's load) and the trees' chains are independent: chosen together, they overlap.
 * 0.125 -> 0.104 µs of beginRound a network row (64 games, width 16; 2 slots 0.109, 3
 * 0.105, 6 0.110, 8 0.112). Trees share nothing, so each tree's descent, and every node
 * it makes, is descend()'s; only the refusal reported must be the lowest tree's, as
 * descending them in turn finds it (the later trees still descend: a refused round leaves
 * the trees unusable anyway).
 */
function descendAll(): void {
  nextTree = 0;
  refusedTree = -1;
  let live = 0;
  for (let s = 0; s < SLOTS; s++) if (fillSlot(s)) live++;
  while (live > 0) {
    for (let s = 0; s < SLOTS; s++) {
      const t = unchecked(slotTree[s]);
      if (t >= 0) unchecked((slotAction[s] = scanSelect(t, unchecked(slotNode[s]))));
    }
    for (let s = 0; s < SLOTS; s++) {
      const t = unchecked(slotTree[s]);
      if (t < 0) continue;
      const parent = unchecked(slotNode[s]);
      const action = unchecked(slotAction[s]);
      const id = takeAction(t, parent, action);
      let leaf = -2;
      if (id < 0) {
        if (refusedTree < 0 || t < refusedTree) {
          refusedTree = t;
          illegalAction = action;
          illegalPrior = load<f32>(rowAt(t, parent) + (<usize>action << 2));
        }
      } else {
        const length = unchecked(slotLength[s]) + 1;
        unchecked((path[t * pathCapacity + length - 1] = id));
        leaf = arrive(t, id, length);
        if (leaf == DEEPER) {
          unchecked((slotNode[s] = id));
          unchecked((slotLength[s] = length));
          continue;
        }
      }
      unchecked((leafOf[t] = leaf));
      if (!fillSlot(s)) live--;
    }
  }
}

/**
 * Descends every active tree once. Terminal leaves are backed up, cached ones expanded, and
 * the others written to the batch (a position already in it waits for that row). Returns
 * the batch's rows, for JavaScript to evaluate before endRound(), or -1 when a search chose
 * an illegal action (illegalActionFound(), illegalPriorFound(); the trees are then unusable).
 */
export function beginRound(): i32 {
  batchRows = 0;
  duplicates = 0;
  roundTable.clear();
  const scanning = edges != 0;
  if (scanning) descendAll();
  for (let t = 0; t < active; t++) {
    simulations++;
    const leaf = scanning ? unchecked(leafOf[t]) : descend(t);
    if (leaf == -2) return -1;
    if (leaf < 0) {
      terminalLeaves++;
      continue;
    }
    const at = node(t, leaf);
    const a = load<u64>(at, WORD_A);
    const b = load<u64>(at, WORD_B);
    const slot = cacheCapacity > 0 && cacheAllocated > 0 ? cacheTable.get(a, b) : -1;
    if (slot >= 0) {
      cacheHits++;
      touch(slot);
      expand(t, cachePriors + ((<usize>slot * <usize>numActions) << 2), unchecked(cacheValues[slot]));
      continue;
    }
    const pending = roundTable.get(a, b);
    if (pending >= 0) {
      cacheHits++;
      unchecked((duplicateRow[duplicates] = pending));
      unchecked((duplicateTree[duplicates] = t));
      duplicates++;
      continue;
    }
    roundTable.insert(a, b, batchRows);
    writeObservation(a, b, <i32>load<u8>(at, PLY), batchRows * observationSize);
    writeLegalMask(a, b, batchRows * numActions);
    unchecked((rowKeyA[batchRows] = a));
    unchecked((rowKeyB[batchRows] = b));
    unchecked((rowTree[batchRows] = t));
    batchRows++;
  }
  return batchRows;
}

export function illegalActionFound(): i32 {
  return illegalAction;
}

export function illegalPriorFound(): f32 {
  return illegalPrior;
}

/** Expands the round's leaves with the priors and values JavaScript wrote. */
export function endRound(): void {
  const priors = changetype<usize>(outPriors);
  for (let r = 0; r < batchRows; r++) {
    const value = unchecked(outValues[r]);
    const from = priors + ((<usize>r * <usize>numActions) << 2);
    cacheSet(unchecked(rowKeyA[r]), unchecked(rowKeyB[r]), from, value);
    expand(unchecked(rowTree[r]), from, value);
  }
  for (let i = 0; i < duplicates; i++) {
    const r = unchecked(duplicateRow[i]);
    expand(unchecked(duplicateTree[i]), priors + ((<usize>r * <usize>numActions) << 2), unchecked(outValues[r]));
  }
}

/** Expands tree t's pending leaf with the row of priors at byte address `from` and its value, mixing in the root's noise. */
function expand(t: i32, from: usize, value: f32): void {
  const length = unchecked(pathLength[t]);
  const leaf = unchecked(path[t * pathCapacity + length - 1]);
  const at = node(t, leaf);
  const row = rowAt(t, leaf);
  copyFloats(row, from, numActions);
  if (leaf == 0 && noiseEpsilon > 0 && unchecked(hasNoise[t]) != 0) {
    const a = load<u64>(at, WORD_A);
    const b = load<u64>(at, WORD_B);
    const eps = noiseEpsilon;
    let i = t * numActions;
    for (let action = 0; action < numActions; action++) {
      if (!isLegal(a, b, action)) continue;
      const p = row + (<usize>action << 2);
      store<f32>(p, <f32>((1 - eps) * <f64>load<f32>(p) + eps * unchecked(noise[i])));
      i++;
    }
  }
  store<u8>(at, 1, EXPANDED);
  backup(t, length, <f64>value);
}

function touch(slot: i32): void {
  if (slot == newest) return;
  unlink(slot);
  append(slot);
}

function unlink(slot: i32): void {
  const before = unchecked(older[slot]);
  const after = unchecked(newer[slot]);
  if (before == -1) oldest = after;
  else unchecked((newer[before] = after));
  if (after == -1) newest = before;
  else unchecked((older[after] = before));
}

function append(slot: i32): void {
  unchecked((older[slot] = newest));
  unchecked((newer[slot] = -1));
  if (newest == -1) oldest = slot;
  else unchecked((newer[newest] = slot));
  newest = slot;
}

function cacheSet(a: u64, b: u64, from: usize, value: f32): void {
  if (cacheCapacity == 0) return;
  let slot = cacheTable.get(a, b);
  if (slot >= 0) {
    touch(slot);
  } else {
    if (cacheAllocated < cacheCapacity) {
      slot = cacheAllocated++;
    } else {
      slot = oldest;
      unlink(slot);
      cacheTable.remove(unchecked(cacheKeyA[slot]), unchecked(cacheKeyB[slot]));
    }
    append(slot);
    unchecked((cacheKeyA[slot] = a));
    unchecked((cacheKeyB[slot] = b));
    cacheTable.insert(a, b, slot);
  }
  copyFloats(cachePriors + ((<usize>slot * <usize>numActions) << 2), from, numActions);
  unchecked((cacheValues[slot] = value));
}

/** Counters since the last call: 0 simulations, 1 terminal leaves, 2 cache hits (duplicates included). */
export function takeCounter(which: i32): i32 {
  let n = 0;
  if (which == 0) {
    n = simulations;
    simulations = 0;
  } else if (which == 1) {
    n = terminalLeaves;
    terminalLeaves = 0;
  } else {
    n = cacheHits;
    cacheHits = 0;
  }
  return n;
}

/** Tree t's root visit counts, by action, into the batch's priors (JavaScript reads them at priorsAt()). */
export function rootVisits(t: i32): void {
  const out = changetype<usize>(outPriors);
  memory.fill(out, 0, <usize>numActions << 2);
  for (let child = load<i32>(node(t, 0), FIRST_CHILD); child != -1; ) {
    const ch = node(t, child);
    store<f32>(out + (<usize>load<u16>(ch, ACTION) << 2), <f32>load<i32>(ch, VISITS));
    child = load<i32>(ch, NEXT_SIBLING);
  }
}

/** Tree t's root row of priors (noise mixed in), into the batch's priors (JavaScript reads them at priorsAt()). */
export function rootPriors(t: i32): void {
  memory.copy(changetype<usize>(outPriors), rowAt(t, 0), <usize>numActions << 2);
}

/** Whether tree t's root is expanded (bestAction needs it). */
export function rootExpanded(t: i32): bool {
  return load<u8>(node(t, 0), EXPANDED) != 0;
}

/** Tree t's most visited root action; ties go to the higher mean value, then to the lower action. -1 without a child. */
export function bestAction(t: i32): i32 {
  let best = -1;
  let bestVisits = 0;
  let bestMean: f64 = 0;
  for (let child = load<i32>(node(t, 0), FIRST_CHILD); child != -1; ) {
    const ch = node(t, child);
    const n = load<i32>(ch, VISITS);
    const mean = load<f64>(ch, VALUE_SUM) / <f64>n;
    const better =
      best == -1 ||
      n > bestVisits ||
      (n == bestVisits && (mean > bestMean || (mean == bestMean && load<u16>(ch, ACTION) < load<u16>(node(t, best), ACTION))));
    if (better) {
      best = child;
      bestVisits = n;
      bestMean = mean;
    }
    child = load<i32>(ch, NEXT_SIBLING);
  }
  return best == -1 ? -1 : <i32>load<u16>(node(t, best), ACTION);
}
