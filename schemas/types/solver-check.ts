/* Generated from schemas/solver-check.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * artifacts/solver-check/<game>.json: the checks that prove a game engine and its solvers before any agent trains.
 */
export interface SolverCheckReport {
  game: 'connect4' | 'pentago';
  /**
   * True only if every check passed.
   */
  ok: boolean;
  checks: SolverCheck[];
}
export interface SolverCheck {
  /**
   * e.g. benchmark Middle-Medium, perft, symmetry, endgame vs negamax.
   */
  name: string;
  ok: boolean;
  /**
   * Positions (or plies, for counts) checked.
   */
  positions: number;
  /**
   * Of them, how many matched the reference.
   */
  correct: number;
  /**
   * Mean time per position in microseconds (0 where not timed, and in the untimed copy downstream stages depend on). Volatile: never verified.
   */
  meanMicros: number;
  /**
   * Mean search nodes per position (0 where no search).
   */
  meanNodes: number;
  /**
   * The first mismatch, if any.
   */
  detail?: string;
}
