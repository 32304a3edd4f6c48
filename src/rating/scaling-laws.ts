// All scaling-law fits of one game from its rated (agent, checkpoint) points: the artifact
// `fits@game` writes, validated by schemas/fit-scaling-laws.schema.json.
import type { PlateauRule, ScalingLawFits, TrainingPoint } from './fit-types.ts';
import { fitComputeFrontier, isFittedFrontier } from './pareto-front.ts';
import { fitOptimalSize } from './optimal-size.ts';
import { fitCheckpointSlopes, fitSizeScaling } from './powerlaw.ts';

export type { ScalingLawFits } from './fit-types.ts';

export interface ScalingLawOptions {
  /** Rule for α_N and the per-checkpoint slopes (every copy a point). */
  sizePlateau: PlateauRule;
  /** Rule for single points: the front (α_C) and the optimal-size budgets; `none` or `within`. */
  pointPlateau: PlateauRule;
  level?: number;
  budgetsPerDecade?: number;
}

/** Fully trained agents: each agent's last checkpoint. */
export function finalCheckpoints(points: readonly TrainingPoint[]): TrainingPoint[] {
  const last = new Map<string, TrainingPoint>();
  for (const p of points) {
    const seen = last.get(p.agent);
    if (!seen || p.step > seen.step) last.set(p.agent, p);
  }
  return [...last.values()];
}

export function fitScalingLaws(game: string, points: readonly TrainingPoint[], options: ScalingLawOptions): ScalingLawFits {
  const level = options.level;
  const sizeScaling = fitSizeScaling(finalCheckpoints(points), { plateau: options.sizePlateau, level });
  const computeFrontier = fitComputeFrontier(points, { plateau: options.pointPlateau, level });
  const optimalSize = fitOptimalSize(points, {
    plateau: options.pointPlateau,
    level,
    budgetsPerDecade: options.budgetsPerDecade,
    alphaN: sizeScaling,
    alphaC: isFittedFrontier(computeFrontier) ? computeFrontier : undefined,
  });
  const checkpointSlopes = fitCheckpointSlopes(points, { plateau: options.sizePlateau, level });
  return { game, sizeScaling, computeFrontier, optimalSize, checkpointSlopes };
}
