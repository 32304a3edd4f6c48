import { describe, expect, it } from 'vitest';
import {
  BAYESELO_DEFAULTS,
  bayesEloOutcomeProbabilities,
  bayesEloScale,
  bootstrapBayesElo,
  fitBayesElo,
} from '../../src/rating/bayeselo.ts';
import { fitBradleyTerry } from '../../src/rating/bradley-terry.ts';
import { UnfittableRatingsError } from '../../src/rating/comparison-graph.ts';
import { matchResultsFromRecords, paperSyntheticGames } from '../../src/rating/match-results.ts';
import { roundRobinBayesElo } from './synthetic.ts';

const { eloAdvantage, eloDraw } = BAYESELO_DEFAULTS;
const thetaW = Math.pow(10, eloAdvantage / 400);
const thetaD = Math.pow(10, eloDraw / 400);

/** Maximises a concave function of one variable on [lo, hi] by golden-section search. */
function argmax(f: (x: number) => number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (f(a) < f(b)) lo = a;
    else hi = b;
  }
  return (lo + hi) / 2;
}

describe('the bayeselo model', () => {
  it('reports Elo scaled by ≈ 0.9255 for draw Elo 97.3', () => {
    // x = 10^(−97.3/400) = 0.57101; 4x/(1+x)² = 2.28404/2.46807 = 0.92544.
    expect(bayesEloScale(97.3)).toBeCloseTo(0.92550, 4);
    expect(bayesEloScale(0)).toBe(1);
  });

  it('outcome probabilities match the strength form and sum to 1', () => {
    const p = bayesEloOutcomeProbabilities(150, 20);
    const ga = Math.pow(10, 150 / 400);
    const gb = Math.pow(10, 20 / 400);
    expect(p.win).toBeCloseTo((thetaW * ga) / (thetaW * ga + thetaD * gb), 12);
    expect(p.loss).toBeCloseTo(gb / (thetaD * thetaW * ga + gb), 12);
    expect(p.win + p.draw + p.loss).toBeCloseTo(1, 12);
    expect(p.draw).toBeGreaterThan(0);
  });
});

describe('BayesElo fits by hand', () => {
  it('without prior: two players, decisive games with A always first, closed form', () => {
    // A (first) wins w = 3, loses l = 1. With r = γA/γB the likelihood is
    //   w·ln(θW r/(θW r + θD)) + l·ln(1/(θD θW r + 1)).
    // Setting its derivative to 0: w·θD/(r(θW r + θD)) = l·θD θW/(θD θW r + 1), i.e.
    //   l·θW²·r² + (l·θW·θD − w·θD·θW)·r − w = 0  →  r = the positive root.
    const w = 3;
    const l = 1;
    const qa = l * thetaW * thetaW;
    const qb = l * thetaW * thetaD - w * thetaD * thetaW;
    const r = (-qb + Math.sqrt(qb * qb + 4 * qa * w)) / (2 * qa);
    const fit = fitBayesElo(matchResultsFromRecords([{ first: 'A', second: 'B', wins: w, draws: 0, losses: l }]), {
      prior: 0,
      tolerance: 1e-13,
    });
    expect(fit.converged).toBe(true);
    expect(fit.rawElo[0]! - fit.rawElo[1]!).toBeCloseTo(400 * Math.log10(r), 6);
    expect(fit.rawElo[0]! + fit.rawElo[1]!).toBeCloseTo(0, 9); // bayeselo's mean-0 convention
  });

  it('with prior 2: the virtual draws are those of CCondensedResults::AddPrior', () => {
    // A and B each have G = 4 real games, all against each other. AddPrior gives, from each
    // player's loop, 2·0.25·4/4 = 0.5 draws with A first and 0.5 with B first: 1 + 1 in total.
    // The posterior mode maximises, in Δ = Elo(A) − Elo(B):
    //   3·ln P_win(Δ) + 1·ln P_loss(Δ) + 1·ln P_draw(Δ)      (A first, real + virtual)
    //   + 1·ln P_draw(−Δ)                                    (B first, virtual)
    const logPosterior = (d: number): number => {
      const aFirst = bayesEloOutcomeProbabilities(d, 0);
      const bFirst = bayesEloOutcomeProbabilities(0, d);
      return 3 * Math.log(aFirst.win) + Math.log(aFirst.loss) + Math.log(aFirst.draw) + Math.log(bFirst.draw);
    };
    const expected = argmax(logPosterior, -1000, 1000);
    const fit = fitBayesElo(matchResultsFromRecords([{ first: 'A', second: 'B', wins: 3, draws: 0, losses: 1 }]), {
      tolerance: 1e-13,
    });
    expect(fit.rawElo[0]! - fit.rawElo[1]!).toBeCloseTo(expected, 5);
    // The prior shrinks the gap compared with no prior.
    const noPrior = fitBayesElo(matchResultsFromRecords([{ first: 'A', second: 'B', wins: 3, draws: 0, losses: 1 }]), {
      prior: 0,
      tolerance: 1e-13,
    });
    expect(fit.rawElo[0]! - fit.rawElo[1]!).toBeLessThan(noPrior.rawElo[0]! - noPrior.rawElo[1]!);
  });

  it('the prior keeps an undefeated player finite', () => {
    const fit = fitBayesElo(
      matchResultsFromRecords([
        { first: 'A', second: 'B', wins: 10, draws: 0, losses: 0 },
        { first: 'B', second: 'C', wins: 5, draws: 0, losses: 5 },
      ]),
    );
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.elo[0]!)).toBe(true);
    expect(fit.elo[0]).toBeGreaterThan(fit.elo[1]!);
  });

  it("applies the paper's post-processing: scaled, rounded as bayeselo prints, minimum at 0", () => {
    const records = [
      ...paperSyntheticGames('A', 'B', 0.7, 20),
      ...paperSyntheticGames('B', 'C', 0.6, 20),
      ...paperSyntheticGames('A', 'C', 0.8, 20),
    ];
    const results = matchResultsFromRecords(records);
    const exact = fitBayesElo(results);
    const rounded = fitBayesElo(results, { roundToInteger: true });
    expect(exact.zeroPlayer).toBe('C');
    expect(Math.min(...exact.elo)).toBe(0);
    for (let i = 0; i < 3; i++) {
      expect(Number.isInteger(rounded.elo[i]!)).toBe(true);
      expect(Math.abs(rounded.elo[i]! - exact.elo[i]!)).toBeLessThanOrEqual(1);
      expect(exact.elo[i]).toBeCloseTo(exact.scale * (exact.rawElo[i]! - exact.rawElo[2]!), 9);
    }
  });
});

describe('BayesElo on synthetic tournaments', () => {
  it('recovers Elo gaps of games drawn from its own model (no prior)', () => {
    const elos = [0, 100, 250, 400, 600, 800];
    const { results, trueElo } = roundRobinBayesElo(elos, 400, 3, eloAdvantage, eloDraw);
    const fit = fitBayesElo(results, { prior: 0, tolerance: 1e-10, scale: 1 });
    expect(fit.converged).toBe(true);
    fit.players.forEach((name, i) => expect(Math.abs(fit.elo[i]! - trueElo.get(name)!)).toBeLessThan(25));
  });

  it('bootstrap intervals cover the true Elo for most players (≥ 80% at 95% level)', () => {
    const elos = Array.from({ length: 12 }, (_, i) => i * 70);
    const { results, trueElo } = roundRobinBayesElo(elos, 60, 9, eloAdvantage, eloDraw);
    const fit = fitBayesElo(results, { prior: 0, tolerance: 1e-9, scale: 1 });
    const intervals = bootstrapBayesElo(results, fit, { prior: 0, tolerance: 1e-9, scale: 1, resamples: 100, seed: 4 });
    let covered = 0;
    fit.players.forEach((name, i) => {
      if (name === fit.zeroPlayer) return;
      const t = trueElo.get(name)! - trueElo.get(fit.zeroPlayer)!;
      if (intervals.lower[i]! <= t && t <= intervals.upper[i]!) covered++;
    });
    expect(covered / (fit.players.length - 1)).toBeGreaterThanOrEqual(0.8);
  });

  it('with decisive synthetic games, BayesElo gaps exceed plain Bradley–Terry gaps (the paper’s 4–28%)', () => {
    // Decisive games carry no draws, but the model expects draws between equals, so it reads
    // them as larger strength differences; the prior pulls the other way a little.
    const records = [0.55, 0.65, 0.75, 0.85].flatMap((p, i) => paperSyntheticGames(`p${i + 1}`, `p${i}`, p, 800));
    const results = matchResultsFromRecords(records);
    const bt = fitBradleyTerry(results);
    const be = fitBayesElo(results, { tolerance: 1e-10 });
    const btSpan = Math.max(...bt.elo) - Math.min(...bt.elo);
    const beSpan = Math.max(...be.elo) - Math.min(...be.elo);
    expect(beSpan / btSpan).toBeGreaterThan(1.04);
    expect(beSpan / btSpan).toBeLessThan(1.3);
  });

  it('refuses a disconnected graph even with a prior', () => {
    const results = matchResultsFromRecords([
      { first: 'A', second: 'B', wins: 1, draws: 0, losses: 1 },
      { first: 'C', second: 'D', wins: 1, draws: 0, losses: 1 },
    ]);
    expect(() => fitBayesElo(results)).toThrow(UnfittableRatingsError);
    expect(() => fitBayesElo(results)).toThrow(/disconnected/);
  });
});

describe("the paper's synthetic decisive games", () => {
  it('follows the authors’ add_match rule, boundary game included', () => {
    // p = 0.5, 800 per side: first wins k < 400 → 400 games; second wins k > 400 → 399 games.
    const [asFirst, asSecond] = paperSyntheticGames('A', 'B', 0.5, 800);
    expect(asFirst).toEqual({ first: 'A', second: 'B', wins: 400, draws: 0, losses: 400 });
    expect(asSecond).toEqual({ first: 'B', second: 'A', wins: 399, draws: 0, losses: 401 });
  });
});
