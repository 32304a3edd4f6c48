// AssemblyScript, compiled to src/az/connect4-search.wasm.ts by `npm run gen:wasm`.
//
// Connect Four's batched PUCT search (batched-search.ts + mcts.ts) as one WebAssembly
// module: the trees, the board, the observations, the round's deduplication and the
// least-recently-used evaluation cache. The JavaScript search spends ~0.9 µs a network row
// on Connect Four, twice the width-16 network's own cost; the same search here costs a
// third of that. The JavaScript facade (connect4-wasm-forest.ts) runs the network between
// beginRound() and endRound().
//
// Every choice is the JavaScript search's, to the bit: the same selection scores in f64,
// the same tie-breaks (lower action), unvisited actions by highest prior, exact terminal
// values, the same root noise mixing, the same LRU order. A test runs both on random
// positions and compares the trees' visit counts and counters.
//
// Bitboards in Pascal Pons' layout (connect4.ts), in one u64: bit col·(height+1) + row.

// Board.
let width: i32 = 7;
let height: i32 = 6;
let cells: i32 = 42;
let observationSize: i32 = 126;
let maxPlies: i32 = 42;
/** Per column: its top playable cell's bit. */
let topBit = new StaticArray<u64>(0);
/** Per bit: its cell (row·width + column). */
let cellOfBit = new StaticArray<i32>(64);

// PUCT.
let c: f64 = 2;
let noiseEpsilon: f64 = 0;

// Trees: node i of tree t is entry t·nodeCapacity + i of each node array.
let trees: i32 = 0;
let active: i32 = 0;
let nodeCapacity: i32 = 0;
let pathCapacity: i32 = 0;
let visits = new StaticArray<i32>(0);
let valueSum = new StaticArray<f64>(0);
/** Exact value for the player to move when the node is terminal, else NaN. */
let terminal = new StaticArray<f64>(0);
let expanded = new StaticArray<u8>(0);
let actionOf = new StaticArray<i32>(0);
let priorOf = new StaticArray<f32>(0);
let firstChild = new StaticArray<i32>(0);
let nextSibling = new StaticArray<i32>(0);
let curOf = new StaticArray<u64>(0);
let maskOf = new StaticArray<u64>(0);
let plyOf = new StaticArray<i32>(0);
/** An expanded node's priors, `width` per node. */
let rowOf = new StaticArray<f32>(0);
let sizeOf = new StaticArray<i32>(0);
let path = new StaticArray<i32>(0);
let pathLength = new StaticArray<i32>(0);
/** Root noise per tree (`width` each, over its legal actions in order), drawn by JavaScript at reset. */
let noise = new StaticArray<f64>(0);
let hasNoise = new StaticArray<u8>(0);

// The round's batch: JavaScript reads observations and masks, writes priors and values.
let observations = new StaticArray<f32>(0);
let legalMasks = new StaticArray<u8>(0);
let outPriors = new StaticArray<f32>(0);
let outValues = new StaticArray<f32>(0);
let rowKey = new StaticArray<u64>(0);
let rowTree = new StaticArray<i32>(0);
let duplicateRow = new StaticArray<i32>(0);
let duplicateTree = new StaticArray<i32>(0);
let rows: i32 = 0;
let duplicates: i32 = 0;
let roundTable = new KeyTable(0);

// Counters since the last takeCounters().
let simulations: i32 = 0;
let terminalLeaves: i32 = 0;
let cacheHits: i32 = 0;

/** Key → value, open addressing with linear probing; entries of older generations are empty, so clear() is O(1). */
class KeyTable {
  keys: StaticArray<u64>;
  values: StaticArray<i32>;
  stamps: StaticArray<i32>;
  mask: i32;
  stamp: i32 = 1;
  size: i32 = 0;

  constructor(capacity: i32) {
    let n = 16;
    while (n < 2 * capacity) n <<= 1;
    this.keys = new StaticArray<u64>(n);
    this.values = new StaticArray<i32>(n);
    this.stamps = new StaticArray<i32>(n);
    this.mask = n - 1;
  }

  @inline home(key: u64): i32 {
    return <i32>((key * 0x9e3779b97f4a7c15) >> 40) & this.mask;
  }

  /** The key's value, or -1. */
  get(key: u64): i32 {
    const stamp = this.stamp;
    for (let h = this.home(key); unchecked(this.stamps[h]) == stamp; h = (h + 1) & this.mask) {
      if (unchecked(this.keys[h]) == key) return unchecked(this.values[h]);
    }
    return -1;
  }

  /** Inserts a key that is not in the table. */
  insert(key: u64, value: i32): void {
    const stamp = this.stamp;
    let h = this.home(key);
    while (unchecked(this.stamps[h]) == stamp) h = (h + 1) & this.mask;
    unchecked((this.stamps[h] = stamp));
    unchecked((this.keys[h] = key));
    unchecked((this.values[h] = value));
    this.size++;
  }

  /** Removes a key that is in the table, shifting back the entries probed past it. */
  remove(key: u64): void {
    const stamp = this.stamp;
    const mask = this.mask;
    let hole = this.home(key);
    while (unchecked(this.stamps[hole]) != stamp || unchecked(this.keys[hole]) != key) hole = (hole + 1) & mask;
    for (let h = (hole + 1) & mask; unchecked(this.stamps[h]) == stamp; h = (h + 1) & mask) {
      const home = this.home(unchecked(this.keys[h]));
      // The entry may fill the hole unless its home lies cyclically in (hole, h].
      if (((h - home) & mask) >= ((h - hole) & mask)) {
        unchecked((this.keys[hole] = this.keys[h]));
        unchecked((this.values[hole] = this.values[h]));
        hole = h;
      }
    }
    unchecked((this.stamps[hole] = 0));
    this.size--;
  }

  clear(): void {
    this.size = 0;
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
let cachePriors = new StaticArray<f32>(0);
let cacheValues = new StaticArray<f32>(0);
let cacheKeys = new StaticArray<u64>(0);
let older = new StaticArray<i32>(0);
let newer = new StaticArray<i32>(0);
let oldest: i32 = -1;
let newest: i32 = -1;

export function setBoard(w: i32, h: i32): void {
  width = w;
  height = h;
  cells = w * h;
  observationSize = 3 * cells;
  maxPlies = cells;
  topBit = new StaticArray<u64>(w);
  for (let col = 0; col < w; col++) {
    unchecked((topBit[col] = (<u64>1) << (<u64>(col * (h + 1) + h - 1))));
    for (let row = 0; row < h; row++) unchecked((cellOfBit[col * (h + 1) + row] = row * w + col));
  }
}

export function setSearch(exploration: f64, epsilon: f64): void {
  c = exploration;
  noiseEpsilon = epsilon;
}

/** Room for `n` trees of `nodes` nodes each, and a batch of `n` rows. Trees start empty. */
export function setTrees(n: i32, nodes: i32): void {
  trees = n;
  active = 0;
  nodeCapacity = nodes;
  pathCapacity = maxPlies + 1;
  const all = n * nodes;
  visits = new StaticArray<i32>(all);
  valueSum = new StaticArray<f64>(all);
  terminal = new StaticArray<f64>(all);
  expanded = new StaticArray<u8>(all);
  actionOf = new StaticArray<i32>(all);
  priorOf = new StaticArray<f32>(all);
  firstChild = new StaticArray<i32>(all);
  nextSibling = new StaticArray<i32>(all);
  curOf = new StaticArray<u64>(all);
  maskOf = new StaticArray<u64>(all);
  plyOf = new StaticArray<i32>(all);
  rowOf = new StaticArray<f32>(all * width);
  sizeOf = new StaticArray<i32>(n);
  path = new StaticArray<i32>(n * pathCapacity);
  pathLength = new StaticArray<i32>(n);
  noise = new StaticArray<f64>(n * width);
  hasNoise = new StaticArray<u8>(n);
  observations = new StaticArray<f32>(n * observationSize);
  legalMasks = new StaticArray<u8>(n * width);
  outPriors = new StaticArray<f32>(n * width);
  outValues = new StaticArray<f32>(n);
  rowKey = new StaticArray<u64>(n);
  rowTree = new StaticArray<i32>(n);
  duplicateRow = new StaticArray<i32>(n);
  duplicateTree = new StaticArray<i32>(n);
  roundTable = new KeyTable(n);
}

export function setCache(capacity: i32): void {
  cacheCapacity = capacity;
  cacheTable = new KeyTable(capacity);
  cachePriors = new StaticArray<f32>(capacity * width);
  cacheValues = new StaticArray<f32>(capacity);
  cacheKeys = new StaticArray<u64>(capacity);
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

/** Starts tree t's search at a non-terminal position (cur, mask in 32-bit halves); `withNoise`: noiseAt()'s row t holds its root noise. */
export function reset(t: i32, curLo: u32, curHi: u32, maskLo: u32, maskHi: u32, ply: i32, withNoise: bool): void {
  unchecked((sizeOf[t] = 0));
  unchecked((hasNoise[t] = withNoise ? 1 : 0));
  newNode(t, ((<u64>curHi) << 32) | <u64>curLo, ((<u64>maskHi) << 32) | <u64>maskLo, ply, NaN);
  if (t >= active) active = t + 1;
}

/** Trees 0 .. n-1 take part in the rounds. */
export function setActive(n: i32): void {
  active = n;
}

@inline function newNode(t: i32, cur: u64, mask: u64, ply: i32, exact: f64): i32 {
  const id = unchecked(sizeOf[t]);
  unchecked((sizeOf[t] = id + 1));
  const i = t * nodeCapacity + id;
  unchecked((visits[i] = 0));
  unchecked((valueSum[i] = 0));
  unchecked((terminal[i] = exact));
  unchecked((expanded[i] = 0));
  unchecked((firstChild[i] = -1));
  unchecked((curOf[i] = cur));
  unchecked((maskOf[i] = mask));
  unchecked((plyOf[i] = ply));
  return id;
}

@inline function isLegal(mask: u64, action: i32): bool {
  return (mask & unchecked(topBit[action])) == 0;
}

@inline function hasFourAlong(stones: u64, shift: u64): bool {
  const pairs = stones & (stones >> shift);
  return (pairs & (pairs >> (shift + shift))) != 0;
}

@inline function isWin(stones: u64): bool {
  const h = <u64>height;
  return hasFourAlong(stones, 1) || hasFourAlong(stones, h + 1) || hasFourAlong(stones, h) || hasFourAlong(stones, h + 2);
}

/** The child to descend into; made on the spot when the best is an action without one. */
function selectChild(t: i32, node: i32): i32 {
  const base = t * nodeCapacity;
  const at = base + node;
  const explore = c * Math.sqrt(<f64>unchecked(visits[at]));
  let best = -1;
  let bestAction = 0;
  let bestScore = -Infinity;
  let withChild: u64 = 0;
  for (let child = unchecked(firstChild[at]); child != -1; child = unchecked(nextSibling[base + child])) {
    const i = base + child;
    const n = <f64>unchecked(visits[i]);
    const action = unchecked(actionOf[i]);
    withChild |= (<u64>1) << (<u64>action);
    const score = unchecked(valueSum[i]) / n + (explore * <f64>unchecked(priorOf[i])) / (n + 1);
    if (score > bestScore || (score == bestScore && action < bestAction)) {
      bestScore = score;
      best = child;
      bestAction = action;
    }
  }
  // The best action without a child: highest prior, then lowest action (prior 0 ones last).
  const mask = unchecked(maskOf[at]);
  const row = at * width;
  let candidate = -1;
  let candidatePrior: f32 = -1;
  for (let a = 0; a < width; a++) {
    if (((withChild >> (<u64>a)) & 1) != 0 || !isLegal(mask, a)) continue;
    const p = unchecked(rowOf[row + a]);
    if (p > candidatePrior) {
      candidatePrior = p;
      candidate = a;
    }
  }
  if (candidate >= 0) {
    const score = explore * <f64>candidatePrior;
    if (score > bestScore || (score == bestScore && candidate < bestAction)) return newChild(t, node, candidate, candidatePrior);
  }
  return best;
}

function newChild(t: i32, parent: i32, action: i32, prior: f32): i32 {
  const base = t * nodeCapacity;
  const p = base + parent;
  const mask = unchecked(maskOf[p]);
  const cur = unchecked(curOf[p]);
  const columnBottom = (<u64>1) << (<u64>(action * (height + 1)));
  const column = ((<u64>1) << (<u64>height)) - 1;
  const stone = (mask + columnBottom) & (column << (<u64>(action * (height + 1))));
  const ply = unchecked(plyOf[p]) + 1;
  const exact: f64 = isWin(cur | stone) ? -1.0 : ply == maxPlies ? 0.0 : NaN;
  // The opponent moves next: their stones are the old mask minus the mover's.
  const child = newNode(t, cur ^ mask, mask | stone, ply, exact);
  const i = base + child;
  unchecked((actionOf[i] = action));
  unchecked((priorOf[i] = prior));
  unchecked((nextSibling[i] = firstChild[p]));
  unchecked((firstChild[p] = child));
  return child;
}

/** `value` is for the player to move at the path's last node; each node keeps it for the player who moved into it. */
function backup(t: i32, length: i32, value: f64): void {
  const base = t * nodeCapacity;
  const p = t * pathCapacity;
  let v = -value;
  for (let i = length - 1; i >= 0; i--) {
    const at = base + unchecked(path[p + i]);
    unchecked((visits[at] += 1));
    unchecked((valueSum[at] += v));
    v = -v;
  }
}

/** Walks tree t down to an unexpanded node and returns it, or -1 after backing up a terminal one. */
function descend(t: i32): i32 {
  const base = t * nodeCapacity;
  const p = t * pathCapacity;
  let node = 0;
  unchecked((path[p] = 0));
  let length = 1;
  while (unchecked(expanded[base + node]) != 0) {
    node = selectChild(t, node);
    unchecked((path[p + length++] = node));
    const exact = unchecked(terminal[base + node]);
    if (!isNaN(exact)) {
      backup(t, length, exact);
      return -1;
    }
  }
  unchecked((pathLength[t] = length));
  return node;
}

/** Own stones, the opponent's, the empty cells: three planes of `cells`, row-major. */
function writeObservation(cur: u64, mask: u64, at: i32): void {
  const empty = at + 2 * cells;
  for (let i = at; i < empty; i++) unchecked((observations[i] = 0));
  for (let i = empty; i < empty + cells; i++) unchecked((observations[i] = 1));
  for (let stones = cur; stones != 0; stones &= stones - 1) {
    const cell = unchecked(cellOfBit[<i32>ctz(stones)]);
    unchecked((observations[at + cell] = 1));
    unchecked((observations[empty + cell] = 0));
  }
  const opponent = at + cells;
  for (let stones = cur ^ mask; stones != 0; stones &= stones - 1) {
    const cell = unchecked(cellOfBit[<i32>ctz(stones)]);
    unchecked((observations[opponent + cell] = 1));
    unchecked((observations[empty + cell] = 0));
  }
}

/**
 * Descends every active tree once. Terminal leaves are backed up, cached ones expanded, and
 * the others written to the batch (a position already in it waits for that row). Returns
 * the batch's rows, for JavaScript to evaluate before endRound().
 */
export function beginRound(): i32 {
  rows = 0;
  duplicates = 0;
  roundTable.clear();
  for (let t = 0; t < active; t++) {
    simulations++;
    const leaf = descend(t);
    if (leaf < 0) {
      terminalLeaves++;
      continue;
    }
    const at = t * nodeCapacity + leaf;
    const cur = unchecked(curOf[at]);
    const mask = unchecked(maskOf[at]);
    // Pons' key: unique per position.
    const key = cur + mask;
    const slot = cacheCapacity > 0 && cacheAllocated > 0 ? cacheTable.get(key) : -1;
    if (slot >= 0) {
      cacheHits++;
      touch(slot);
      expand(t, cachePriors, slot * width, unchecked(cacheValues[slot]));
      continue;
    }
    const pending = roundTable.get(key);
    if (pending >= 0) {
      cacheHits++;
      unchecked((duplicateRow[duplicates] = pending));
      unchecked((duplicateTree[duplicates] = t));
      duplicates++;
      continue;
    }
    roundTable.insert(key, rows);
    writeObservation(cur, mask, rows * observationSize);
    const masks = rows * width;
    for (let a = 0; a < width; a++) unchecked((legalMasks[masks + a] = isLegal(mask, a) ? 1 : 0));
    unchecked((rowKey[rows] = key));
    unchecked((rowTree[rows] = t));
    rows++;
  }
  return rows;
}

/**
 * Expands the round's leaves with the priors and values JavaScript wrote. Returns -1, or the
 * first row with a non-zero prior on an illegal action (an evaluation the search must refuse).
 */
export function endRound(): i32 {
  for (let r = 0; r < rows; r++) {
    const masks = r * width;
    for (let a = 0; a < width; a++) {
      if (unchecked(legalMasks[masks + a]) == 0 && unchecked(outPriors[masks + a]) != 0) return r;
    }
  }
  for (let r = 0; r < rows; r++) {
    const value = unchecked(outValues[r]);
    cacheSet(unchecked(rowKey[r]), r * width, value);
    expand(unchecked(rowTree[r]), outPriors, r * width, value);
  }
  for (let i = 0; i < duplicates; i++) {
    const r = unchecked(duplicateRow[i]);
    expand(unchecked(duplicateTree[i]), outPriors, r * width, unchecked(outValues[r]));
  }
  return -1;
}

/** Expands tree t's pending leaf with priors[from ..) and its value, mixing in the root's noise. */
function expand(t: i32, priors: StaticArray<f32>, from: i32, value: f32): void {
  const length = unchecked(pathLength[t]);
  const leaf = unchecked(path[t * pathCapacity + length - 1]);
  const at = t * nodeCapacity + leaf;
  const row = at * width;
  for (let a = 0; a < width; a++) unchecked((rowOf[row + a] = priors[from + a]));
  if (leaf == 0 && noiseEpsilon > 0 && unchecked(hasNoise[t]) != 0) {
    const mask = unchecked(maskOf[at]);
    const eps = noiseEpsilon;
    let i = t * width;
    for (let a = 0; a < width; a++) {
      if (!isLegal(mask, a)) continue;
      unchecked((rowOf[row + a] = <f32>((1 - eps) * <f64>rowOf[row + a] + eps * noise[i])));
      i++;
    }
  }
  unchecked((expanded[at] = 1));
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

function cacheSet(key: u64, from: i32, value: f32): void {
  if (cacheCapacity == 0) return;
  let slot = cacheTable.get(key);
  if (slot >= 0) {
    touch(slot);
  } else {
    if (cacheAllocated < cacheCapacity) {
      slot = cacheAllocated++;
    } else {
      slot = oldest;
      unlink(slot);
      cacheTable.remove(unchecked(cacheKeys[slot]));
    }
    append(slot);
    unchecked((cacheKeys[slot] = key));
    cacheTable.insert(key, slot);
  }
  const to = slot * width;
  for (let a = 0; a < width; a++) unchecked((cachePriors[to + a] = outPriors[from + a]));
  unchecked((cacheValues[slot] = value));
}

/** Counters since the last call: 0 simulations, 1 terminal leaves, 2 cache hits (duplicates included). */
export function takeCounter(which: i32): i32 {
  let n = 0;
  if (which == 0) { n = simulations; simulations = 0; }
  else if (which == 1) { n = terminalLeaves; terminalLeaves = 0; }
  else { n = cacheHits; cacheHits = 0; }
  return n;
}

/** Tree t's root visit count of `action` (0 without a child). */
export function rootVisits(t: i32, action: i32): i32 {
  const base = t * nodeCapacity;
  for (let child = unchecked(firstChild[base]); child != -1; child = unchecked(nextSibling[base + child])) {
    if (unchecked(actionOf[base + child]) == action) return unchecked(visits[base + child]);
  }
  return 0;
}

/** Whether tree t's root is expanded (bestAction needs it). */
export function rootExpanded(t: i32): bool {
  return unchecked(expanded[t * nodeCapacity]) != 0;
}

/** Tree t's most visited root action; ties go to the higher mean value, then to the lower action. -1 without a child. */
export function bestAction(t: i32): i32 {
  const base = t * nodeCapacity;
  let best = -1;
  let bestVisits = 0;
  let bestMean: f64 = 0;
  for (let child = unchecked(firstChild[base]); child != -1; child = unchecked(nextSibling[base + child])) {
    const i = base + child;
    const n = unchecked(visits[i]);
    const mean = unchecked(valueSum[i]) / <f64>n;
    const better =
      best == -1 ||
      n > bestVisits ||
      (n == bestVisits && (mean > bestMean || (mean == bestMean && unchecked(actionOf[i]) < unchecked(actionOf[base + best]))));
    if (better) {
      best = child;
      bestVisits = n;
      bestMean = mean;
    }
  }
  return best == -1 ? -1 : unchecked(actionOf[base + best]);
}
