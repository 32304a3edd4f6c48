/* Generated from schemas/rating-table.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Elo ratings of every player of one tournament fit (artifacts of elo@game): one row per player, how the zero was chosen, and the fit's settings. Bradley-Terry Elo = 400*log10(gamma); BayesElo as the paper reported it (scaled, minimum at 0).
 */
export interface RatingTable {
  /**
   * bradley-terry: plain maximum likelihood, draws as half a win, order of play ignored. bayeselo: Coulom's model with first-move advantage, draw Elo and a prior of virtual draws.
   */
  method: 'bradley-terry' | 'bayeselo';
  /**
   * The player whose Elo is 0.
   */
  zeroPlayer: string;
  /**
   * Why zeroPlayer is at 0: it was the requested anchor (the uniform random player), or that anchor was absent and the weakest player was used.
   */
  zeroRule: 'named anchor' | 'weakest player';
  /**
   * Every rated player, in the fit's player order.
   */
  players: RatedPlayer[];
  /**
   * Whether the iterations met their tolerance before the iteration limit.
   */
  converged: boolean;
  /**
   * Newton steps (bradley-terry) or MM iterations (bayeselo) used.
   */
  iterations: number;
  bayesElo?: BayesEloSettings;
  bootstrap?: BootstrapSettings;
}
/**
 * One player's rating and record. Fields: eloInterval: Bootstrap percentile interval of elo at bootstrap.level.
 *
 * This interface was referenced by `RatingTable`'s JSON-Schema
 * via the `definition` "RatedPlayer".
 */
export interface RatedPlayer {
  /**
   * Player id, e.g. an (agent, checkpoint) such as connect4-w16-c0@10000.
   */
  name: string;
  /**
   * Elo relative to zeroPlayer.
   */
  elo: number;
  eloInterval?: Interval;
  /**
   * Standard deviation of the bootstrap Elo values.
   */
  eloStandardError?: number;
  /**
   * Games played (real games only, no virtual draws).
   */
  games: number;
  /**
   * (wins + draws/2) / games; 0 when no games.
   */
  score: number;
}
/**
 * A two-sided interval.
 *
 * This interface was referenced by `RatingTable`'s JSON-Schema
 * via the `definition` "Interval".
 */
export interface Interval {
  /**
   * Lower end.
   */
  lower: number;
  /**
   * Upper end.
   */
  upper: number;
}
/**
 * The bayeselo model settings the fit used.
 *
 * This interface was referenced by `RatingTable`'s JSON-Schema
 * via the `definition` "BayesEloSettings".
 */
export interface BayesEloSettings {
  /**
   * Elo advantage of moving first (bayeselo default 32.8).
   */
  eloAdvantage: number;
  /**
   * Draw Elo (bayeselo default 97.3).
   */
  eloDraw: number;
  /**
   * Virtual draws per player (bayeselo default 2).
   */
  prior: number;
  /**
   * Multiplier applied to the reported Elo (bayeselo default 4x/(1+x)^2, x = 10^(-eloDraw/400), about 0.9255).
   */
  scale: number;
  /**
   * Whether reported Elo was rounded to whole numbers as bayeselo prints them.
   */
  rounded: boolean;
}
/**
 * How the Elo intervals were computed: games resampled within each ordered pair, every resample refitted.
 *
 * This interface was referenced by `RatingTable`'s JSON-Schema
 * via the `definition` "BootstrapSettings".
 */
export interface BootstrapSettings {
  /**
   * Resampled tournaments fitted.
   */
  resamples: number;
  /**
   * Seed of the resampling stream.
   */
  seed: number;
  /**
   * Two-sided coverage of eloInterval.
   */
  level: number;
  /**
   * Resamples that could not be fitted (e.g. an undefeated player) and were left out.
   */
  failed: number;
}
