/* Generated from schemas/benchmark-stage-args.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * The args of benchmark@pentago (built by src/rating/tournament-plan.ts).
 */
export interface BenchmarkStageArgs {
  /**
   * The candidates: every trained Pentago agent (each a dep artifacts/train/<agent>).
   *
   * @minItems 1
   */
  agents: string[];
  /**
   * Step of the fully trained checkpoints.
   */
  finalStep: number;
  /**
   * The agent named by params (width and copy); absent: the strongest is measured.
   */
  pinned?: string;
}
