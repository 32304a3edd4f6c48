// The compute-optimal size (the paper's Figure 1): for a training budget C, the size whose
// agent reaches the highest Elo with at most C FLOPs, and the power law N_opt ∝ C^b fitted
// to it, to be compared with b = α_C/α_N implied by the two other laws.
//
// Each size's learning curve is the mean Elo over its copies at each checkpoint (copies of one
// size spend the same compute per step), interpolated linearly in log10 C between
// checkpoints. A size is a candidate for budget C once its first checkpoint costs ≤ C; past
// its last checkpoint it keeps its final Elo (its run stopped there). Budgets whose best Elo is
// on the plateau are left out: there every size that reached it is "optimal".
import type { ExcludedPoint, FitAxes, FitPoint, Interval, OptimalSizeFit, PlateauRule, TrainingPoint } from './fit-types.ts';
import { fitLine } from './linear-fit.ts';

export type { OptimalSizeFit, PredictedExponent } from './fit-types.ts';

export interface OptimalSizeOptions {
  /** Compute budgets to evaluate; default a log-spaced grid over the range where ≥ 2 sizes exist. */
  budgets?: readonly number[];
  /** Density of the default grid. Default 10 budgets per decade. */
  budgetsPerDecade?: number;
  /** `none` or `within` (budgets whose best Elo is ≥ plateauElo − margin are excluded). Default none. */
  plateau?: PlateauRule;
  level?: number;
  /** α_N and α_C fits (or just their values and intervals) to compare b with α_C/α_N. */
  alphaN?: { alpha: number; alphaInterval: Interval };
  alphaC?: { alpha: number; alphaInterval: Interval };
}

export const OPTIMAL_SIZE_AXES: FitAxes = { x: 'log10 training FLOPs', y: 'log10 parameters' };

interface LearningCurve {
  parameters: number;
  logCompute: number[];
  elo: number[];
}

function learningCurves(points: readonly TrainingPoint[]): LearningCurve[] {
  const bySize = new Map<number, Map<number, { compute: number; elo: number; n: number }>>();
  for (const p of points) {
    if (!(p.compute > 0)) throw new Error(`fitOptimalSize: point '${p.id}' has compute = ${p.compute}; must be > 0`);
    let steps = bySize.get(p.parameters);
    if (!steps) bySize.set(p.parameters, (steps = new Map()));
    const cell = steps.get(p.step) ?? { compute: 0, elo: 0, n: 0 };
    cell.compute += p.compute;
    cell.elo += p.elo;
    cell.n++;
    steps.set(p.step, cell);
  }
  return [...bySize.entries()]
    .sort(([x], [y]) => x - y)
    .map(([parameters, steps]) => {
      const cells = [...steps.values()].map((c) => ({ logCompute: Math.log10(c.compute / c.n), elo: c.elo / c.n }));
      cells.sort((x, y) => x.logCompute - y.logCompute);
      return { parameters, logCompute: cells.map((c) => c.logCompute), elo: cells.map((c) => c.elo) };
    });
}

/** Elo of a size at a budget, or undefined before its first checkpoint. */
function eloAtBudget(curve: LearningCurve, logBudget: number): number | undefined {
  const xs = curve.logCompute;
  if (logBudget < xs[0]!) return undefined;
  if (logBudget >= xs[xs.length - 1]!) return curve.elo[xs.length - 1]!;
  let hi = 1;
  while (xs[hi]! < logBudget) hi++;
  const lo = hi - 1;
  const t = (logBudget - xs[lo]!) / (xs[hi]! - xs[lo]!);
  return curve.elo[lo]! + t * (curve.elo[hi]! - curve.elo[lo]!);
}

function defaultBudgets(curves: LearningCurve[], perDecade: number): number[] {
  const starts = curves.map((c) => c.logCompute[0]!).sort((x, y) => x - y);
  const from = starts[1]!; // the second size's first checkpoint: from here ≥ 2 sizes compete
  const to = Math.max(...curves.map((c) => c.logCompute[c.logCompute.length - 1]!));
  const budgets: number[] = [];
  const steps = Math.max(1, Math.ceil((to - from) * perDecade));
  for (let i = 0; i <= steps; i++) budgets.push(Math.pow(10, from + ((to - from) * i) / steps));
  return budgets;
}

export function fitOptimalSize(points: readonly TrainingPoint[], options: OptimalSizeOptions = {}): OptimalSizeFit {
  const plateauRule = options.plateau ?? { kind: 'none' };
  if (plateauRule.kind === 'not-significantly-below') {
    throw new Error("fitOptimalSize: use the 'within' plateau rule (a budget's best Elo is a single value)");
  }
  const curves = learningCurves(points);
  if (curves.length < 2) throw new Error(`fitOptimalSize: need at least 2 sizes, got ${curves.length}`);
  const budgets = options.budgets ?? defaultBudgets(curves, options.budgetsPerDecade ?? 10);
  const pointsUsed: FitPoint[] = [];
  const pointsExcluded: ExcludedPoint[] = [];
  const unreachableBudgets: number[] = [];
  for (const budget of budgets) {
    const logBudget = Math.log10(budget);
    let best: { parameters: number; elo: number } | undefined;
    let candidates = 0;
    for (const curve of curves) {
      const elo = eloAtBudget(curve, logBudget);
      if (elo === undefined) continue;
      candidates++;
      if (!best || elo > best.elo) best = { parameters: curve.parameters, elo }; // ties keep the smaller size
    }
    const id = `C=${budget.toExponential(3)}`;
    if (!best) {
      unreachableBudgets.push(logBudget);
      continue;
    }
    const point = { id, x: logBudget, y: Math.log10(best.parameters) };
    if (candidates < 2) pointsExcluded.push({ ...point, reason: 'only one size has a checkpoint within this budget' });
    else if (plateauRule.kind === 'within' && best.elo >= plateauRule.plateauElo - plateauRule.margin) {
      pointsExcluded.push({ ...point, reason: `best Elo ${Math.round(best.elo)} is on the plateau` });
    } else pointsUsed.push(point);
  }
  if (pointsUsed.length < 3) throw new Error(`fitOptimalSize: only ${pointsUsed.length} budgets usable; need at least 3`);
  const line = fitLine(
    pointsUsed.map((p) => p.x),
    pointsUsed.map((p) => p.y),
    options.level,
  );
  const fit: OptimalSizeFit = {
    exponent: line.slope,
    exponentInterval: line.slopeInterval,
    line,
    axes: OPTIMAL_SIZE_AXES,
    plateauRule,
    pointsUsed,
    pointsExcluded,
    unreachableBudgets,
  };
  if (options.alphaC && options.alphaN) {
    const { alphaC, alphaN } = options;
    const ratios = [
      alphaC.alphaInterval.lower / alphaN.alphaInterval.upper,
      alphaC.alphaInterval.upper / alphaN.alphaInterval.lower,
    ];
    fit.predicted = {
      exponent: alphaC.alpha / alphaN.alpha,
      interval: { lower: Math.min(...ratios), upper: Math.max(...ratios) },
      alphaC: alphaC.alpha,
      alphaN: alphaN.alpha,
    };
  }
  return fit;
}
