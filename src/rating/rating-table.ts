// A fit turned into the JSON artifact `elo@game` writes (schemas/rating-table.schema.json):
// one row per player with Elo, interval, games and score, plus how the fit was made.
import type { BayesEloFit } from './bayeselo.ts';
import type { BootstrapIntervals } from './bootstrap.ts';
import type { BradleyTerryFit } from './bradley-terry.ts';
import type { Interval } from './linear-fit.ts';
import type { MatchResults } from './match-results.ts';

/** Mirrors `RatedPlayer` in schemas/rating-table.schema.json. */
export interface RatedPlayer {
  name: string;
  elo: number;
  /** Bootstrap percentile interval, when bootstrapped. */
  eloInterval?: Interval;
  eloStandardError?: number;
  games: number;
  /** (wins + draws/2) / games. */
  score: number;
}

/** Mirrors `RatingTable` in schemas/rating-table.schema.json. */
export interface RatingTable {
  method: 'bradley-terry' | 'bayeselo';
  /** The player at Elo 0. */
  zeroPlayer: string;
  /** Why that player is at 0. */
  zeroRule: 'named anchor' | 'weakest player';
  players: RatedPlayer[];
  converged: boolean;
  iterations: number;
  bayesElo?: { eloAdvantage: number; eloDraw: number; prior: number; scale: number; rounded: boolean };
  bootstrap?: { resamples: number; seed: number; level: number; failed: number };
}

function gamesAndScores(results: MatchResults): { games: Float64Array; points: Float64Array } {
  const games = new Float64Array(results.players.length);
  const points = new Float64Array(results.players.length);
  for (let k = 0; k < results.first.length; k++) {
    const g = results.wins[k]! + results.draws[k]! + results.losses[k]!;
    const firstPoints = results.wins[k]! + results.draws[k]! / 2;
    games[results.first[k]!]! += g;
    games[results.second[k]!]! += g;
    points[results.first[k]!]! += firstPoints;
    points[results.second[k]!]! += g - firstPoints;
  }
  return { games, points };
}

function rows(results: MatchResults, elo: Float64Array, intervals?: BootstrapIntervals): RatedPlayer[] {
  const { games, points } = gamesAndScores(results);
  return results.players.map((name, i) => ({
    name,
    elo: elo[i]!,
    ...(intervals
      ? { eloInterval: { lower: intervals.lower[i]!, upper: intervals.upper[i]! }, eloStandardError: intervals.standardError[i]! }
      : {}),
    games: games[i]!,
    score: games[i]! > 0 ? points[i]! / games[i]! : 0,
  }));
}

function bootstrapSummary(intervals?: BootstrapIntervals): RatingTable['bootstrap'] {
  return intervals
    ? { resamples: intervals.resamples, seed: intervals.seed, level: intervals.level, failed: intervals.failed }
    : undefined;
}

export function bradleyTerryTable(results: MatchResults, fit: BradleyTerryFit, intervals?: BootstrapIntervals): RatingTable {
  const table: RatingTable = {
    method: 'bradley-terry',
    zeroPlayer: fit.anchor.player,
    zeroRule: fit.anchor.named ? 'named anchor' : 'weakest player',
    players: rows(results, fit.elo, intervals),
    converged: fit.converged,
    iterations: fit.iterations,
  };
  const bootstrap = bootstrapSummary(intervals);
  if (bootstrap) table.bootstrap = bootstrap;
  return table;
}

export function bayesEloTable(
  results: MatchResults,
  fit: BayesEloFit,
  options: { rounded: boolean; anchor?: string },
  intervals?: BootstrapIntervals,
): RatingTable {
  const table: RatingTable = {
    method: 'bayeselo',
    zeroPlayer: fit.zeroPlayer,
    zeroRule: options.anchor !== undefined && options.anchor === fit.zeroPlayer ? 'named anchor' : 'weakest player',
    players: rows(results, fit.elo, intervals),
    converged: fit.converged,
    iterations: fit.iterations,
    bayesElo: { eloAdvantage: fit.eloAdvantage, eloDraw: fit.eloDraw, prior: fit.prior, scale: fit.scale, rounded: options.rounded },
  };
  const bootstrap = bootstrapSummary(intervals);
  if (bootstrap) table.bootstrap = bootstrap;
  return table;
}
