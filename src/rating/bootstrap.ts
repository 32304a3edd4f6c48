// Bootstrap confidence intervals for Elo: resample the games within each ordered pair
// (multinomial over win/draw/loss with the observed frequencies, same number of games),
// refit, and take percentile intervals. Resampling within pairs keeps the tournament's
// design (who played whom, how often, in which order) fixed, as in the real study where the
// schedule is chosen, not random.
import { Rng } from '../engine/rng.ts';
import { sampleBinomial } from './binomial.ts';
import { UnfittableRatingsError } from './comparison-graph.ts';
import type { MatchResults } from './match-results.ts';

export interface BootstrapOptions {
  /** Number of resampled tournaments to fit. */
  resamples: number;
  /** Seed of the resampling stream (Rng from src/engine/rng.ts). */
  seed: number;
  /** Two-sided coverage of the percentile intervals. Default 0.95. */
  level?: number;
}

export interface BootstrapIntervals {
  resamples: number;
  seed: number;
  level: number;
  /**
   * Resamples whose fit failed (e.g. a player who won every resampled game has Elo +∞) and
   * that were left out; intervals come from the others. A large count means the intervals
   * of the players involved are too narrow.
   */
  failed: number;
  lower: Float64Array;
  upper: Float64Array;
  /** Standard deviation of the resampled Elo values. */
  standardError: Float64Array;
}

/** A tournament with the same pairs and game counts, games drawn from the observed frequencies. */
export function resampleGames(results: MatchResults, rng: Rng): MatchResults {
  const n = results.first.length;
  const wins = new Float64Array(n);
  const draws = new Float64Array(n);
  const losses = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const w = results.wins[k]!;
    const d = results.draws[k]!;
    const l = results.losses[k]!;
    const games = w + d + l;
    if (!Number.isInteger(w) || !Number.isInteger(d) || !Number.isInteger(l)) {
      throw new Error(`resampleGames: entry ${k} has fractional game counts; resample real games only`);
    }
    if (games === 0) continue;
    const sampledWins = sampleBinomial(rng, games, w / games);
    const sampledDraws = d + l === 0 ? 0 : sampleBinomial(rng, games - sampledWins, d / (d + l));
    wins[k] = sampledWins;
    draws[k] = sampledDraws;
    losses[k] = games - sampledWins - sampledDraws;
  }
  return { players: results.players, first: results.first, second: results.second, wins, draws, losses };
}

/**
 * Percentile bootstrap of any Elo fit. `fitElo` must return Elo on a fixed zero (pass the
 * anchor the full fit used) so that the spread is not the anchor's own noise; it may throw
 * UnfittableRatingsError for a degenerate resample, which is counted and skipped.
 */
export function bootstrapElo(
  results: MatchResults,
  fitElo: (resampled: MatchResults) => Float64Array,
  options: BootstrapOptions,
): BootstrapIntervals {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrap: level must be in (0, 1), got ${level}`);
  if (!Number.isInteger(options.resamples) || options.resamples < 2) {
    throw new RangeError(`bootstrap: resamples must be a whole number ≥ 2, got ${options.resamples}`);
  }
  const P = results.players.length;
  const rng = new Rng(options.seed, 'rating-bootstrap');
  const samples: Float64Array[] = [];
  let failed = 0;
  for (let r = 0; r < options.resamples; r++) {
    const resampled = resampleGames(results, rng);
    try {
      samples.push(fitElo(resampled));
    } catch (e) {
      if (!(e instanceof UnfittableRatingsError)) throw e;
      failed++;
    }
  }
  if (samples.length < 2) {
    throw new Error(`bootstrap: only ${samples.length} of ${options.resamples} resamples could be fitted`);
  }
  const lower = new Float64Array(P);
  const upper = new Float64Array(P);
  const standardError = new Float64Array(P);
  const column = new Float64Array(samples.length);
  for (let i = 0; i < P; i++) {
    let mean = 0;
    for (let s = 0; s < samples.length; s++) {
      column[s] = samples[s]![i]!;
      mean += column[s]!;
    }
    mean /= samples.length;
    let variance = 0;
    for (let s = 0; s < samples.length; s++) variance += (column[s]! - mean) ** 2;
    standardError[i] = Math.sqrt(variance / (samples.length - 1));
    column.sort();
    lower[i] = quantileOfSorted(column, (1 - level) / 2);
    upper[i] = quantileOfSorted(column, (1 + level) / 2);
  }
  return { resamples: options.resamples, seed: options.seed, level, failed, lower, upper, standardError };
}

/** Linear interpolation between order statistics (type 7, R's default). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
