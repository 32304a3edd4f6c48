// Seeded synthetic tournaments from known Elo, for checking that the fits recover them.
import { Rng } from '../../src/engine/rng.ts';
import { sampleBinomial } from '../../src/rating/binomial.ts';
import { bayesEloOutcomeProbabilities } from '../../src/rating/bayeselo.ts';
import { expectedScore } from '../../src/rating/elo.ts';
import { matchResultsFromRecords, type MatchResults, type PairRecord } from '../../src/rating/match-results.ts';

export interface SyntheticTournament {
  results: MatchResults;
  trueElo: Map<string, number>;
}

/**
 * Every pair plays `gamesPerPair` games (half with each player first). Outcomes follow
 * plain Bradley–Terry: P(first mover scores) = expectedScore(Δ); a `drawRate` share of the
 * games are draws, the rest decisive with P(win) chosen so the expected score stays the BT one.
 */
export function roundRobinBradleyTerry(
  elos: readonly number[],
  gamesPerPair: number,
  seed: number,
  drawRate = 0,
  pairFilter: (i: number, j: number) => boolean = () => true,
): SyntheticTournament {
  const rng = new Rng(seed, 'synthetic-bt');
  const names = elos.map((_, i) => (i === 0 ? 'random' : `p${i}`));
  const records: PairRecord[] = [];
  for (let i = 0; i < elos.length; i++) {
    for (let j = i + 1; j < elos.length; j++) {
      if (!pairFilter(i, j)) continue;
      for (const [first, second] of [[i, j], [j, i]] as const) {
        const games = gamesPerPair / 2;
        const score = expectedScore(elos[first]! - elos[second]!);
        // Draws at most what the score allows: d/2 ≤ min(score, 1 − score).
        const draw = Math.min(drawRate, 2 * Math.min(score, 1 - score));
        const win = score - draw / 2;
        const wins = sampleBinomial(rng, games, win);
        const draws = sampleBinomial(rng, games - wins, draw / (1 - win));
        records.push({ first: names[first]!, second: names[second]!, wins, draws, losses: games - wins - draws });
      }
    }
  }
  return { results: matchResultsFromRecords(records, names), trueElo: new Map(names.map((n, i) => [n, elos[i]!])) };
}

/** Every pair plays `gamesPerSide` games with each player first, under the bayeselo model. */
export function roundRobinBayesElo(
  elos: readonly number[],
  gamesPerSide: number,
  seed: number,
  eloAdvantage: number,
  eloDraw: number,
): SyntheticTournament {
  const rng = new Rng(seed, 'synthetic-bayeselo');
  const names = elos.map((_, i) => `p${i}`);
  const records: PairRecord[] = [];
  for (let i = 0; i < elos.length; i++) {
    for (let j = 0; j < elos.length; j++) {
      if (i === j) continue;
      const p = bayesEloOutcomeProbabilities(elos[i]!, elos[j]!, eloAdvantage, eloDraw);
      const wins = sampleBinomial(rng, gamesPerSide, p.win);
      const draws = sampleBinomial(rng, gamesPerSide - wins, p.draw / (1 - p.win));
      records.push({ first: names[i]!, second: names[j]!, wins, draws, losses: gamesPerSide - wins - draws });
    }
  }
  return { results: matchResultsFromRecords(records, names), trueElo: new Map(names.map((n, i) => [n, elos[i]!])) };
}
