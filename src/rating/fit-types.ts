// The JSON-able shapes of the scaling-law fits come from schemas/fit-scaling-laws.schema.json:
// `npm run gen:types` generates them into schemas/types/fit-scaling-laws.ts and they are
// re-exported here under the schema's $defs names, so they are written once, in the schema.
// The schema test validates real fit output against it. Only the fits' inputs (SizePoint,
// TrainingPoint), which no artifact stores, are written here.
//
// PlateauRule: which points count as "on the perfect-play plateau" and are left out of fits.
// - none: keep every point.
// - within: drop every point whose Elo ≥ plateauElo − margin.
// - not-significantly-below: going from the largest size down, drop each size whose mean Elo
//   over its copies is not significantly below plateauElo (one-sided t-test at `level`);
//   stop at the first size that is. A size with one copy counts as below iff its Elo is.
export type {
  CheckpointSlope,
  CheckpointSlopes,
  ComputeFrontierFit,
  ExcludedPoint,
  FitAxes,
  FitPoint,
  Interval,
  LinearFit,
  NoPlateau,
  OptimalSizeFit,
  PlateauMargin,
  PlateauRule,
  PlateauTest,
  PredictedExponent,
  ScalingLawFits,
  SizeScalingFit,
  SkippedCheckpoint,
  UnfittedComputeFrontier,
} from '../../schemas/types/fit-scaling-laws.ts';

/** An agent's Elo and size: one copy (seed) at one checkpoint. */
export interface SizePoint {
  id: string;
  parameters: number;
  elo: number;
}

/** One agent at one checkpoint of training, with the compute spent to get there. */
export interface TrainingPoint extends SizePoint {
  /** The run it belongs to (one size, one copy); all its checkpoints share it. */
  agent: string;
  step: number;
  /** Training FLOPs up to this checkpoint. */
  compute: number;
}
