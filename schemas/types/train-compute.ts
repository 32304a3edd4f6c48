/* Generated from schemas/train-compute.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Compute accounting of one AlphaZero agent (compute.json in the output of train@game-wW-cK), per checkpoint: the paper's C = S·T·F·D and the FLOPs this run actually spent. Deterministic (no times).
 */
export interface TrainingCompute {
  parameters: number;
  /**
   * F: FLOPs of one forward pass of one position, 2·weights + biases.
   */
  forwardFlops: number;
  /**
   * T: MCTS simulations per move.
   */
  simulationsPerMove: number;
  /**
   * D: new states per training step, floor(bufferSize / reuse).
   */
  statesPerStep: number;
  /**
   * FLOPs counted per minibatch row: 3·F (forward F, backward ≈ 2F).
   */
  trainingFlopsPerSample: number;
  checkpoints: CheckpointCompute[];
}
/**
 * This interface was referenced by `TrainingCompute`'s JSON-Schema
 * via the `definition` "CheckpointCompute".
 */
export interface CheckpointCompute {
  step: number;
  /**
   * Path of the checkpoint directory, relative to the output directory.
   */
  checkpoint: string;
  /**
   * C = S·T·F·D with S = step: the paper's training compute.
   */
  paperCompute: number;
  /**
   * F × positions the network evaluated in self-play so far.
   */
  inferenceFlops: number;
  /**
   * F × leaves answered by the cache: inference the paper's formula counts but this run did not spend.
   */
  cacheHitFlopsSaved: number;
  /**
   * trainingFlopsPerSample × minibatch rows trained on so far.
   */
  trainingFlops: number;
  /**
   * inferenceFlops + trainingFlops.
   */
  spentFlops: number;
  evaluations: number;
  cacheHits: number;
  terminalLeaves: number;
  trainingSamples: number;
  /**
   * Self-play positions collected so far.
   */
  states: number;
  /**
   * Self-play games finished so far.
   */
  games: number;
}
