/* Generated from schemas/params.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Every experiment parameter of the pipeline in this repository.
 */
export interface Params {
  demo: DemoParams;
  solverCheck: SolverCheckParams;
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
