// The study's network shape for a game and width, computed from the board alone, so that
// declarations (pipeline.ts, the tournament plan) can estimate compute without building a
// game or loading the network code.

import type { NetworkShape } from './network.ts';

/** Connect Four on `board` (7x6 by default) or Pentago; the observation is 3 planes of cells. */
export function studyNetworkShape(game: 'connect4' | 'pentago', width: number, board?: { width?: number; height?: number }): NetworkShape {
  if (game === 'pentago') return { inputSize: 3 * 36, numActions: 288, width };
  const columns = board?.width ?? 7;
  const rows = board?.height ?? 6;
  return { inputSize: 3 * columns * rows, numActions: columns, width };
}
