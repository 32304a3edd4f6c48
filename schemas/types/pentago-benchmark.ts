/* Generated from schemas/pentago-benchmark.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * selection.json of benchmark@pentago: the agent whose final checkpoint (copied beside this file, in checkpoint/) plays as the Pentago benchmark. Only the choice is recorded here, so that a rerun which makes the same choice leaves the output byte-identical and the benchmark shards cached; the ranking behind it is in the stage's log and run record.
 */
export interface PentagoBenchmarkSelection {
  /**
   * The agent, <game>-w<width>-c<copy>.
   */
  agent: string;
  /**
   * Its checkpoint: the final step.
   */
  step: number;
  /**
   * pinned: named by tournament.references.pentago.benchmark width and copy; strongest-final-slice: highest Bradley–Terry Elo among the fully trained agents, from their games against each other.
   */
  chosenBy: 'pinned' | 'strongest-final-slice';
}
