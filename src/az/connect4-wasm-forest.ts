// Connect Four's batched search in WebAssembly (assembly/connect4-search.ts): the trees, the
// cache and the round's batch live in the module's memory, and each round is one call to
// descend every tree and write the batch, the network call here, and one call to expand.
// Root noise and move sampling draw from the same generators, in the same order, as the
// JavaScript trees: a search here makes the choices TreeForest makes, to the bit.

import type { Rng } from '../engine/rng.ts';
import { C4Status, type Connect4Game, type Connect4State } from '../games/connect4.ts';
import type { BatchEvaluator, SearchCounters } from './batched-search.ts';
import { WASM_BASE64 } from './connect4-search.wasm.ts';
import { sampleByVisits } from './mcts.ts';
import type { ForestOptions, SearchForest } from './search-forest.ts';

interface Exports {
  memory: { buffer: ArrayBuffer };
  setBoard(width: number, height: number): void;
  setSearch(c: number, epsilon: number): void;
  setTrees(trees: number, nodes: number): void;
  setCache(capacity: number): void;
  clearCache(): void;
  observationsAt(): number;
  legalMasksAt(): number;
  priorsAt(): number;
  valuesAt(): number;
  noiseAt(): number;
  reset(tree: number, curLo: number, curHi: number, maskLo: number, maskHi: number, ply: number, withNoise: boolean): void;
  setActive(trees: number): void;
  beginRound(): number;
  endRound(): number;
  takeCounter(which: number): number;
  rootVisits(tree: number, action: number): number;
  rootExpanded(tree: number): boolean;
  bestAction(tree: number): number;
}

const enum Counter {
  Simulations = 0,
  TerminalLeaves = 1,
  CacheHits = 2,
}

/** The little of the WebAssembly API used here: the project's TypeScript libraries do not declare it. */
const { Module, Instance } = (
  globalThis as unknown as {
    WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: object } };
  }
).WebAssembly;

/** Compiled once per thread, instantiated per forest: each has its own memory. */
let compiled: object | null = null;

function instantiate(): Exports {
  compiled ??= new Module(Buffer.from(WASM_BASE64, 'base64'));
  const imports = {
    env: {
      abort(): never {
        throw new Error('connect4 wasm search: aborted');
      },
    },
  };
  return new Instance(compiled, imports).exports as unknown as Exports;
}

export class Connect4WasmForest implements SearchForest<Connect4State> {
  private readonly game: Connect4Game;
  private readonly options: ForestOptions;
  private readonly wasm: Exports;
  private capacity = 0;
  private roots: readonly Connect4State[] = [];
  /** Simulations since reset(): a tree has room for options.simulations + 1 nodes. */
  private simulated = 0;
  // Views of the module's memory, made again whenever it grows.
  private observations = new Float32Array(0);
  private legalMasks = new Uint8Array(0);
  private priors = new Float32Array(0);
  private values = new Float32Array(0);
  private noise = new Float64Array(0);

  constructor(game: Connect4Game, options: ForestOptions) {
    if (!(options.simulations >= 1)) throw new RangeError(`connect4 wasm search: simulations must be >= 1, got ${options.simulations}`);
    this.game = game;
    this.options = options;
    this.wasm = instantiate();
    this.wasm.setBoard(game.width, game.height);
    this.wasm.setSearch(options.mcts.c, options.mcts.dirichletEpsilon);
    this.wasm.setCache(options.cacheSize);
  }

  reset(roots: readonly Connect4State[], noiseRngs?: readonly Rng[]): void {
    if (roots.length > this.capacity) this.grow(roots.length);
    const { dirichletAlpha: alpha, dirichletEpsilon: eps } = this.options.mcts;
    const width = this.game.width;
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i]!;
      if (root.status !== C4Status.Playing) throw new RangeError('mcts: cannot search from a terminal state');
      const rng = eps > 0 ? noiseRngs?.[i] : undefined;
      if (rng !== undefined) {
        // Drawn here rather than when the root is expanded: nothing else draws from the
        // generator in between, so the numbers are the JavaScript trees'.
        let legal = 0;
        for (let a = 0; a < width; a++) if (this.game.columnHasRoom(root, a)) legal++;
        this.noise.set(rng.dirichlet(alpha, legal), i * width);
      }
      this.wasm.reset(i, root.curLo, root.curHi, root.maskLo, root.maskHi, root.ply, rng !== undefined);
    }
    this.wasm.setActive(roots.length);
    this.roots = roots;
    this.simulated = 0;
  }

  run(net: BatchEvaluator, rounds: number, counters: SearchCounters): void {
    if (this.simulated + rounds > this.options.simulations) {
      throw new RangeError(`connect4 wasm search: ${this.simulated + rounds} simulations since reset, room for ${this.options.simulations}`);
    }
    this.simulated += rounds;
    const wasm = this.wasm;
    const numActions = this.game.numActions;
    try {
      for (let round = 0; round < rounds; round++) {
        const rows = wasm.beginRound();
        if (rows === 0) continue;
        const { policy, value } = net.predict(this.observations, this.legalMasks, rows);
        this.priors.set(policy.subarray(0, rows * numActions));
        this.values.set(value.subarray(0, rows));
        const refused = wasm.endRound();
        if (refused >= 0) this.refuse(refused);
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
    for (let a = 0; a < this.game.numActions; a++) out[a] = this.wasm.rootVisits(tree, a);
    out.fill(0, this.game.numActions);
    return out;
  }

  bestAction(tree: number): number {
    this.checkTree(tree);
    if (!this.wasm.rootExpanded(tree)) throw new Error('mcts: no simulation has expanded the root');
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
    if (!(tree >= 0 && tree < this.roots.length)) throw new RangeError(`connect4 wasm search: no tree ${tree} (${this.roots.length} searching)`);
  }

  /** The evaluation gave an illegal action of `row` a prior: the JavaScript trees' error. */
  private refuse(row: number): never {
    const numActions = this.game.numActions;
    for (let a = 0; a < numActions; a++) {
      const prior = this.priors[row * numActions + a]!;
      if (this.legalMasks[row * numActions + a] === 0 && prior !== 0) {
        throw new RangeError(`mcts: the evaluation gave illegal action ${a} a prior of ${prior}; priors of illegal actions must be 0`);
      }
    }
    throw new Error(`connect4 wasm search: row ${row} refused without an illegal prior`);
  }

  private grow(trees: number): void {
    this.wasm.setTrees(trees, this.options.simulations + 1);
    this.capacity = trees;
    const { buffer } = this.wasm.memory;
    const { numActions, observationSize } = this.game;
    this.observations = new Float32Array(buffer, this.wasm.observationsAt(), trees * observationSize);
    this.legalMasks = new Uint8Array(buffer, this.wasm.legalMasksAt(), trees * numActions);
    this.priors = new Float32Array(buffer, this.wasm.priorsAt(), trees * numActions);
    this.values = new Float32Array(buffer, this.wasm.valuesAt(), trees);
    this.noise = new Float64Array(buffer, this.wasm.noiseAt(), trees * numActions);
  }
}
