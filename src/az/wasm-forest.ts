// The batched search in WebAssembly (assembly/wasm-search.ts), for Connect Four and Pentago:
// the trees, the cache and the round's batch live in the module's memory, and each round is
// one call to descend every tree and write the batch, the network call here, and one call to
// expand. Root noise and move sampling draw from the same generators, in the same order, as
// the JavaScript trees: a search here makes the choices TreeForest makes, to the bit.

import type { Rng } from '../engine/rng.ts';
import { Connect4Game, type Connect4State } from '../games/connect4.ts';
import type { Game } from '../games/game.ts';
import { PentagoGame, type PentagoState } from '../games/pentago.ts';
import type { BatchEvaluator, SearchCounters } from './batched-search.ts';
import type { Prediction } from './network.ts';
import { illegalPriorError, sampleByVisits } from './mcts.ts';
import type { ForestOptions, SearchForest } from './search-forest.ts';
import { instantiate } from './wasm-module.ts';
import { WASM_BASE64 } from './wasm-search.wasm.ts';

interface Exports {
  memory: { buffer: ArrayBuffer };
  setConnect4(width: number, height: number): void;
  setPentago(): void;
  setSearch(c: number, epsilon: number): void;
  setTrees(trees: number, nodes: number): void;
  setCache(capacity: number): void;
  clearCache(): void;
  observationsAt(): number;
  legalMasksAt(): number;
  priorsAt(): number;
  valuesAt(): number;
  noiseAt(): number;
  reset(tree: number, aLo: number, aHi: number, bLo: number, bHi: number, ply: number, withNoise: boolean): void;
  rngWordsAt(): number;
  drawRootNoise(tree: number): void;
  logOf(x: number): number;
  logOf2(x0: number, x1: number): number;
  logOf2Second(): number;
  setActive(trees: number): void;
  beginRound(): number;
  endRound(): void;
  illegalActionFound(): number;
  illegalPriorFound(): number;
  takeCounter(which: number): number;
  rootVisits(tree: number): void;
  rootPriors(tree: number): void;
  rootExpanded(tree: number): boolean;
  bestAction(tree: number): number;
  nodeArrayBytes(): number;
}

/** The module's allocator takes at most 1 GiB an array (AssemblyScript's BLOCK_MAXSIZE). */
const MAX_ARRAY_BYTES = 2 ** 30;

const enum Counter {
  Simulations = 0,
  TerminalLeaves = 1,
  CacheHits = 2,
}

/** How the module sees a game: which rules it plays, and a position as its two 64-bit words A and B (wasm-search.ts). */
interface WasmGame<S> {
  configure(wasm: Exports): void;
  /** Writes A's and B's 32-bit halves into words[0..4). */
  words(state: S, words: Int32Array): void;
}

/** The stones of the player to move and the occupied cells. */
function connect4Words(s: Connect4State, words: Int32Array): void {
  words[0] = s.curLo;
  words[1] = s.curHi;
  words[2] = s.maskLo;
  words[3] = s.maskHi;
}

/** Each player's stones as one 36-bit number: the hi word's 18 bits above the lo word's. */
function pentagoWords(s: PentagoState, words: Int32Array): void {
  words[0] = s.p0Lo | (s.p0Hi << 18);
  words[1] = s.p0Hi >>> 14;
  words[2] = s.p1Lo | (s.p1Hi << 18);
  words[3] = s.p1Hi >>> 14;
}

/** The module's rules for the game, or null if it has none. */
function wasmGameOf<S>(game: Game<S>): WasmGame<S> | null {
  let rules: WasmGame<Connect4State> | WasmGame<PentagoState> | null = null;
  if (game instanceof Connect4Game) rules = { configure: (wasm) => wasm.setConnect4(game.width, game.height), words: connect4Words };
  if (game instanceof PentagoGame) rules = { configure: (wasm) => wasm.setPentago(), words: pentagoWords };
  return rules as WasmGame<S> | null;
}

/** A new instance of the search: each forest has its own memory. */
function instantiateSearch(): Exports {
  let memory: Exports['memory'] | null = null;
  const imports = {
    env: {
      // AssemblyScript's abort(message, file, line, column): most likely its allocator
      // finding no more memory to grow into.
      abort(message: number, file: number, line: number, column: number): never {
        const text = (at: number) => (memory === null || at === 0 ? '?' : readString(memory, at >>> 0));
        throw new Error(`wasm search: ${text(message)} (${text(file)}:${line}:${column})`);
      },
    },
  };
  const exports = instantiate<Exports>(WASM_BASE64, imports);
  memory = exports.memory;
  return exports;
}

/** An AssemblyScript string: UTF-16 code units, its byte length in the 4 bytes before it. */
function readString(memory: Exports['memory'], at: number): string {
  const bytes = new Uint32Array(memory.buffer, at - 4, 1)[0]!;
  return String.fromCharCode(...new Uint16Array(memory.buffer, at, bytes >>> 1));
}

export class WasmForest<S> implements SearchForest<S> {
  private readonly game: Game<S>;
  private readonly rules: WasmGame<S>;
  private readonly options: ForestOptions;
  private readonly wasm: Exports;
  private capacity = 0;
  private roots: readonly S[] = [];
  /** Simulations since reset(): a tree has room for options.simulations + 1 nodes. */
  private simulated = 0;
  private readonly words = new Int32Array(4);
  private readonly legalScratch: Uint8Array;
  /** Whether the module's log is Math.log, bit for bit: it draws Dirichlet(1) root noise then, else JavaScript does. */
  private readonly exactLog: boolean;
  // Views of the module's memory, made again whenever it grows.
  private observations = new Float32Array(0);
  private legalMasks = new Uint8Array(0);
  private priors = new Float32Array(0);
  private values = new Float32Array(0);
  private noise = new Float64Array(0);
  /** priors and values, where the network writes a round's batch. */
  private batchOut: Prediction = { policy: this.priors, value: this.values };
  /** The generator words a root's Rng is copied into, for the module's noise, and back out of. */
  private rngWords = new Int32Array(0);

  /** Whether the module plays the game. */
  static supports(game: Game<unknown>): boolean {
    return wasmGameOf(game) !== null;
  }

  constructor(game: Game<S>, options: ForestOptions) {
    const rules = wasmGameOf(game);
    if (rules === null) throw new RangeError(`search: no WebAssembly search for ${game.name}`);
    if (!(Number.isInteger(options.simulations) && options.simulations >= 1)) {
      throw new RangeError(`wasm search: simulations must be a positive integer, got ${options.simulations}`);
    }
    this.game = game;
    this.rules = rules;
    this.options = options;
    this.legalScratch = new Uint8Array(game.numActions);
    checkArray(options.cacheSize * game.numActions * 4, `an evaluation cache of ${options.cacheSize} ${game.name} positions`, 'priors', 'lower the cacheSize param');
    this.wasm = instantiateSearch();
    rules.configure(this.wasm);
    this.wasm.setSearch(options.mcts.c, options.mcts.dirichletEpsilon);
    this.wasm.setCache(options.cacheSize);
    this.exactLog = logAgrees(this.wasm);
  }

  reset(roots: readonly S[], noiseRngs?: readonly Rng[]): void {
    // Geometric: the module's allocator never frees, so a forest that grew one tree at a time
    // (a tournament player's games) would keep every smaller set of trees it outgrew.
    if (roots.length > this.capacity) this.grow(Math.max(roots.length, 2 * this.capacity));
    const { dirichletAlpha: alpha, dirichletEpsilon: eps } = this.options.mcts;
    const { game, words } = this;
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i]!;
      if (game.isTerminal(root)) throw new RangeError('mcts: cannot search from a terminal state');
      const rng = eps > 0 ? noiseRngs?.[i] : undefined;
      // The noise is drawn here rather than when the root is expanded: nothing else draws from
      // the generator in between, so the numbers are the JavaScript trees'.
      const noiseHere = rng !== undefined && alpha === 1 && this.exactLog;
      if (rng !== undefined && !noiseHere) this.noise.set(rng.dirichlet(alpha, game.legalMask(root, this.legalScratch, 0)), i * game.numActions);
      this.rules.words(root, words);
      this.wasm.reset(i, words[0]!, words[1]!, words[2]!, words[3]!, game.ply(root), rng !== undefined);
      if (noiseHere) {
        this.rngWords.set(rng.words());
        this.wasm.drawRootNoise(i);
        rng.words().set(this.rngWords);
      }
    }
    this.wasm.setActive(roots.length);
    this.roots = roots;
    this.simulated = 0;
  }

  run(net: BatchEvaluator, rounds: number, counters: SearchCounters): void {
    if (this.simulated + rounds > this.options.simulations) {
      throw new RangeError(`wasm search: ${this.simulated + rounds} simulations since reset, room for ${this.options.simulations}`);
    }
    this.simulated += rounds;
    const wasm = this.wasm;
    const numActions = this.game.numActions;
    try {
      for (let round = 0; round < rounds; round++) {
        const rows = wasm.beginRound();
        if (rows < 0) throw illegalPriorError(wasm.illegalActionFound(), wasm.illegalPriorFound());
        if (rows === 0) continue;
        if (net.predictInto !== undefined) {
          net.predictInto(this.observations, this.legalMasks, rows, this.batchOut);
        } else {
          const { policy, value } = net.predict(this.observations, this.legalMasks, rows);
          this.priors.set(policy.subarray(0, rows * numActions));
          this.values.set(value.subarray(0, rows));
        }
        wasm.endRound();
        counters.networkCalls += 1;
        counters.evaluations += rows;
      }
    } finally {
      counters.simulations += wasm.takeCounter(Counter.Simulations);
      counters.terminalLeaves += wasm.takeCounter(Counter.TerminalLeaves);
      counters.cacheHits += wasm.takeCounter(Counter.CacheHits);
    }
  }

  rootVisitCounts<T extends Float32Array | Float64Array | Uint16Array | Int32Array>(tree: number, out: T): T {
    this.checkTree(tree);
    const numActions = this.game.numActions;
    this.wasm.rootVisits(tree);
    for (let a = 0; a < numActions; a++) out[a] = this.priors[a]!;
    out.fill(0, numActions);
    return out;
  }

  rootPriors(tree: number, out: Float32Array): Float32Array {
    this.checkExpanded(tree);
    this.wasm.rootPriors(tree);
    out.set(this.priors.subarray(0, this.game.numActions));
    return out;
  }

  bestAction(tree: number): number {
    this.checkExpanded(tree);
    const best = this.wasm.bestAction(tree);
    // Only the root's expansion so far: every action unvisited, the lowest wins.
    return best >= 0 ? best : this.game.legalActions(this.roots[tree]!)[0]!;
  }

  sampleAction(tree: number, rng: Rng, temperature: number): number {
    if (temperature === 0) return this.bestAction(tree);
    return sampleByVisits(this.rootVisitCounts(tree, new Float64Array(this.game.numActions)), rng, temperature);
  }

  clearCache(): void {
    this.wasm.clearCache();
  }

  private checkTree(tree: number): void {
    if (!(tree >= 0 && tree < this.roots.length)) throw new RangeError(`wasm search: no tree ${tree} (${this.roots.length} searching)`);
  }

  /** checkTree(), and that a simulation has expanded the tree's root (its row and children exist). */
  private checkExpanded(tree: number): void {
    this.checkTree(tree);
    if (!this.wasm.rootExpanded(tree)) throw new Error('mcts: no simulation has expanded the root');
  }

  private grow(trees: number): void {
    const nodes = this.options.simulations + 1;
    checkArray(trees * nodes * this.wasm.nodeArrayBytes(), `${trees} searches of ${this.options.simulations} simulations`, 'tree nodes', 'lower the simulations or the games searched at once');
    this.wasm.setTrees(trees, nodes);
    this.capacity = trees;
    const { buffer } = this.wasm.memory;
    const { numActions, observationSize } = this.game;
    // Addresses are u32s, which come out of wasm as signed int32s (negative past 2 GiB).
    const wasm = this.wasm;
    this.observations = new Float32Array(buffer, wasm.observationsAt() >>> 0, trees * observationSize);
    this.legalMasks = new Uint8Array(buffer, wasm.legalMasksAt() >>> 0, trees * numActions);
    this.priors = new Float32Array(buffer, wasm.priorsAt() >>> 0, trees * numActions);
    this.values = new Float32Array(buffer, wasm.valuesAt() >>> 0, trees);
    this.noise = new Float64Array(buffer, wasm.noiseAt() >>> 0, trees * numActions);
    this.batchOut = { policy: this.priors, value: this.values };
    this.rngWords = new Int32Array(buffer, wasm.rngWordsAt() >>> 0, 4);
  }
}

/**
 * Whether the module's fdlibm log gives Math.log's bits, on edge cases and on a sweep of the
 * noise's inputs (1 - u for uniforms u) and of every binade: a JavaScript engine whose
 * Math.log is not fdlibm's keeps drawing the noise itself, so the numbers never change.
 */
function logAgrees(wasm: Exports): boolean {
  const edges = [0, 1, 2, 0.5, Math.E, Number.MIN_VALUE, Number.MAX_VALUE, 2 ** -53, 1 - 2 ** -53, 1 + 2 ** -52, Infinity];
  const sweep = Array.from({ length: 4096 }, (_, i) => [1 - (i * 0x9e3779b1 % 2 ** 32) * 2 ** -32, 2 ** ((i % 2046) - 1022) * (1 + (i % 97) / 97)]).flat();
  if (![...edges, ...sweep].every((x) => Object.is(wasm.logOf(x), Math.log(x)))) return false;
  // The noise's inputs 1 - u, two lanes at a time: its edges, a sweep, and inputs within
  // 2^-20 of a power of two (fdlibm's other case, which a lane hands to logOf).
  const noiseInputs = [1, 2 ** -53, 1 - 2 ** -53, 0.5, 0.5 + 2 ** -40, 0.25 - 2 ** -30, ...sweep.filter((x) => x >= 2 ** -53 && x <= 1)];
  for (let i = 0; i + 1 < noiseInputs.length; i++) {
    const [x0, x1] = [noiseInputs[i]!, noiseInputs[i + 1]!];
    if (!Object.is(wasm.logOf2(x0, x1), Math.log(x0)) || !Object.is(wasm.logOf2Second(), Math.log(x1))) return false;
  }
  return true;
}

/** Refuses an array the module cannot allocate (its sizes are 32-bit: a bigger one would wrap around). */
function checkArray(bytes: number, what: string, of: string, fix: string): void {
  if (bytes <= MAX_ARRAY_BYTES) return;
  throw new RangeError(`wasm search: ${what} would need ${(bytes / 2 ** 30).toFixed(1)} GiB of ${of}, more than the 1 GiB a WebAssembly array may have; ${fix}`);
}
