// All shard results of a game → one rating fit in which every (agent, checkpoint) and every
// reference player is its own player: a Bradley–Terry table (the plain model the paper's
// numbers are compared against) and a BayesElo table (what the paper reported), both with
// bootstrap intervals and both with the uniform random player at 0.

import type { PairResult, TournamentShard } from '../../schemas/types/tournament-shard.ts';
import { bayesEloTable, bradleyTerryTable, type RatingTable } from './rating-table.ts';
import { bootstrapBayesElo, fitBayesElo } from './bayeselo.ts';
import { bootstrapElo } from './bootstrap.ts';
import { fitBradleyTerry, type BradleyTerryFit } from './bradley-terry.ts';
import { UnfittableRatingsError } from './comparison-graph.ts';
import { matchResultsFromRecords, type MatchResults } from './match-results.ts';
import { comparePlayers } from './pairings.ts';
import { RANDOM_PLAYER } from './players/random.ts';

export interface RatingOptions {
  bootstrapResamples: number;
  level: number;
  /** Bradley–Terry: draws added to each ordered pair that played (0 = plain MLE). */
  virtualDraws: number;
  seed: number;
  /** Player at Elo 0 (default the random player; the weakest when absent). */
  anchor?: string;
}

/** One results table from many shards; an ordered pair seen in several shards is summed. Players in plan order. */
export function resultsFromShards(shards: readonly TournamentShard[]): MatchResults {
  const games = new Set(shards.map((s) => s.game));
  if (games.size > 1) throw new Error(`ratings: shards of several games (${[...games].join(', ')}); rate one game at a time`);
  const byPair = new Map<string, PairResult>();
  for (const shard of shards) {
    for (const r of shard.results) {
      const key = JSON.stringify([r.first, r.second]);
      const seen = byPair.get(key);
      if (seen) {
        seen.wins += r.wins;
        seen.draws += r.draws;
        seen.losses += r.losses;
      } else byPair.set(key, { ...r });
    }
  }
  const records = [...byPair.values()];
  const players = [...new Set(records.flatMap((r) => [r.first, r.second]))].sort(comparePlayers);
  return matchResultsFromRecords(records, players);
}

/** The same results with `draws` more draws in every ordered pair that played. */
export function withVirtualDraws(results: MatchResults, draws: number): MatchResults {
  if (draws === 0) return results;
  const extra = results.draws.map((d, k) => (results.wins[k]! + d + results.losses[k]! > 0 ? d + draws : d));
  return { ...results, draws: extra };
}

export function rateTournament(results: MatchResults, options: RatingOptions): { bradleyTerry: RatingTable; bayesElo: RatingTable } {
  const anchor = options.anchor ?? RANDOM_PLAYER;
  const bootstrap = { resamples: options.bootstrapResamples, seed: options.seed, level: options.level };

  const btFit = fitOrExplain(() => fitBradleyTerry(withVirtualDraws(results, options.virtualDraws), { anchor }), options.virtualDraws);
  // Real games are resampled; the virtual draws are added to every resample, as to the fit.
  const btIntervals = bootstrapElo(
    results,
    (resampled) => fitBradleyTerry(withVirtualDraws(resampled, options.virtualDraws), { anchor: btFit.anchor.player }).elo,
    bootstrap,
  );
  const bradleyTerry = bradleyTerryTable(results, btFit, btIntervals);

  const beFit = fitBayesElo(results, { anchor });
  const beIntervals = bootstrapBayesElo(results, beFit, bootstrap);
  const bayesElo = bayesEloTable(results, beFit, { rounded: false, anchor }, beIntervals);
  return { bradleyTerry, bayesElo };
}

/** Plain Bradley–Terry has no finite Elo for an undefeated or winless player: say which param fixes that. */
function fitOrExplain(fit: () => BradleyTerryFit, virtualDraws: number): BradleyTerryFit {
  try {
    return fit();
  } catch (e) {
    if (e instanceof UnfittableRatingsError && virtualDraws === 0) {
      throw new UnfittableRatingsError(`${e.message}; or set params.json ratings.virtualDraws to 1 or more`, e.players);
    }
    throw e;
  }
}
