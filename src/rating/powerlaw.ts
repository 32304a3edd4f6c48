// Power laws in Elo: γ = 10^(Elo/400) ∝ N^α, read off the line Elo = 400·α·log10 N + c
// (elo-power-law.ts; the paper's α_N ≈ 0.88 is ≈ 350 Elo per decade of parameters).
// This module holds the size fits: α_N for fully
// trained agents and the per-checkpoint slopes of the paper's Figure 3; the compute frontier
// (α_C) and the compute-optimal size live in pareto-front.ts and optimal-size.ts and are
// re-exported here.
import type {
  CheckpointSlope,
  CheckpointSlopes,
  FitAxes,
  FitPoint,
  PlateauRule,
  SizePoint,
  SizeScalingFit,
  SkippedCheckpoint,
  TrainingPoint,
} from './fit-types.ts';
import { fitEloPowerLaw } from './elo-power-law.ts';
import { splitByPlateau } from './plateau.ts';

export type {
  CheckpointSlope,
  CheckpointSlopes,
  ExcludedPoint,
  FitAxes,
  FitPoint,
  PlateauRule,
  SizePoint,
  SizeScalingFit,
  SkippedCheckpoint,
  TrainingPoint,
} from './fit-types.ts';
export { splitByPlateau } from './plateau.ts';
export {
  paretoFront,
  fitComputeFrontier,
  isFittedFrontier,
  type ComputeFrontierFit,
  type UnfittedComputeFrontier,
  type FrontierOptions,
} from './pareto-front.ts';
export { fitOptimalSize, type OptimalSizeFit, type OptimalSizeOptions } from './optimal-size.ts';

export interface PowerLawOptions {
  /** Default { kind: 'none' }. */
  plateau?: PlateauRule;
  /** Two-sided level of the intervals. Default 0.95. */
  level?: number;
}

export const SIZE_AXES: FitAxes = { x: 'log10 parameters', y: 'Elo' };

/** α_N: fits γ ∝ N^α over the given points (every copy a point), leaving out plateau points by `plateau`. */
export function fitSizeScaling(points: readonly SizePoint[], options: PowerLawOptions = {}): SizeScalingFit {
  const plateauRule = options.plateau ?? { kind: 'none' };
  for (const p of points) {
    if (!(p.parameters > 0)) throw new Error(`fitSizeScaling: point '${p.id}' has parameters = ${p.parameters}; must be > 0`);
    if (!Number.isFinite(p.elo)) throw new Error(`fitSizeScaling: point '${p.id}' has Elo = ${p.elo}`);
  }
  const { kept, excluded } = splitByPlateau(points, plateauRule);
  const pointsUsed = kept.map(toFitPoint);
  if (new Set(kept.map((p) => p.parameters)).size < 2) {
    throw new Error(
      `fitSizeScaling: fewer than 2 sizes left below the plateau (${kept.length} of ${points.length} points kept), so no slope can be fitted`,
    );
  }
  return {
    ...fitEloPowerLaw(pointsUsed, options.level),
    axes: SIZE_AXES,
    plateauRule,
    pointsUsed,
    pointsExcluded: excluded.map(({ point, reason }) => ({ ...toFitPoint(point), reason })),
  };
}

function toFitPoint(p: SizePoint): FitPoint {
  return { id: p.id, x: Math.log10(p.parameters), y: p.elo };
}

/** Fits Elo against log10 N separately at every training step present in `points`. */
export function fitCheckpointSlopes(points: readonly TrainingPoint[], options: PowerLawOptions = {}): CheckpointSlopes {
  const byStep = new Map<number, TrainingPoint[]>();
  for (const p of points) {
    const group = byStep.get(p.step);
    if (group) group.push(p);
    else byStep.set(p.step, [p]);
  }
  const checkpoints: CheckpointSlope[] = [];
  const skipped: SkippedCheckpoint[] = [];
  for (const step of [...byStep.keys()].sort((x, y) => x - y)) {
    try {
      checkpoints.push({ step, fit: fitSizeScaling(byStep.get(step)!, options) });
    } catch (e) {
      skipped.push({ step, reason: (e as Error).message });
    }
  }
  return { checkpoints, skipped };
}
