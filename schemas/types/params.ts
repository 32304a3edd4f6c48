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
  tournament: TournamentSettings;
  ratings: RatingSettings;
  fits: FitSettings;
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
   * Games in lockstep per self-play worker = the batch size of each network call; workers × concurrentGames games are in flight.
   */
  concurrentGames: number;
  /**
   * LRU evaluation-cache entries per worker (0 = off).
   */
  cacheSize: number;
  /**
   * Threads playing self-play: the stage's own and workers − 1 worker threads, each with its own concurrentGames games, network copy and cache; results are deterministic per worker count, not across counts. More than 1 needs the wasm or cpu backend: the native TensorFlow packages (node-gpu, node) run one thread per process, so a train stage on them with several workers stops and says what to set.
   */
  workers: number;
}
export interface AzParams {
  /**
   * tfjs backend of the stages that run networks (train, tournament). auto tries node-gpu, node, wasm, cpu, and REPRO_BACKEND overrides it (the variable then enters those stages' keys). Bytes reproduce only on one backend: the default and ci profiles name wasm, which installs everywhere, so that their committed lock records reproduce on every machine; the paper profile says auto, for tfjs-node-gpu on GPU nodes.
   */
  backend: 'auto' | 'node-gpu' | 'node' | 'wasm' | 'cpu';
  /**
   * GPUs each train stage asks its executor for: a Slurm job's GPU request, or devices of the local machine's that no other running stage has (a stage with 0 sees none). Placement only, never part of a stage's key. The paper profile asks for 1.
   */
  gpus: number;
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
  /**
   * Where the figures and the report go. The default profile publishes them with the repository (artifacts); other profiles keep theirs apart (artifacts/<profile>), so that running one never overwrites the committed figures.
   */
  publishDir: string;
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
/**
 * Evaluation matches (paper: 800 games per pair, 300 simulations, c = 2, T = 0.25, no noise).
 *
 * This interface was referenced by `Params`'s JSON-Schema
 * via the `definition` "TournamentSettings".
 */
export interface TournamentSettings {
  /**
   * Games per pair of players, half with each moving first (paper 800).
   */
  gamesPerPair: number;
  /**
   * MCTS simulations per move of an agent (paper 300).
   */
  simulations: number;
  /**
   * PUCT constant (paper 2).
   */
  c: number;
  /**
   * Moves sampled from N(a)^(1/T) for the whole game (paper 0.25).
   */
  temperature: number;
  /**
   * Games of a match in progress at once; a network call evaluates about half of them. Moves never depend on it, but batch sizes can change the last bits of network outputs, so it is part of the key.
   */
  concurrentGames: number;
  /**
   * Network evaluations cached per agent by position (saves repeated rows; like concurrentGames it can only change last bits).
   */
  cacheSize: number;
  references: ReferencePlayers;
}
/**
 * Reference players every fully trained agent meets (the uniform random player, the Elo zero, always). Changing one game's entry reruns only that game's reference shards.
 *
 * This interface was referenced by `Params`'s JSON-Schema
 * via the `definition` "ReferencePlayers".
 */
export interface ReferencePlayers {
  connect4: Connect4References;
  pentago: PentagoReferences;
}
export interface Connect4References {
  /**
   * Solver players: 0 is the perfect player ('solver'), T > 0 the softmax-over-scores player 'solver-T<T>' (the original used 26 temperatures, 0 to 977). Empty on boards other than 7x6, which the solver does not support.
   */
  solverTemperatures: number[];
}
export interface PentagoReferences {
  /**
   * The 'benchmark' player, or null for none.
   */
  benchmark: null | PentagoBenchmark;
}
/**
 * The Pentago benchmark: a trained agent's final checkpoint with more simulations, played by the exact endgame solver once few cells are empty (paper: its best agent, width 128, 10x simulations). The agent is the strongest fully trained one, measured by the final training slice (benchmark@pentago), unless width and copy pin it.
 *
 * This interface was referenced by `Params`'s JSON-Schema
 * via the `definition` "PentagoBenchmark".
 */
export interface PentagoBenchmark {
  /**
   * Pins the agent's width (must be among study.widths.pentago; give copy too). Leave both out to use the measured strongest agent.
   */
  width?: number;
  /**
   * Pins the agent's copy (give width too).
   */
  copy?: number;
  /**
   * Its simulations are tournament.simulations times this (paper 10).
   */
  simulationsFactor: number;
  /**
   * The endgame solver plays positions with at most this many empty cells.
   */
  solverEmpties: number;
}
/**
 * Rating fits of all shard results of a game (elo@<game>).
 *
 * This interface was referenced by `Params`'s JSON-Schema
 * via the `definition` "RatingSettings".
 */
export interface RatingSettings {
  /**
   * Resampled tournaments for the Elo intervals.
   */
  bootstrapResamples: number;
  /**
   * Two-sided coverage of the intervals.
   */
  level: number;
  /**
   * Bradley-Terry only: draws added to every ordered pair that played, so an undefeated or winless player (the perfect solver, the random player) keeps a finite Elo. 0 = plain maximum likelihood, which fails with a message naming such players. BayesElo always uses its own prior of 2.
   */
  virtualDraws: number;
}
/**
 * Scaling-law fits (fits@<game>).
 *
 * This interface was referenced by `Params`'s JSON-Schema
 * via the `definition` "FitSettings".
 */
export interface FitSettings {
  /**
   * Which rating table the fits use (the paper: bayeselo).
   */
  eloMethod: 'bayeselo' | 'bradley-terry';
  /**
   * Two-sided level of the fits' intervals.
   */
  level: number;
  /**
   * Which fully trained agents count as on the perfect-play plateau (the Elo of Connect Four's perfect player 'solver') for alpha_N and the per-checkpoint slopes. Without that player in the table, and always for Pentago (whose benchmark is one of its own agents, not perfect play), no plateau.
   */
  sizePlateau:
    | {
        kind: 'none';
      }
    | {
        kind: 'within';
        margin: number;
      }
    | {
        kind: 'not-significantly-below';
        level: number;
      };
  /**
   * Front and optimal-size points within this many Elo of the plateau are left out; null keeps all.
   */
  pointPlateauMargin: number | null;
  /**
   * Compute budgets per decade for the optimal-size law (default 10).
   */
  budgetsPerDecade?: number;
}
