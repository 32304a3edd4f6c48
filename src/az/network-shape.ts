// The network's shape and the sizes that follow from it alone (parameters, forward-pass
// FLOPs), and the study's shape for a game and width, computed from the board alone: so that
// declarations (pipeline.ts, the tournament plan) can estimate compute without building a
// game or loading the network code, whose TensorFlow.js every `repro status` would load.

export interface NetworkShape {
  /** Observation length n_in (3 planes x cells). */
  inputSize: number;
  /** Number of actions A. */
  numActions: number;
  /** Hidden width w. */
  width: number;
}

export function parameterCount(shape: NetworkShape): number {
  const { inputSize: n, numActions: a, width: w } = shape;
  return 3 * w * w + (n + a + 5) * w + a + 1;
}

/** Multiply-adds count 2 each, bias adds 1: F = 2·weights + biases, the paper's forward-pass FLOPs. */
export function forwardFlops(shape: NetworkShape): number {
  const { inputSize: n, numActions: a, width: w } = shape;
  const weights = n * w + w * w + w * w + w * a + w * w + w;
  const biases = 4 * w + a + 1;
  return 2 * weights + biases;
}

/** Connect Four on `board` (7x6 by default) or Pentago; the observation is 3 planes of cells. */
export function studyNetworkShape(game: 'connect4' | 'pentago', width: number, board?: { width?: number; height?: number }): NetworkShape {
  if (game === 'pentago') return { inputSize: 3 * 36, numActions: 288, width };
  const columns = board?.width ?? 7;
  const rows = board?.height ?? 6;
  return { inputSize: 3 * columns * rows, numActions: columns, width };
}
