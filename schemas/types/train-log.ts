/* Generated from schemas/train-log.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * The training log of one AlphaZero agent (training-log.json in the output of train@game-wW-cK): one entry per training step. Deterministic: same params, seed and tfjs backend give the same bytes, so it holds no wall-clock times (those go to the stage log and run record).
 */
export interface TrainingLog {
  game: 'connect4' | 'pentago';
  /**
   * Game options (Connect Four board size); empty for the standard boards.
   */
  board: {
    width?: number;
    height?: number;
  };
  /**
   * Hidden width w of the MLP.
   */
  width: number;
  /**
   * Parameter count P(w) = 3w² + (n_in + A + 5)·w + A + 1.
   */
  parameters: number;
  /**
   * The run's seed (network init, self-play, minibatch order).
   */
  seed: number;
  /**
   * What the value head is trained on: the final outcome (+1/0/-1) for the player to move at each position (OpenSpiel 1.0 used the first player's outcome).
   */
  valueTarget: 'side-to-move outcome';
  /**
   * D: the new states a step waits for, floor(bufferSize / reuse).
   */
  statesPerStep: number;
  /**
   * Every way this run departs from the paper's protocol (SPEC-paper.md: Games, Training, MCTS), in a fixed order: budgets a profile scaled, settings changed, and the implementation's own choices. Empty of 'budget' and 'setting' entries under the paper profile.
   */
  deviations: Deviation[];
  steps: StepEntry[];
}
/**
 * This interface was referenced by `TrainingLog`'s JSON-Schema
 * via the `definition` "Deviation".
 */
export interface Deviation {
  /**
   * The params.json key (dotted), or the aspect of the method for an implementation choice.
   */
  setting: string;
  /**
   * budget: a size or count scaled (steps, buffer, batch, simulations, board); setting: another protocol value changed; implementation: how this code does what the paper's did.
   */
  kind: 'budget' | 'setting' | 'implementation';
  /**
   * The paper's value.
   */
  paper: number | string | unknown[] | {};
  /**
   * This run's value.
   */
  used: number | string | unknown[] | {};
  /**
   * What the difference means for the result.
   */
  note?: string;
}
/**
 * This interface was referenced by `TrainingLog`'s JSON-Schema
 * via the `definition` "StepEntry".
 */
export interface StepEntry {
  step: number;
  /**
   * Self-play games finished in this step.
   */
  games: number;
  /**
   * Positions they added to the replay buffer.
   */
  states: number;
  /**
   * Mean plies of those games.
   */
  meanGameLength: number;
  /**
   * Positions in the replay buffer when training began.
   */
  bufferSize: number;
  minibatches: number;
  loss: Losses;
  /**
   * Positions the network evaluated in self-play (batch rows).
   */
  evaluations: number;
  /**
   * Leaves answered from the evaluation cache (or by an identical leaf of the same batch).
   */
  cacheHits: number;
  /**
   * Leaves that were terminal and got their exact value.
   */
  terminalLeaves: number;
}
/**
 * Means over the step's minibatches, each measured before its update.
 *
 * This interface was referenced by `TrainingLog`'s JSON-Schema
 * via the `definition` "Losses".
 */
export interface Losses {
  /**
   * Cross-entropy of the policy against the MCTS visit fractions.
   */
  policy: number;
  /**
   * Mean squared error of the value against the outcome.
   */
  value: number;
  /**
   * weightDecay · Σ‖W‖²/2 over kernels.
   */
  l2: number;
  total: number;
}
