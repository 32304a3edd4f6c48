/* Generated from schemas/params.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Every experiment parameter of the pipeline in this repository.
 */
export interface Params {
  demo: DemoParams;
  solverCheck: SolverCheckParams;
  train: TrainParams;
  mcts: MctsParams;
  selfplay: SelfplayParams;
  az: AzParams;
  study: StudyParams;
  /**
   * Cluster executor settings; validated by the engine against schemas/executor.schema.json.
   */
  executor?: {};
  book: BookParams;
}
/**
 * The engine's own demo stages.
 */
export interface DemoParams {
  /**
   * Shorter words are not counted.
   */
  minWordLength: number;
  /**
   * How many of the most frequent words the summary lists.
   */
  top: number;
}
/**
 * How much the solver-check stages test (quick profiles sample; the full profile runs all).
 */
export interface SolverCheckParams {
  connect4: Connect4CheckParams;
  pentago: PentagoCheckParams;
}
export interface Connect4CheckParams {
  /**
   * Positions sampled (seeded) from each benchmark set but Begin-Hard; 1000 runs whole sets.
   */
  positionsPerSet: number;
  /**
   * Positions sampled from Begin-Hard (seconds each); 0 skips the set.
   */
  beginHardPositions: number;
  /**
   * Move-sequence counts checked up to this ply.
   */
  perftDepth: number;
  /**
   * Distinct-position counts checked up to this ply.
   */
  distinctDepth: number;
  /**
   * Random games along which the mirror symmetry is checked.
   */
  symmetryPlayouts: number;
}
export interface PentagoCheckParams {
  /**
   * Move-sequence counts checked up to this ply.
   */
  perftDepth: number;
  /**
   * Boards up to symmetry checked up to this ply.
   */
  distinctDepth: number;
  /**
   * Random games along which the 8 symmetries are checked.
   */
  symmetryPlayouts: number;
  /**
   * Random late positions solved by the endgame solver and by plain negamax.
   */
  endgamePositions: number;
  /**
   * Empty cells of those positions (plain negamax is exponential in it).
   */
  endgameEmpties: number;
}
export interface TrainParams {
  /**
   * Training steps per agent (paper 10000).
   */
  steps: number;
  /**
   * Steps whose weights are kept (0 = initial weights); the last step is always kept.
   */
  checkpoints: number[];
  /**
   * FIFO replay capacity (paper 65536).
   */
  bufferSize: number;
  /**
   * A step waits for floor(bufferSize/reuse) new states (paper 10).
   */
  reuse: number;
  /**
   * Minibatch rows (paper 1024).
   */
  batchSize: number;
  /**
   * Adam learning rate (paper 1e-3).
   */
  lr: number;
  /**
   * Coefficient of sum ||W||^2/2 over kernels (paper 1e-4).
   */
  weightDecay: number;
}
export interface MctsParams {
  /**
   * Simulations per self-play move (paper 300).
   */
  simulations: number;
  /**
   * PUCT constant (paper 2).
   */
  c: number;
  /**
   * Root Dirichlet noise concentration (paper 1.0).
   */
  dirichletAlpha: number;
  /**
   * Root noise weight (paper 0.25).
   */
  dirichletEpsilon: number;
  temperaturePlies: TemperaturePlies;
}
/**
 * Plies sampled at temperature 1 before playing the most-visited move (paper 15 / 5).
 */
export interface TemperaturePlies {
  connect4: number;
  pentago: number;
}
export interface SelfplayParams {
  /**
   * Games in lockstep = the network's batch size.
   */
  concurrentGames: number;
  /**
   * LRU evaluation-cache entries per worker (0 = off).
   */
  cacheSize: number;
  /**
   * Self-play worker threads; results are deterministic per worker count, not across counts.
   */
  workers: number;
}
export interface AzParams {
  /**
   * tfjs backend; auto tries node-gpu, node, wasm, cpu. REPRO_BACKEND overrides auto.
   */
  backend: 'auto' | 'node-gpu' | 'node' | 'wasm' | 'cpu';
}
export interface StudyParams {
  /**
   * Games studied.
   */
  games: ('connect4' | 'pentago')[];
  widths: StudyWidths;
  /**
   * Independent copies (seeds) per width (paper 6).
   */
  copies: number;
  /**
   * Base seed of the study; each agent's seed derives from it, its game, width and copy.
   */
  seed: number;
  connect4Board?: BoardSize;
}
/**
 * Network widths trained per game (paper: 4..256, Connect Four with half-octaves).
 */
export interface StudyWidths {
  connect4: number[];
  pentago: number[];
}
/**
 * A smaller Connect Four board for quick profiles; absent = the standard 7x6.
 */
export interface BoardSize {
  width: number;
  height: number;
}
export interface BookParams {
  /**
   * Connect Four opening book: every position with at most this many stones. null: no book stage. Cost grows steeply (depth 0 about 25 CPU-minutes, depth 13 about 19 CPU-days; see src/solvers/connect4/opening-book.ts).
   */
  depth: number | null;
  /**
   * Worker threads of the book build (changes its speed, never its bytes).
   */
  cpus: number;
}
