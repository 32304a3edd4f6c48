/* Generated from schemas/tournament-params.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * The params.json sections read by the tournament, rating and fit stages (src/rating/tournament-plan.ts). params.schema.json carries the same three properties; this file is their source and the type the plan reads.
 */
export interface TournamentParams {
  tournament: TournamentSettings;
  ratings: RatingSettings;
  fits: FitSettings;
  [k: string]: unknown;
}
/**
 * Evaluation matches (paper: 800 games per pair, 300 simulations, c = 2, T = 0.25, no noise).
 *
 * This interface was referenced by `TournamentParams`'s JSON-Schema
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
 * This interface was referenced by `TournamentParams`'s JSON-Schema
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
 * The Pentago benchmark: a trained agent's final checkpoint with more simulations, played by the exact endgame solver once few cells are empty (paper: width 128, 10x simulations).
 *
 * This interface was referenced by `TournamentParams`'s JSON-Schema
 * via the `definition` "PentagoBenchmark".
 */
export interface PentagoBenchmark {
  /**
   * Width of the agent (must be among study.widths.pentago).
   */
  width: number;
  /**
   * Copy of the agent.
   */
  copy: number;
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
 * This interface was referenced by `TournamentParams`'s JSON-Schema
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
 * This interface was referenced by `TournamentParams`'s JSON-Schema
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
   * Which fully trained agents count as on the perfect-play plateau (Elo of 'solver' for Connect Four, 'benchmark' for Pentago) for alpha_N and the per-checkpoint slopes. Without that player in the table, no plateau.
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
