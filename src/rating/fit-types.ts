// Plain JSON-able shapes shared by the scaling-law fits. They mirror the $defs of
// schemas/fit-scaling-laws.schema.json (same names); the schema test validates real fit
// output against it, so the two cannot drift apart unnoticed.
import type { Interval, LinearFit } from './linear-fit.ts';

export type { Interval, LinearFit };

/** One observation as it entered a fit: x and y on the fit's axes (see `axes`). */
export interface FitPoint {
  id: string;
  x: number;
  y: number;
}

/** A point left out of a fit, and why. */
export interface ExcludedPoint extends FitPoint {
  reason: string;
}

/** What the fit's x and y are, e.g. { x: 'log10 parameters', y: 'Elo' }. */
export interface FitAxes {
  x: string;
  y: string;
}

/**
 * Which points count as "on the perfect-play plateau" and are left out of power-law fits.
 * - none: keep every point.
 * - within: drop every point whose Elo ≥ plateauElo − margin.
 * - not-significantly-below: going from the largest size down, drop each size whose mean Elo
 *   over its copies is not significantly below plateauElo (one-sided t-test at `level`);
 *   stop at the first size that is. A size with one copy counts as below iff its Elo is.
 */
export type PlateauRule =
  | { kind: 'none' }
  | { kind: 'within'; plateauElo: number; margin: number }
  | { kind: 'not-significantly-below'; plateauElo: number; level: number };

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
