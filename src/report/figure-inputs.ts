// What the figures of one game are drawn from: the fits (fits@game), and every rated
// (agent, checkpoint) with its size, step and training compute. The fits alone do not carry
// the latter (they keep only the points each fit used, on log axes), so load-inputs.ts joins
// the points again from the rating table (elo@game) and each agent's compute.json (train@…),
// as the fits did (tournament-fits.ts).
import type { ScalingLawFits } from '../../schemas/types/fit-scaling-laws.ts';
import type { TrainingPoint } from '../rating/fit-types.ts';
import type { ReferencePlayer } from '../rating/tournament-fits.ts';

/** A horizontal line at a player's Elo: perfect play, the benchmark, another reference player. */
export type Level = ReferencePlayer;

export interface GameFigureInput {
  game: string;
  fits: ScalingLawFits;
  /** Every agent at every rated checkpoint. */
  points: TrainingPoint[];
  /** Rating method of every Elo drawn, for axis titles. */
  eloMethod: string;
  /** Horizontal reference levels (perfect play / benchmark, other reference players). */
  levels: Level[];
}

/** The perfect-play plateau the fits left out (Connect Four's solver), if any. */
export function plateauLevel(fits: ScalingLawFits): Level | undefined {
  const rule = fits.sizeScaling.plateauRule;
  if (rule.kind === 'none') return undefined;
  return { name: 'perfect play', elo: rule.plateauElo };
}

/** Plateau first, then references not already drawn at (nearly) the same Elo. */
export function referenceLevels(fits: ScalingLawFits, references: readonly Level[]): Level[] {
  const levels: Level[] = [];
  const plateau = plateauLevel(fits);
  if (plateau) levels.push(plateau);
  for (const r of [...references].sort((a, b) => b.elo - a.elo || a.name.localeCompare(b.name))) {
    if (!levels.some((l) => Math.abs(l.elo - r.elo) < 1e-6)) levels.push(r);
  }
  return levels;
}
