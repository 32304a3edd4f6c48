/* Generated from schemas/tournament-shard-args.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * The args of a tournament@<shard> stage (built by src/rating/tournament-plan.ts): which pairs to play. Agents' checkpoints come from the deps artifacts/train/<agent>; reference players are built from their names (random, solver, solver-T<T>, benchmark).
 */
export interface TournamentShardArgs {
  /**
   * Game played.
   */
  game: 'connect4' | 'pentago';
  /**
   * The shard's id suffix.
   */
  shard: string;
  board?: Board;
  /**
   * Unordered pairs of player names; each plays gamesPerPair games, first move alternating.
   */
  pairs: string[][];
  /**
   * Step of the fully trained checkpoints.
   */
  finalStep: number;
  /**
   * Connect Four opening book (a declared dep) for the solver players.
   */
  book?: string;
  /**
   * Pentago: the output of benchmark@pentago (a declared dep): the benchmark player's checkpoint and selection.json.
   */
  benchmark?: string;
}
/**
 * Connect Four board size when not 7x6.
 *
 * This interface was referenced by `TournamentShardArgs`'s JSON-Schema
 * via the `definition` "Board".
 */
export interface Board {
  width?: number;
  height?: number;
}
