import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Rng } from '../../src/engine/rng.ts';
import { assertValid } from '../../src/engine/json.ts';
import { bootstrapBradleyTerry, fitBradleyTerry } from '../../src/rating/bradley-terry.ts';
import { fitLine } from '../../src/rating/linear-fit.ts';
import {
  fitCheckpointSlopes,
  fitComputeFrontier,
  fitOptimalSize,
  fitSizeScaling,
  isFittedFrontier,
  paretoFront,
  type SizePoint,
  type TrainingPoint,
} from '../../src/rating/powerlaw.ts';
import { bradleyTerryTable } from '../../src/rating/rating-table.ts';
import { fitScalingLaws } from '../../src/rating/scaling-laws.ts';
import { studentTQuantile } from '../../src/rating/student-t.ts';
import { roundRobinBradleyTerry } from './synthetic.ts';

const schemas = join(import.meta.dirname, '../../schemas');

describe('statistics helpers', () => {
  it('Student t quantiles match printed tables', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.5706, 4);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTQuantile(0.95, 10)).toBeCloseTo(1.8125, 4);
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-2.5706, 4);
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.95996, 4);
  });

  it('least squares on an exact line', () => {
    const fit = fitLine([1, 2, 3, 4], [3, 5, 7, 9]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.rSquared).toBeCloseTo(1, 12);
    expect(fit.slopeStandardError).toBeCloseTo(0, 9);
  });
});

/** Seven sizes × six copies with Elo = min(400·α·log10 N + c, plateau) + noise (the C4 parameter counts). */
function sizePoints(alpha: number, noise: number, seed: number, plateau = Infinity): SizePoint[] {
  const rng = new Rng(seed, 'size-points');
  const points: SizePoint[] = [];
  for (const parameters of [608, 1304, 2984, 7496, 21128, 66824, 231944]) {
    for (let copy = 0; copy < 6; copy++) {
      const elo = Math.min(plateau, 400 * alpha * Math.log10(parameters) - 373) + noise * rng.normal();
      points.push({ id: `n${parameters}-c${copy}`, parameters, elo });
    }
  }
  return points;
}

describe('α_N: Elo against log10 N', () => {
  it('recovers a known exponent; its interval covers the truth in most of 200 noisy replicates', () => {
    let covered = 0;
    for (let seed = 0; seed < 200; seed++) {
      const fit = fitSizeScaling(sizePoints(0.88, 60, seed));
      if (fit.alphaInterval.lower <= 0.88 && 0.88 <= fit.alphaInterval.upper) covered++;
      expect(Math.abs(fit.alpha - 0.88)).toBeLessThan(0.15);
    }
    // Nominal 95%; 200 replicates give 190 ± 3 — require ≥ 180.
    expect(covered).toBeGreaterThanOrEqual(180);
  });

  it('leaves out plateau points by margin and reports them', () => {
    const points = sizePoints(0.88, 20, 1, 1300);
    const fit = fitSizeScaling(points, { plateau: { kind: 'within', plateauElo: 1300, margin: 60 } });
    expect(fit.pointsExcluded.length).toBeGreaterThan(0);
    expect(fit.pointsExcluded.every((p) => p.y >= 1240 && /plateau/.test(p.reason))).toBe(true);
    expect(fit.pointsUsed.every((p) => p.y < 1240)).toBe(true);
    expect(fit.pointsUsed.length + fit.pointsExcluded.length).toBe(points.length);
    expect(fit.alpha).toBeCloseTo(0.88, 1);
    // Without the rule the plateau flattens the slope.
    expect(fitSizeScaling(points).alpha).toBeLessThan(fit.alpha - 0.05);
  });

  it('leaves out the largest sizes whose mean is not significantly below the plateau', () => {
    // Elo(66824) ≈ 1325 and Elo(231944) ≈ 1540 without the cap; cap at 1300 puts both on it.
    const points = sizePoints(0.88, 20, 2, 1300);
    const fit = fitSizeScaling(points, { plateau: { kind: 'not-significantly-below', plateauElo: 1300, level: 0.95 } });
    const excludedSizes = new Set(fit.pointsExcluded.map((p) => Math.round(10 ** p.x)));
    expect(excludedSizes).toEqual(new Set([66824, 231944]));
    expect(fit.alpha).toBeCloseTo(0.88, 1);
  });
});

describe('the Pareto front', () => {
  it('keeps exactly the points no other point beats on both compute and Elo', () => {
    const pts = [
      { id: 'a', compute: 1, elo: 100 },
      { id: 'b', compute: 2, elo: 90 }, // dominated by a
      { id: 'c', compute: 3, elo: 300 },
      { id: 'd', compute: 3, elo: 250 }, // same compute, lower Elo
      { id: 'e', compute: 5, elo: 300 }, // same Elo, more compute
      { id: 'f', compute: 8, elo: 500 },
      { id: 'g', compute: 0.5, elo: 50 },
      { id: 'h', compute: 8, elo: 500 }, // duplicate of f: one is kept
    ];
    expect(paretoFront(pts).map((p) => p.id)).toEqual(['g', 'a', 'c', 'f']);
  });
});

/**
 * Learning curves with a known envelope. With L = log10 C and ℓ = log10 N:
 *   Elo(ℓ, L) = 400·αC·L − k·(L − m·ℓ − c0)²,
 * so at a fixed budget the best size has ℓ* = (L − c0)/m, i.e. N_opt ∝ C^(1/m), and along the
 * optimum Elo = 400·αC·L: the front has slope αC. Each size trains over L ∈ [mℓ + c0 − 1.5, mℓ + c0 + 0.4].
 */
function trainingPoints(alphaC: number, m: number, noise: number, seed: number): TrainingPoint[] {
  const rng = new Rng(seed, 'training-points');
  const points: TrainingPoint[] = [];
  const c0 = 8;
  for (let ell = 2.5; ell <= 5.5001; ell += 0.1) {
    const parameters = Math.round(10 ** ell);
    for (let s = 0; s < 20; s++) {
      const L = m * ell + c0 - 1.5 + (1.9 * s) / 19;
      const elo = 400 * alphaC * L - 120 * (L - m * ell - c0) ** 2 + noise * rng.normal();
      points.push({ id: `n${parameters}@${s}`, agent: `n${parameters}`, parameters, step: (s + 1) * 100, compute: 10 ** L, elo });
    }
  }
  return points;
}

describe('α_C on the compute frontier and the compute-optimal size', () => {
  it('recovers α_C from the front', () => {
    const fit = fitComputeFrontier(trainingPoints(0.55, 1 / 0.63, 5, 1));
    if (!isFittedFrontier(fit)) throw new Error(fit.unfitted);
    expect(fit.alpha).toBeGreaterThan(0.5);
    expect(fit.alpha).toBeLessThan(0.6);
    expect(fit.front.length).toBeGreaterThan(10);
    expect(fit.line.rSquared).toBeGreaterThan(0.98);
  });

  it('reports a front too short to fit, with its points, instead of failing', () => {
    // Agents that learned nothing: Elo falls as compute grows, so the front is the cheapest point.
    const points: TrainingPoint[] = [1, 2, 3, 4].map((step) => ({ id: `a@${step}`, agent: 'a', parameters: 100, step, compute: 1e6 * step, elo: 10 - step }));
    points.push({ id: 'b@1', agent: 'b', parameters: 400, step: 1, compute: 4e6, elo: 20 });
    const fit = fitComputeFrontier(points);
    expect(isFittedFrontier(fit)).toBe(false);
    expect(fit).toEqual({
      unfitted: 'the Pareto front has only 2 points; α_C needs at least 3 below the plateau',
      axes: { x: 'log10 training FLOPs', y: 'Elo' },
      plateauRule: { kind: 'none' },
      front: [
        { id: 'a@1', x: 6, y: 9 },
        { id: 'b@1', x: Math.log10(4e6), y: 20 },
      ],
      pointsExcluded: [],
    });
    const belowPlateau = fitComputeFrontier(trainingPoints(0.55, 1 / 0.63, 5, 1), { plateau: { kind: 'within', plateauElo: 1200, margin: 0 } });
    expect(isFittedFrontier(belowPlateau)).toBe(false);
    expect(belowPlateau.front.length - belowPlateau.pointsExcluded.length).toBeLessThan(3);
    expect(belowPlateau).toMatchObject({ unfitted: expect.stringMatching(/^the Pareto front has \d+ points, [0-2] below the plateau; α_C needs at least 3 below the plateau$/) });
    // The other laws are still fitted; the compute-optimal size without the α_C/α_N prediction.
    const noisy: TrainingPoint[] = [];
    for (const [parameters, elo] of [[100, 200], [1000, 300], [10000, 250]] as const) {
      for (let step = 1; step <= 8; step++) {
        const agent = `n${parameters}`;
        noisy.push({ id: `${agent}@${step}`, agent, parameters, step, compute: 1e3 * parameters * step, elo: elo - step });
      }
    }
    const laws = fitScalingLaws('g', noisy, { sizePlateau: { kind: 'none' }, pointPlateau: { kind: 'none' } });
    expect(isFittedFrontier(laws.computeFrontier)).toBe(false);
    expect(laws.computeFrontier.front.map((p) => p.id)).toEqual(['n100@1', 'n1000@1']);
    expect(laws.sizeScaling.eloPerDecade).toBeCloseTo(25, 9);
    expect(laws.optimalSize.predicted).toBeUndefined();
    expect(() => assertValid(join(schemas, 'fit-scaling-laws.schema.json'), JSON.parse(JSON.stringify(laws)), 'fits')).not.toThrow();
  });

  it('recovers N_opt ∝ C^0.63 and compares it with α_C/α_N', () => {
    const fit = fitOptimalSize(trainingPoints(0.55, 1 / 0.63, 0, 1), {
      budgets: Array.from({ length: 30 }, (_, i) => 10 ** (12.5 + (i * 4) / 29)),
      alphaN: { alpha: 0.88, alphaInterval: { lower: 0.85, upper: 0.91 } },
      alphaC: { alpha: 0.55, alphaInterval: { lower: 0.53, upper: 0.57 } },
    });
    expect(fit.exponent).toBeCloseTo(0.63, 1);
    expect(fit.exponentInterval.lower).toBeLessThan(0.66);
    expect(fit.exponentInterval.upper).toBeGreaterThan(0.6);
    expect(fit.predicted!.exponent).toBeCloseTo(0.625, 3);
    expect(fit.predicted!.interval.lower).toBeCloseTo(0.53 / 0.91, 9);
  });

  it('leaves out budgets whose best Elo is on the plateau', () => {
    const points = trainingPoints(0.55, 1 / 0.63, 0, 1).map((p) => ({ ...p, elo: Math.min(p.elo, 2800) }));
    const fit = fitOptimalSize(points, { plateau: { kind: 'within', plateauElo: 2800, margin: 10 } });
    expect(fit.pointsExcluded.some((p) => /plateau/.test(p.reason))).toBe(true);
    expect(fit.pointsUsed.every((p) => p.x < 2800 / (400 * 0.55))).toBe(true);
  });
});

describe('per-checkpoint slopes (Figure 3)', () => {
  it('fits each checkpoint and skips those with a single size', () => {
    const rng = new Rng(3, 'checkpoints');
    const points: TrainingPoint[] = [];
    for (const [step, slope] of [[100, 150], [1000, 250], [10000, 350]] as const) {
      for (const parameters of [1e3, 1e4, 1e5, 1e6]) {
        for (let copy = 0; copy < 3; copy++) {
          points.push({ id: `n${parameters}-c${copy}@${step}`, agent: `n${parameters}-c${copy}`, parameters, step, compute: step * parameters, elo: slope * Math.log10(parameters) + 10 * rng.normal() });
        }
      }
    }
    points.push({ id: 'lonely', agent: 'x', parameters: 1e3, step: 5, compute: 5e3, elo: 0 });
    const slopes = fitCheckpointSlopes(points);
    expect(slopes.checkpoints.map((c) => c.step)).toEqual([100, 1000, 10000]);
    expect(slopes.checkpoints.map((c) => Math.round(c.fit.eloPerDecade / 10) * 10)).toEqual([150, 250, 350]);
    expect(slopes.skipped).toEqual([{ step: 5, reason: expect.stringMatching(/fewer than 2 sizes/) }]);
  });
});

describe('artifacts match their schemas', () => {
  it('all scaling-law fits of a game validate against fit-scaling-laws.schema.json', () => {
    const points = trainingPoints(0.55, 1 / 0.63, 5, 2);
    const fits = fitScalingLaws('connect4', points, {
      sizePlateau: { kind: 'none' },
      pointPlateau: { kind: 'within', plateauElo: 4000, margin: 10 },
    });
    const json = JSON.parse(JSON.stringify(fits));
    expect(() => assertValid(join(schemas, 'fit-scaling-laws.schema.json'), json, 'fits')).not.toThrow();
    expect(() => assertValid(join(schemas, 'fit-scaling-laws.schema.json'), { ...json, extra: 1 }, 'fits')).toThrow(/extra/);
  });

  it('a rating table with bootstrap intervals validates against rating-table.schema.json', () => {
    const { results } = roundRobinBradleyTerry([0, 150, 300, 450], 60, 1, 0.2);
    const fit = fitBradleyTerry(results, { anchor: 'random' });
    const table = bradleyTerryTable(results, fit, bootstrapBradleyTerry(results, fit, { resamples: 20, seed: 3 }));
    const json = JSON.parse(JSON.stringify(table));
    expect(() => assertValid(join(schemas, 'rating-table.schema.json'), json, 'ratings')).not.toThrow();
    expect(json.players[0]).toMatchObject({ name: 'random', elo: 0, games: 180 });
    json.players[0].elo = 'high';
    expect(() => assertValid(join(schemas, 'rating-table.schema.json'), json, 'ratings')).toThrow(/players\.0\.elo/);
  });
});
