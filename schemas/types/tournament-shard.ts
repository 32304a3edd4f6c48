/* Generated from schemas/tournament-shard.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Results of one tournament shard (artifact of tournament@<shard>): wins, draws and losses per ordered pair of players, counted from the player who moved first. Deterministic for a given seed and backend (no times).
 */
export interface TournamentShard {
  /**
   * Game played, e.g. connect4.
   */
  game: string;
  /**
   * The shard's id suffix, e.g. connect4-w16-c0+connect4-w32-c0.
   */
  shard: string;
  /**
   * Games per unordered pair, half with each player moving first.
   */
  gamesPerPair: number;
  settings: MatchSettings;
  /**
   * Every player of the shard, in player order.
   */
  players: string[];
  /**
   * Two entries per pair: one per player moving first.
   */
  results: PairResult[];
}
/**
 * How the agents searched.
 *
 * This interface was referenced by `TournamentShard`'s JSON-Schema
 * via the `definition` "MatchSettings".
 */
export interface MatchSettings {
  /**
   * MCTS simulations per move of an agent.
   */
  simulations: number;
  /**
   * PUCT exploration constant.
   */
  c: number;
  /**
   * Moves sampled from N(a)^(1/T) for the whole game.
   */
  temperature: number;
}
/**
 * Games of `first` (moving first) against `second`, counted from `first`'s side.
 *
 * This interface was referenced by `TournamentShard`'s JSON-Schema
 * via the `definition` "PairResult".
 */
export interface PairResult {
  /**
   * Player who moved first.
   */
  first: string;
  /**
   * Player who moved second.
   */
  second: string;
  /**
   * Games the first mover won.
   */
  wins: number;
  /**
   * Drawn games.
   */
  draws: number;
  /**
   * Games the first mover lost.
   */
  losses: number;
}
