/* Generated from schemas/report-figures.schema.json by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * The data behind one figure of the report (<game>-fig<N>.data.json in the output of the figures stage): every number the figure draws, in natural units (FLOPs, parameters, Elo). repro verify compares these with a tolerance.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "ReportFigureData".
 */
export type ReportFigureData =
  OptimalSizeFigure | SizeScalingFigure | CheckpointFigure | ComputeFigure | SampleEfficiencyFigure;

/**
 * The data behind every figure of the report in one file (the figures stage's optional second output, e.g. artifacts/figures.data.json), keyed by figure name <game>-fig<N>; each value is what <game>-fig<N>.data.json holds. This is the file to verify with a tolerance. Its $defs are those of report-figure-data.schema.json.
 */
export interface ReportFigures {
  /**
   * Figure data by figure name.
   */
  figures: {
    [k: string]: ReportFigureData;
  };
}
/**
 * Figure 1: compute-optimal size against training compute, log-log, with the fitted law and AlphaGo Zero / AlphaZero.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "OptimalSizeFigure".
 */
export interface OptimalSizeFigure {
  /**
   * Game, e.g. connect4.
   */
  game: string;
  /**
   * Figure number (optimal size vs compute).
   */
  figure: 1;
  /**
   * Figure title.
   */
  title: string;
  /**
   * What the figure shows and how to read it.
   */
  caption: string;
  /**
   * Every evaluated budget.
   */
  budgets: Budget[];
  fit: LawFit;
  /**
   * alpha_C / alpha_N, when both fits exist.
   */
  predictedExponent?: number;
  /**
   * The paper's exponent (0.63).
   */
  paperExponent: number;
  /**
   * The fitted law over the budgets' range.
   */
  line: ComputeSize[];
  /**
   * The fitted law extended to the reference models' compute.
   */
  extrapolation: ComputeSize[];
  /**
   * Published models.
   */
  references: ReferenceModel[];
}
/**
 * One compute budget and the size that reached the best Elo within it.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "Budget".
 */
export interface Budget {
  /**
   * Budget id from the fit.
   */
  id: string;
  /**
   * Training FLOPs of the budget.
   */
  compute: number;
  /**
   * Compute-optimal parameters.
   */
  parameters: number;
  /**
   * Whether the budget entered the fit.
   */
  used: boolean;
  /**
   * Why it was left out.
   */
  reason?: string;
}
/**
 * A fitted straight line on the figure's log axes, as the fit reported it. exponent: the law's exponent (alpha = slope/400 for Elo laws; b for log10 N_opt = a + b log10 C).
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "LawFit".
 */
export interface LawFit {
  /**
   * The law's exponent.
   */
  exponent: number;
  exponentInterval: Interval;
  /**
   * Slope of the fitted line (Elo per decade for Elo laws).
   */
  slope: number;
  /**
   * Intercept of the fitted line (at log10 x = 0).
   */
  intercept: number;
  /**
   * Coefficient of determination.
   */
  rSquared: number;
  /**
   * Two-sided confidence level of the interval.
   */
  level: number;
  /**
   * Points fitted.
   */
  pointCount: number;
}
/**
 * A two-sided confidence interval.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
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
 * A point of the optimal-size law.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "ComputeSize".
 */
export interface ComputeSize {
  /**
   * Training FLOPs.
   */
  compute: number;
  /**
   * Parameters.
   */
  parameters: number;
}
/**
 * A published AlphaZero-family model placed on Figure 1, with the study's compute definition applied to its paper's numbers.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "ReferenceModel".
 */
export interface ReferenceModel {
  /**
   * Model name.
   */
  name: string;
  /**
   * Parameter count.
   */
  parameters: number;
  /**
   * Training compute C = S*T*F*D in FLOPs.
   */
  compute: number;
  /**
   * Parameters the fitted law gives as optimal at that compute.
   */
  lawParameters: number;
  /**
   * Where the numbers come from and how they were estimated.
   */
  source: string;
}
/**
 * Figure 2: Elo of fully trained agents against parameters.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "SizeScalingFigure".
 */
export interface SizeScalingFigure {
  /**
   * Game, e.g. connect4.
   */
  game: string;
  /**
   * Figure number (Elo vs parameters, fully trained).
   */
  figure: 2;
  /**
   * Figure title.
   */
  title: string;
  /**
   * What the figure shows and how to read it.
   */
  caption: string;
  /**
   * Rating method of the Elo values.
   */
  eloMethod: string;
  /**
   * Every copy at its last checkpoint.
   */
  copies: Copy[];
  /**
   * Mean per size.
   */
  means: SizeMean[];
  fit: LawFit;
  /**
   * The fitted law over the sizes' range.
   */
  line: SizeElo[];
  /**
   * Perfect play / benchmark and other reference levels.
   */
  levels: Level[];
}
/**
 * One fully trained agent (one copy of one size).
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "Copy".
 */
export interface Copy {
  /**
   * Player id.
   */
  id: string;
  /**
   * Parameters.
   */
  parameters: number;
  /**
   * Elo.
   */
  elo: number;
  /**
   * Whether it entered the alpha_N fit.
   */
  used: boolean;
  /**
   * Why it was left out.
   */
  reason?: string;
}
/**
 * Mean Elo over the copies of one size.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "SizeMean".
 */
export interface SizeMean {
  /**
   * Parameters.
   */
  parameters: number;
  /**
   * Mean Elo.
   */
  elo: number;
  /**
   * Copies averaged.
   */
  copies: number;
}
/**
 * A point of an Elo-vs-size line.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "SizeElo".
 */
export interface SizeElo {
  /**
   * Parameters.
   */
  parameters: number;
  /**
   * Elo.
   */
  elo: number;
}
/**
 * A horizontal reference level: perfect play, the benchmark player, or another rated reference player.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "Level".
 */
export interface Level {
  /**
   * What the level is.
   */
  name: string;
  /**
   * Its Elo.
   */
  elo: number;
}
/**
 * Figure 3: Elo against parameters at each checkpoint, one curve per checkpoint.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "CheckpointFigure".
 */
export interface CheckpointFigure {
  /**
   * Game, e.g. connect4.
   */
  game: string;
  /**
   * Figure number (Elo vs parameters per checkpoint).
   */
  figure: 3;
  /**
   * Figure title.
   */
  title: string;
  /**
   * What the figure shows and how to read it.
   */
  caption: string;
  /**
   * Rating method of the Elo values.
   */
  eloMethod: string;
  /**
   * Mean Elo per size and checkpoint.
   */
  points: CheckpointMean[];
  /**
   * Slope per checkpoint.
   */
  fits: CheckpointFit[];
  /**
   * Checkpoints without a slope.
   */
  skipped: SkippedStep[];
}
/**
 * Mean Elo over copies of one size at one checkpoint.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "CheckpointMean".
 */
export interface CheckpointMean {
  /**
   * Training step.
   */
  step: number;
  /**
   * Parameters.
   */
  parameters: number;
  /**
   * Mean Elo.
   */
  elo: number;
  /**
   * Copies averaged.
   */
  copies: number;
}
/**
 * The slope of Elo against log10 N at one checkpoint.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "CheckpointFit".
 */
export interface CheckpointFit {
  /**
   * Training step.
   */
  step: number;
  /**
   * Exponent alpha = slope/400.
   */
  alpha: number;
  /**
   * Elo per decade of parameters.
   */
  eloPerDecade: number;
  /**
   * Intercept.
   */
  intercept: number;
  /**
   * Coefficient of determination.
   */
  rSquared: number;
}
/**
 * A checkpoint without a slope.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "SkippedStep".
 */
export interface SkippedStep {
  /**
   * Training step.
   */
  step: number;
  /**
   * Why.
   */
  reason: string;
}
/**
 * Figure 4: Elo against training compute for every agent and checkpoint, with the Pareto front and its fit (fit and line absent when alpha_C could not be fitted; the caption says why).
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "ComputeFigure".
 */
export interface ComputeFigure {
  /**
   * Game, e.g. connect4.
   */
  game: string;
  /**
   * Figure number (Elo vs training compute).
   */
  figure: 4;
  /**
   * Figure title.
   */
  title: string;
  /**
   * What the figure shows and how to read it.
   */
  caption: string;
  /**
   * Rating method of the Elo values.
   */
  eloMethod: string;
  /**
   * Every agent at every checkpoint.
   */
  points: AgentPoint[];
  /**
   * The Pareto front in increasing compute.
   */
  front: FrontPoint[];
  fit?: LawFit;
  /**
   * The fitted law over the front's range.
   */
  line?: ComputeElo[];
  /**
   * Perfect play / benchmark and other reference levels.
   */
  levels: Level[];
}
/**
 * One agent at one checkpoint.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "AgentPoint".
 */
export interface AgentPoint {
  /**
   * Player id.
   */
  id: string;
  /**
   * Agent (size and copy).
   */
  agent: string;
  /**
   * Parameters.
   */
  parameters: number;
  /**
   * Training step.
   */
  step: number;
  /**
   * Training FLOPs so far.
   */
  compute: number;
  /**
   * Elo.
   */
  elo: number;
}
/**
 * A point of the Pareto front of Elo against compute.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "FrontPoint".
 */
export interface FrontPoint {
  /**
   * Player id.
   */
  id: string;
  /**
   * Training FLOPs.
   */
  compute: number;
  /**
   * Elo.
   */
  elo: number;
  /**
   * Below the plateau: it entered the alpha_C fit (or would have, when the front was too short to fit).
   */
  used: boolean;
}
/**
 * A point of an Elo-vs-compute line.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "ComputeElo".
 */
export interface ComputeElo {
  /**
   * Training FLOPs.
   */
  compute: number;
  /**
   * Elo.
   */
  elo: number;
}
/**
 * Figure 5: Elo against training steps per size (sample efficiency).
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "SampleEfficiencyFigure".
 */
export interface SampleEfficiencyFigure {
  /**
   * Game, e.g. connect4.
   */
  game: string;
  /**
   * Figure number (sample efficiency).
   */
  figure: 5;
  /**
   * Figure title.
   */
  title: string;
  /**
   * What the figure shows and how to read it.
   */
  caption: string;
  /**
   * Rating method of the Elo values.
   */
  eloMethod: string;
  /**
   * Mean, lowest and highest Elo over copies per size and checkpoint.
   */
  curves: CurvePoint[];
}
/**
 * One size at one checkpoint, over its copies.
 *
 * This interface was referenced by `ReportFigures`'s JSON-Schema
 * via the `definition` "CurvePoint".
 */
export interface CurvePoint {
  /**
   * Parameters.
   */
  parameters: number;
  /**
   * Training step.
   */
  step: number;
  /**
   * Mean Elo over copies.
   */
  elo: number;
  /**
   * Lowest copy Elo.
   */
  lower: number;
  /**
   * Highest copy Elo.
   */
  upper: number;
  /**
   * Copies.
   */
  copies: number;
}
