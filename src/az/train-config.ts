// The configuration of one training run and the small facts derived from it. Kept apart
// from the loop so self-play workers can build their game without importing the trainer.

import { getGame, type AnyGame, type Connect4Options, type GameName } from '../games/index.ts';
import type { SelfPlayOptions } from './selfplay.ts';

/** Everything that determines the result: same config (and backend) → same bytes. */
export interface TrainConfig {
  game: GameName;
  /** Connect Four board size; {} for the standard boards. */
  board: Connect4Options;
  width: number;
  seed: number;
  steps: number;
  /** Steps after which a checkpoint is kept (0 = the initial weights); the last step is always added. */
  checkpoints: number[];
  bufferSize: number;
  /** Each position is trained on about this many times: D = floor(bufferSize / reuse). */
  reuse: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  selfPlay: SelfPlayOptions;
  /** Worker threads for self-play (1 = in the training thread). Part of the config: batches, and so the last bits of results, depend on it. */
  selfPlayWorkers: number;
}

export function statesPerStep(config: Pick<TrainConfig, 'bufferSize' | 'reuse'>): number {
  return Math.max(1, Math.floor(config.bufferSize / config.reuse));
}

export function checkpointSteps(config: Pick<TrainConfig, 'checkpoints' | 'steps'>): number[] {
  return [...new Set([...config.checkpoints.filter((s) => s >= 0 && s <= config.steps), config.steps])].sort((a, b) => a - b);
}

export function makeGame(config: Pick<TrainConfig, 'game' | 'board'>): AnyGame {
  return config.game === 'connect4' ? getGame('connect4', config.board) : getGame(config.game);
}

export function validateConfig(c: TrainConfig): void {
  const problems: string[] = [];
  const posInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) problems.push(`${name} must be a positive integer, got ${v}`);
  };
  posInt('width', c.width);
  posInt('steps', c.steps);
  posInt('bufferSize', c.bufferSize);
  posInt('batchSize', c.batchSize);
  posInt('selfPlay.simulations', c.selfPlay.simulations);
  posInt('selfPlay.concurrentGames', c.selfPlay.concurrentGames);
  posInt('selfPlayWorkers', c.selfPlayWorkers);
  if (!(c.reuse > 0)) problems.push(`reuse must be > 0, got ${c.reuse}`);
  if (!(c.learningRate > 0)) problems.push(`learningRate must be > 0, got ${c.learningRate}`);
  if (!(c.weightDecay >= 0)) problems.push(`weightDecay must be >= 0, got ${c.weightDecay}`);
  if (!Number.isInteger(c.seed)) problems.push(`seed must be an integer, got ${c.seed}`);
  if (problems.length) throw new RangeError(`training config: ${problems.join('; ')}`);
}
