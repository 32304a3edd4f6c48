/* Generated from schemas/fit-scaling-laws.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * Which points count as on the perfect-play plateau and are left out of fits.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "PlateauRule".
 */
export type PlateauRule = NoPlateau | PlateauMargin | PlateauTest;

/**
 * The scaling-law fits of one game (artifact of fits@game): alpha_N, alpha_C on the compute frontier, the compute-optimal size law and per-checkpoint slopes. Fields: sizeScaling: alpha_N of fully trained agents. computeFrontier: alpha_C on the Pareto front. optimalSize: N_opt against C. checkpointSlopes: Elo vs log10 N at each checkpoint.
 */
export interface ScalingLawFits {
  /**
   * Game the fits are for, e.g. connect4.
   */
  game: string;
  sizeScaling: SizeScalingFit;
  /**
   * alpha_C, or why it could not be fitted (too few front points below the plateau: a front of noisy Elos, as with agents that learned nothing yet, can be that short).
   */
  computeFrontier: ComputeFrontierFit | UnfittedComputeFrontier;
  optimalSize: OptimalSizeFit;
  checkpointSlopes: CheckpointSlopes;
}
/**
 * alpha_N: least-squares fit of Elo against log10 N, every copy a point; gamma = 10^(Elo/400) is proportional to N^alpha. Fields: alphaInterval: Confidence interval of alpha.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "SizeScalingFit".
 */
export interface SizeScalingFit {
  /**
   * Exponent alpha = slope / 400.
   */
  alpha: number;
  alphaInterval: Interval;
  /**
   * The slope: Elo per decade of parameters.
   */
  eloPerDecade: number;
  line: LinearFit;
  axes: FitAxes;
  plateauRule: PlateauRule;
  /**
   * Points fitted (x = log10 parameters, y = Elo).
   */
  pointsUsed: FitPoint[];
  /**
   * Points left out (on the plateau).
   */
  pointsExcluded: ExcludedPoint[];
}
/**
 * A two-sided confidence interval.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "Interval".
 */
export interface Interval {
  /**
   * Lower end.
   */
  lower: number;
  /**
   * Upper end.
   */
  upper: number;
}
/**
 * Ordinary least-squares line y = intercept + slope*x; intervals from Student's t with n-2 degrees of freedom. Fields: slopeInterval: Confidence interval of the slope at level.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "LinearFit".
 */
export interface LinearFit {
  /**
   * Fitted slope.
   */
  slope: number;
  /**
   * Fitted intercept.
   */
  intercept: number;
  /**
   * Standard error of the slope.
   */
  slopeStandardError: number;
  /**
   * Standard error of the intercept.
   */
  interceptStandardError: number;
  slopeInterval: Interval;
  /**
   * Two-sided confidence level.
   */
  level: number;
  /**
   * Coefficient of determination.
   */
  rSquared: number;
  /**
   * sqrt(residual sum of squares / (n-2)).
   */
  residualStandardDeviation: number;
  /**
   * Points fitted.
   */
  pointCount: number;
  /**
   * pointCount - 2.
   */
  degreesOfFreedom: number;
}
/**
 * What a fit's x and y are.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "FitAxes".
 */
export interface FitAxes {
  /**
   * e.g. 'log10 parameters'.
   */
  x: string;
  /**
   * e.g. 'Elo'.
   */
  y: string;
}
/**
 * Keep every point.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "NoPlateau".
 */
export interface NoPlateau {
  /**
   * Rule name.
   */
  kind: 'none';
}
/**
 * Drop every point whose Elo >= plateauElo - margin.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "PlateauMargin".
 */
export interface PlateauMargin {
  /**
   * Rule name.
   */
  kind: 'within';
  /**
   * Elo of perfect play (Connect Four) or of the benchmark player (Pentago).
   */
  plateauElo: number;
  /**
   * Elo below the plateau still counted as on it.
   */
  margin: number;
}
/**
 * From the largest size down, drop each size whose mean Elo over copies is not significantly below plateauElo (one-sided t-test); stop at the first size that is.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "PlateauTest".
 */
export interface PlateauTest {
  /**
   * Rule name.
   */
  kind: 'not-significantly-below';
  /**
   * Elo of perfect play or of the benchmark player.
   */
  plateauElo: number;
  /**
   * One-sided confidence level of the test.
   */
  level: number;
}
/**
 * One observation as it entered a fit, on the fit's axes.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "FitPoint".
 */
export interface FitPoint {
  /**
   * Which player or budget the point is.
   */
  id: string;
  /**
   * x on the fit's axes.
   */
  x: number;
  /**
   * y on the fit's axes.
   */
  y: number;
}
/**
 * A point left out of a fit, and why.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "ExcludedPoint".
 */
export interface ExcludedPoint {
  /**
   * Which player or budget the point is.
   */
  id: string;
  /**
   * x on the fit's axes.
   */
  x: number;
  /**
   * y on the fit's axes.
   */
  y: number;
  /**
   * Why it was left out (e.g. on the perfect-play plateau).
   */
  reason: string;
}
/**
 * alpha_C: fit of Elo against log10 training compute on the Pareto front of all (agent, checkpoint) points, below the plateau. Fields: alphaInterval: Confidence interval of alpha_C.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "ComputeFrontierFit".
 */
export interface ComputeFrontierFit {
  /**
   * Exponent alpha_C = slope / 400.
   */
  alpha: number;
  alphaInterval: Interval;
  /**
   * Elo per decade of training compute along the front.
   */
  eloPerDecade: number;
  line: LinearFit;
  axes: FitAxes;
  plateauRule: PlateauRule;
  /**
   * The whole Pareto front in increasing compute, plateau points included (x = log10 FLOPs, y = Elo).
   */
  front: FitPoint[];
  /**
   * Front points fitted.
   */
  pointsUsed: FitPoint[];
  /**
   * Front points left out (on the plateau).
   */
  pointsExcluded: ExcludedPoint[];
}
/**
 * The Pareto front when alpha_C cannot be fitted. Fields: unfitted: Why (e.g. fewer than 3 front points below the plateau).
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "UnfittedComputeFrontier".
 */
export interface UnfittedComputeFrontier {
  /**
   * Why alpha_C was not fitted.
   */
  unfitted: string;
  axes: FitAxes;
  plateauRule: PlateauRule;
  /**
   * The whole Pareto front in increasing compute, plateau points included (x = log10 FLOPs, y = Elo).
   */
  front: FitPoint[];
  /**
   * Front points left out (on the plateau).
   */
  pointsExcluded: ExcludedPoint[];
}
/**
 * Compute-optimal size: for each budget the size whose mean learning curve reaches the best Elo, and the fit log10 N_opt = a + b*log10 C. Fields: exponentInterval: Confidence interval of b. predicted: alpha_C/alpha_N, when both fits were available.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "OptimalSizeFit".
 */
export interface OptimalSizeFit {
  /**
   * b.
   */
  exponent: number;
  exponentInterval: Interval;
  line: LinearFit;
  axes: FitAxes;
  plateauRule: PlateauRule;
  /**
   * One point per budget (x = log10 FLOPs, y = log10 N_opt).
   */
  pointsUsed: FitPoint[];
  /**
   * Budgets left out (best Elo on the plateau, or only one size available).
   */
  pointsExcluded: ExcludedPoint[];
  /**
   * log10 C of budgets below every size's first checkpoint.
   */
  unreachableBudgets: number[];
  predicted?: PredictedExponent;
}
/**
 * The exponent alpha_C/alpha_N implied by the two other laws. Fields: interval: Extreme ratios of the two intervals' end points (conservative).
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "PredictedExponent".
 */
export interface PredictedExponent {
  /**
   * alpha_C / alpha_N.
   */
  exponent: number;
  interval: Interval;
  /**
   * alpha_C used.
   */
  alphaC: number;
  /**
   * alpha_N used.
   */
  alphaN: number;
}
/**
 * Per-checkpoint size slopes.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "CheckpointSlopes".
 */
export interface CheckpointSlopes {
  /**
   * One fit per checkpoint, in increasing step.
   */
  checkpoints: CheckpointSlope[];
  /**
   * Checkpoints with too few points or sizes.
   */
  skipped: SkippedCheckpoint[];
}
/**
 * Elo against log10 N at one training step (the paper's Figure 3).
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "CheckpointSlope".
 */
export interface CheckpointSlope {
  /**
   * Training step of the checkpoint.
   */
  step: number;
  fit: SizeScalingFit;
}
/**
 * A checkpoint without a slope.
 *
 * This interface was referenced by `ScalingLawFits`'s JSON-Schema
 * via the `definition` "SkippedCheckpoint".
 */
export interface SkippedCheckpoint {
  /**
   * Training step.
   */
  step: number;
  /**
   * Why no slope was fitted.
   */
  reason: string;
}
