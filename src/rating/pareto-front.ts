// The compute-efficient frontier (the paper's Figure 4): among all (agent, checkpoint) points,
// those no other point beats on both axes, i.e. with no other point of ≤ compute and ≥ Elo.
// Along it γ ∝ C^α_C, so α_C is the slope of Elo against log10 C on the front, divided by
// 400, fitted below the plateau only.
import type { ComputeFrontierFit, FitAxes, FitPoint, PlateauRule, TrainingPoint, UnfittedComputeFrontier } from './fit-types.ts';
import { fitEloPowerLaw } from './elo-power-law.ts';
import { splitByPlateau } from './plateau.ts';

export type { ComputeFrontierFit, UnfittedComputeFrontier } from './fit-types.ts';

/** Whether α_C was fitted (or the front was too short: see `unfitted`). */
export function isFittedFrontier(c: ComputeFrontierFit | UnfittedComputeFrontier): c is ComputeFrontierFit {
  return !('unfitted' in c);
}

/**
 * Points not dominated by any other point, in increasing compute (and so increasing Elo).
 * Exact duplicates of a front point (same compute and Elo) are dominated by it: one is kept.
 */
export function paretoFront<T extends { compute: number; elo: number }>(points: readonly T[]): T[] {
  const sorted = [...points].sort((p, q) => p.compute - q.compute || q.elo - p.elo);
  const front: T[] = [];
  let best = -Infinity;
  for (const p of sorted) {
    if (p.elo > best) {
      front.push(p);
      best = p.elo;
    }
  }
  return front;
}

export interface FrontierOptions {
  /** Only `none` and `within` apply to single points on the front. Default none. */
  plateau?: PlateauRule;
  level?: number;
}

/** A slope with a confidence interval needs one degree of freedom beyond the line's two. */
const MIN_FRONT_POINTS = 3;

export const COMPUTE_AXES: FitAxes = { x: 'log10 training FLOPs', y: 'Elo' };

/**
 * α_C on the Pareto front: Elo against log10 C over the front points below the plateau.
 * Fewer than 3 such points give the front with the reason instead of a fit: with Elos that
 * are mostly noise (agents early in training, or a smoke-test profile) the front is a run of
 * records of a random sequence, and 2 or fewer is a likely outcome, not a broken input.
 */
export function fitComputeFrontier(
  points: readonly TrainingPoint[],
  options: FrontierOptions = {},
): ComputeFrontierFit | UnfittedComputeFrontier {
  const plateauRule = options.plateau ?? { kind: 'none' };
  if (plateauRule.kind === 'not-significantly-below') {
    throw new Error("fitComputeFrontier: the 'not-significantly-below' rule tests sizes over copies; use 'within' for front points");
  }
  for (const p of points) {
    if (!(p.compute > 0)) throw new Error(`fitComputeFrontier: point '${p.id}' has compute = ${p.compute}; must be > 0`);
  }
  const front = paretoFront(points);
  const { kept, excluded } = splitByPlateau(front, plateauRule);
  const toFitPoint = (p: TrainingPoint): FitPoint => ({ id: p.id, x: Math.log10(p.compute), y: p.elo });
  const pointsUsed = kept.map(toFitPoint);
  const pointsExcluded = excluded.map(({ point, reason }) => ({ ...toFitPoint(point), reason }));
  if (pointsUsed.length < MIN_FRONT_POINTS) {
    return {
      unfitted: `${frontSize(front.length, pointsUsed.length)}; α_C needs at least ${MIN_FRONT_POINTS} below the plateau`,
      axes: COMPUTE_AXES,
      plateauRule,
      front: front.map(toFitPoint),
      pointsExcluded,
    };
  }
  return {
    ...fitEloPowerLaw(pointsUsed, options.level),
    axes: COMPUTE_AXES,
    plateauRule,
    front: front.map(toFitPoint),
    pointsUsed,
    pointsExcluded,
  };
}

/** "the Pareto front has only 2 points", or with plateau points "… has 5 points, 2 below the plateau". */
function frontSize(points: number, belowPlateau: number): string {
  const count = (n: number) => (n === 1 ? '1 point' : `${n} points`);
  if (belowPlateau === points) return `the Pareto front has only ${count(points)}`;
  return `the Pareto front has ${count(points)}, ${belowPlateau} below the plateau`;
}
