// A power law in Elo: strength γ = 10^(Elo/400) ∝ X^α is the straight line
//   Elo = 400·α·log10 X + c,
// so α is the least-squares slope of Elo against log10 X divided by 400. α_N (X = parameters,
// powerlaw.ts) and α_C (X = training compute, pareto-front.ts) are both read this way.
import type { FitPoint, SizeScalingFit } from './fit-types.ts';
import { fitLine } from './linear-fit.ts';

/** The exponent, its interval and the line, from points with x = log10 X and y = Elo. */
export function fitEloPowerLaw(points: readonly FitPoint[], level?: number): Pick<SizeScalingFit, 'alpha' | 'alphaInterval' | 'eloPerDecade' | 'line'> {
  const line = fitLine(
    points.map((p) => p.x),
    points.map((p) => p.y),
    level,
  );
  return {
    alpha: line.slope / 400,
    alphaInterval: { lower: line.slopeInterval.lower / 400, upper: line.slopeInterval.upper / 400 },
    eloPerDecade: line.slope,
    line,
  };
}
