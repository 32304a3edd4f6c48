// PUCT Monte Carlo tree search as OpenSpiel's MCTSBot runs it for AlphaZero:
//   select   argmax_a Q(a) + c·P(a)·√N(parent)/(N(a)+1), Q = 0 for unvisited children
//   expand   one evaluation per simulation: the network's priors over the legal actions
//            (plus Dirichlet noise at the root in self-play) and its value
//   terminal a child whose state is terminal returns its exact game value, no evaluation
// The first simulation expands the root, so `n` simulations cost at most `n` evaluations.
//
// A simulation is split in two halves, descend() and expand(), so that many trees (one per
// concurrent game) can descend, hand their leaves to ONE batched network call, and then
// expand; a single tree searched alone (runSearch) goes through the same code.
//
// Nodes live in parallel typed arrays (structure of arrays): the tree of a 300-simulation
// Pentago search has up to ~86,000 nodes, and typed arrays keep that off the GC's back.
// Values are stored from the point of view of the player who moved INTO the node, which is
// what the parent maximises.

import type { Rng } from '../engine/rng.ts';
import type { Game } from '../games/game.ts';

export interface MctsOptions {
  /** PUCT exploration constant c (2 in the paper). */
  c: number;
  /** Root Dirichlet noise: concentration α and weight ε (ε = 0 turns it off, as in matches). */
  dirichletAlpha: number;
  dirichletEpsilon: number;
}

/** What one network evaluation gives a tree: priors over the legal actions in increasing action order, and a value for the player to move. */
export interface Evaluation {
  priors: Float32Array;
  value: number;
}

const NO_CHILDREN = -1;
const INITIAL_CAPACITY = 1024;

export class SearchTree<S> {
  readonly game: Game<S>;
  readonly options: MctsOptions;

  private capacity = INITIAL_CAPACITY;
  private size = 0;
  private visits = new Int32Array(INITIAL_CAPACITY);
  private valueSum = new Float64Array(INITIAL_CAPACITY);
  private prior = new Float32Array(INITIAL_CAPACITY);
  private action = new Int32Array(INITIAL_CAPACITY);
  private firstChild = new Int32Array(INITIAL_CAPACITY);
  private childCount = new Int32Array(INITIAL_CAPACITY);
  /** Exact value for the player to move at the node's state when it is terminal, else NaN (or not yet known). */
  private terminal = new Float64Array(INITIAL_CAPACITY);
  /** States are made on the first visit only: most children of a wide node are never visited. */
  private states: (S | undefined)[] = [];

  private path = new Int32Array(64);
  private pathLength = 0;
  private pending = false;
  private noiseRng: Rng | null = null;
  private readonly legalScratch: Uint8Array;

  constructor(game: Game<S>, options: MctsOptions) {
    this.game = game;
    this.options = options;
    this.legalScratch = new Uint8Array(game.numActions);
  }

  /** Starts a new search from `rootState` (a fresh tree, as OpenSpiel does per move). `noiseRng` draws the root noise when ε > 0. */
  reset(rootState: S, noiseRng: Rng | null = null): void {
    if (this.game.isTerminal(rootState)) throw new RangeError('mcts: cannot search from a terminal state');
    this.size = 0;
    this.states.length = 0;
    this.noiseRng = noiseRng;
    this.pending = false;
    this.newNode(-1, 0);
    this.states[0] = rootState;
  }

  get rootState(): S {
    return this.states[0]!;
  }

  /** Simulations completed (the root's visit count). */
  get simulations(): number {
    return this.visits[0]!;
  }

  get nodeCount(): number {
    return this.size;
  }

  /**
   * First half of a simulation: walks down by PUCT to an unexpanded node. A terminal node
   * is backed up at once with its exact value and null is returned (the simulation is done);
   * otherwise the leaf's state is returned and expand() must follow with its evaluation.
   */
  descend(): S | null {
    if (this.pending) throw new Error('mcts: descend() called twice without expand()');
    let node = 0;
    this.pathLength = 0;
    this.pushPath(0);
    while (this.firstChild[node]! !== NO_CHILDREN) {
      const parent = node;
      node = this.selectChild(parent);
      this.pushPath(node);
      let state = this.states[node];
      if (state === undefined) {
        state = this.game.apply(this.states[parent]!, this.action[node]!);
        this.states[node] = state;
        const exact = this.game.terminalValue(state);
        this.terminal[node] = exact === null ? Number.NaN : exact;
      }
      const exact = this.terminal[node]!;
      if (!Number.isNaN(exact)) {
        this.backup(exact);
        return null;
      }
    }
    this.pending = true;
    return this.states[node]!;
  }

  /** Second half: expands the leaf returned by descend() with its evaluation and backs the value up. */
  expand(evaluation: Evaluation): void {
    if (!this.pending) throw new Error('mcts: expand() without a pending leaf');
    this.pending = false;
    const leaf = this.path[this.pathLength - 1]!;
    const numActions = this.game.numActions;
    const count = this.game.legalMask(this.states[leaf]!, this.legalScratch, 0);
    const priors = evaluation.priors;
    if (priors.length !== count) throw new Error(`mcts: ${priors.length} priors for ${count} legal actions`);
    const noise =
      leaf === 0 && this.options.dirichletEpsilon > 0 && this.noiseRng
        ? this.noiseRng.dirichlet(this.options.dirichletAlpha, count)
        : null;
    const eps = this.options.dirichletEpsilon;
    // One pass writing every field: a Pentago expansion makes up to 288 children, and this
    // loop is the hottest of self-play.
    this.ensureCapacity(this.size + count);
    const first = this.size;
    const { visits, valueSum, prior, action, firstChild, childCount, terminal, legalScratch } = this;
    let k = first;
    let i = 0;
    for (let a = 0; a < numActions; a++) {
      if (legalScratch[a] === 0) continue;
      visits[k] = 0;
      valueSum[k] = 0;
      firstChild[k] = NO_CHILDREN;
      childCount[k] = 0;
      terminal[k] = Number.NaN;
      action[k] = a;
      prior[k] = noise === null ? priors[i]! : (1 - eps) * priors[i]! + eps * noise[i]!;
      k++;
      i++;
    }
    this.size = k;
    this.firstChild[leaf] = first;
    this.childCount[leaf] = count;
    this.backup(evaluation.value);
  }

  /** Visit counts of the root's children, indexed by action (zeros for the rest). */
  rootVisitCounts<T extends Float32Array | Float64Array | Uint16Array | Int32Array>(out: T): T {
    out.fill(0);
    const first = this.firstChild[0]!;
    if (first === NO_CHILDREN) return out;
    for (let k = first; k < first + this.childCount[0]!; k++) out[this.action[k]!] = this.visits[k]!;
    return out;
  }

  /** The most visited root action; ties go to the higher mean value, then to the lower action. */
  bestAction(): number {
    const first = this.firstChild[0]!;
    if (first === NO_CHILDREN) throw new Error('mcts: no simulation has expanded the root');
    let best = first;
    for (let k = first + 1; k < first + this.childCount[0]!; k++) {
      const n = this.visits[k]!;
      const bn = this.visits[best]!;
      if (n > bn || (n === bn && n > 0 && this.valueSum[k]! / n > this.valueSum[best]! / bn)) best = k;
    }
    return this.action[best]!;
  }

  /** A root action drawn with probability ∝ N(a)^(1/temperature); temperature 0 = bestAction(). */
  sampleAction(rng: Rng, temperature = 1): number {
    if (temperature === 0) return this.bestAction();
    const counts = this.rootVisitCounts(new Float64Array(this.game.numActions));
    if (temperature !== 1) {
      // Scale by the maximum first so N^(1/T) cannot overflow for small T.
      let max = 0;
      for (let a = 0; a < counts.length; a++) max = Math.max(max, counts[a]!);
      for (let a = 0; a < counts.length; a++) counts[a] = Math.pow(counts[a]! / max, 1 / temperature);
    }
    return rng.categorical(counts);
  }

  private selectChild(node: number): number {
    const first = this.firstChild[node]!;
    const end = first + this.childCount[node]!;
    const c = this.options.c;
    const explore = c * Math.sqrt(this.visits[node]!);
    let best = first;
    let bestScore = -Infinity;
    for (let k = first; k < end; k++) {
      const n = this.visits[k]!;
      const q = n > 0 ? this.valueSum[k]! / n : 0;
      const score = q + (explore * this.prior[k]!) / (n + 1);
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    return best;
  }

  /** `value` is for the player to move at the last node of the path; each node stores it for the player who moved into it. */
  private backup(value: number): void {
    let v = -value;
    for (let i = this.pathLength - 1; i >= 0; i--) {
      const node = this.path[i]!;
      this.visits[node]! += 1;
      this.valueSum[node]! += v;
      v = -v;
    }
  }

  private pushPath(node: number): void {
    if (this.pathLength === this.path.length) {
      const bigger = new Int32Array(this.path.length * 2);
      bigger.set(this.path);
      this.path = bigger;
    }
    this.path[this.pathLength++] = node;
  }

  private newNode(action: number, prior: number): number {
    this.ensureCapacity(this.size + 1);
    const id = this.size++;
    this.visits[id] = 0;
    this.valueSum[id] = 0;
    this.prior[id] = prior;
    this.action[id] = action;
    this.firstChild[id] = NO_CHILDREN;
    this.childCount[id] = 0;
    this.terminal[id] = Number.NaN;
    return id;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.capacity) return;
    let capacity = this.capacity;
    while (capacity < needed) capacity *= 2;
    const grow = <T extends Int32Array | Float64Array | Float32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.visits = grow(this.visits, (n) => new Int32Array(n));
    this.valueSum = grow(this.valueSum, (n) => new Float64Array(n));
    this.prior = grow(this.prior, (n) => new Float32Array(n));
    this.action = grow(this.action, (n) => new Int32Array(n));
    this.firstChild = grow(this.firstChild, (n) => new Int32Array(n));
    this.childCount = grow(this.childCount, (n) => new Int32Array(n));
    this.terminal = grow(this.terminal, (n) => new Float64Array(n));
    this.capacity = capacity;
  }
}

/** Evaluates positions one at a time (tests, analysis); batched self-play bypasses this. */
export type StateEvaluator<S> = (state: S) => Evaluation;

/** Runs `simulations` simulations on one tree (already reset()). */
export function runSearch<S>(tree: SearchTree<S>, evaluate: StateEvaluator<S>, simulations: number): void {
  for (let i = 0; i < simulations; i++) {
    const leaf = tree.descend();
    if (leaf !== null) tree.expand(evaluate(leaf));
  }
}

/** Uniform priors and value 0: MCTS with this evaluator is plain PUCT search with exact terminals. */
export function uniformEvaluator<S>(game: Game<S>): StateEvaluator<S> {
  return (state) => {
    const n = game.legalActions(state).length;
    return { priors: new Float32Array(n).fill(1 / n), value: 0 };
  };
}
