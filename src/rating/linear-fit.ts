// Ordinary least squares y = intercept + slope·x with the textbook uncertainty: standard
// errors from the residual variance, intervals from Student's t with n − 2 degrees of freedom.
import type { Interval, LinearFit } from './fit-types.ts';
import { studentTQuantile } from './student-t.ts';

// Both shapes come from schemas/fit-scaling-laws.schema.json (generated, see fit-types.ts).
export type { Interval, LinearFit };

/** Least-squares line through (x, y); needs at least 3 points and 2 distinct x for an interval. */
export function fitLine(x: readonly number[], y: readonly number[], level = 0.95): LinearFit {
  const n = x.length;
  if (y.length !== n) throw new Error(`fitLine: ${n} x values but ${y.length} y values`);
  if (n < 3) throw new Error(`fitLine: need at least 3 points for a slope with an interval, got ${n}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`fitLine: level must be in (0, 1), got ${level}`);
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i]! / n;
    meanY += y[i]! / n;
  }
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) throw new Error('fitLine: all x values are equal, so the slope is undetermined');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let ssResidual = 0;
  for (let i = 0; i < n; i++) ssResidual += (y[i]! - intercept - slope * x[i]!) ** 2;
  const degreesOfFreedom = n - 2;
  const residualVariance = ssResidual / degreesOfFreedom;
  const slopeStandardError = Math.sqrt(residualVariance / sxx);
  const interceptStandardError = Math.sqrt(residualVariance * (1 / n + (meanX * meanX) / sxx));
  const t = studentTQuantile((1 + level) / 2, degreesOfFreedom);
  return {
    slope,
    intercept,
    slopeStandardError,
    interceptStandardError,
    slopeInterval: { lower: slope - t * slopeStandardError, upper: slope + t * slopeStandardError },
    level,
    rSquared: syy > 0 ? 1 - ssResidual / syy : 1,
    residualStandardDeviation: Math.sqrt(residualVariance),
    pointCount: n,
    degreesOfFreedom,
  };
}
