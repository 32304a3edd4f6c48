import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapBradleyTerry, fitBradleyTerry } from '../../src/rating/bradley-terry.ts';
import { UnfittableRatingsError } from '../../src/rating/comparison-graph.ts';
import { matchResultsFromRecords, type PairRecord } from '../../src/rating/match-results.ts';
import { roundRobinBradleyTerry } from './synthetic.ts';

const game = (first: string, second: string, wins: number, draws: number, losses: number): PairRecord => ({
  first,
  second,
  wins,
  draws,
  losses,
});

describe('Bradley–Terry by hand', () => {
  it('two players: the Elo gap is 400·log10 of the score odds', () => {
    // A scores 2 wins + 2 draws = 3 of 4 points against B. With one pair the MLE matches the
    // observed score exactly: p = 3/4, so γA/γB = p/(1−p) = 3 and ΔElo = 400·log10 3 ≈ 190.85.
    const results = matchResultsFromRecords([game('A', 'B', 1, 1, 0), game('B', 'A', 0, 1, 1)]);
    const fit = fitBradleyTerry(results, { anchor: 'B' });
    expect(fit.converged).toBe(true);
    expect(fit.elo[1]).toBe(0);
    expect(fit.elo[0]).toBeCloseTo(400 * Math.log10(3), 6);
  });

  it('a chain of three: each link is fitted on its own', () => {
    // A–B: A scores 4 of 5; B–C: B scores 1 of 3 (C is stronger). The comparison graph is a
    // tree, so each pair's score is matched exactly: Elo(A) − Elo(B) = 400·log10(4/1),
    // Elo(C) − Elo(B) = 400·log10(2/1). With B as anchor: A = 240.82, B = 0, C = 120.41.
    const results = matchResultsFromRecords([game('A', 'B', 4, 0, 1), game('B', 'C', 1, 0, 2)]);
    const fit = fitBradleyTerry(results, { anchor: 'B' });
    expect(fit.elo[0]).toBeCloseTo(400 * Math.log10(4), 6);
    expect(fit.elo[2]).toBeCloseTo(400 * Math.log10(2), 6);
    expect(fit.anchor).toEqual({ player: 'B', named: true });
  });

  it('without the named anchor, the weakest player is 0', () => {
    const results = matchResultsFromRecords([game('A', 'B', 4, 0, 1), game('B', 'C', 1, 0, 2)]);
    const fit = fitBradleyTerry(results, { anchor: 'random' });
    expect(fit.anchor).toEqual({ player: 'B', named: false });
    expect(Math.min(...fit.elo)).toBe(0);
  });
});

describe('Bradley–Terry on synthetic tournaments', () => {
  it('recovers known Elo within bootstrap intervals (≥ 85% of players at 95% level)', () => {
    // 30 players spread over 0…1,800 Elo, every pair 100 games, 20% draws. Expected coverage
    // is ~95%; we require 85% so the test is not flaky under a fixed seed (observed: see below).
    const elos = Array.from({ length: 30 }, (_, i) => (i * 1800) / 29);
    const { results, trueElo } = roundRobinBradleyTerry(elos, 100, 7, 0.2);
    const fit = fitBradleyTerry(results, { anchor: 'random' });
    expect(fit.converged).toBe(true);
    expect(fit.anchor.named).toBe(true);
    const intervals = bootstrapBradleyTerry(results, fit, { resamples: 200, seed: 11 });
    expect(intervals.failed).toBe(0);
    let covered = 0;
    let rated = 0;
    fit.players.forEach((name, i) => {
      if (name === 'random') {
        expect(intervals.lower[i]).toBe(0);
        expect(intervals.upper[i]).toBe(0);
        return;
      }
      rated++;
      if (intervals.lower[i]! <= trueElo.get(name)! && trueElo.get(name)! <= intervals.upper[i]!) covered++;
      expect(Math.abs(fit.elo[i]! - trueElo.get(name)!)).toBeLessThan(5 * intervals.standardError[i]! + 1);
    });
    expect(covered / rated).toBeGreaterThanOrEqual(0.85);
  });

  it('converges in few Newton steps over a 3,000-Elo span with sparse pairs', () => {
    // Only neighbours within 5 places play: a long, thin comparison graph, the hard case for MM.
    const elos = Array.from({ length: 200 }, (_, i) => i * 15);
    const { results, trueElo } = roundRobinBradleyTerry(elos, 200, 3, 0.1, (i, j) => j - i <= 5);
    const fit = fitBradleyTerry(results, { anchor: 'random' });
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(30);
    const top = fit.players.indexOf('p199');
    expect(Math.abs(fit.elo[top]! - trueElo.get('p199')!)).toBeLessThan(200);
  });

  it('bootstrap is reproducible from its seed', () => {
    const { results } = roundRobinBradleyTerry([0, 100, 200, 300], 40, 5, 0.3);
    const fit = fitBradleyTerry(results, { anchor: 'random' });
    const a = bootstrapBradleyTerry(results, fit, { resamples: 20, seed: 1 });
    const b = bootstrapBradleyTerry(results, fit, { resamples: 20, seed: 1 });
    const c = bootstrapBradleyTerry(results, fit, { resamples: 20, seed: 2 });
    expect([...a.lower]).toEqual([...b.lower]);
    expect([...a.upper]).not.toEqual([...c.upper]);
  });
});

describe('Bradley–Terry properties', () => {
  // Small tournaments where every pair drew at least once, so the MLE always exists.
  const tournament = fc
    .integer({ min: 2, max: 6 })
    .chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.tuple(fc.nat(5), fc.integer({ min: 1, max: 3 }), fc.nat(5)), {
          minLength: (n * (n - 1)) / 2,
          maxLength: (n * (n - 1)) / 2,
        }),
        fc.integer({ min: 0, max: n - 1 }),
      ),
    )
    .map(([n, counts, anchor]) => {
      const names = Array.from({ length: n }, (_, i) => `q${i}`);
      const records: PairRecord[] = [];
      let k = 0;
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          const [w, d, l] = counts[k++]!;
          records.push(game(names[i]!, names[j]!, w, d, l));
        }
      return { names, records, anchor: names[anchor]! };
    });

  it('the anchor is exactly 0 and the fit does not depend on the order of players or records', () => {
    fc.assert(
      fc.property(tournament, fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), ({ names, records, anchor }, noise) => {
        const fit = fitBradleyTerry(matchResultsFromRecords(records, names), { anchor });
        expect(fit.elo[names.indexOf(anchor)]).toBe(0);
        const shuffledNames = [...names].sort(() => noise.next().value - 0.5);
        const shuffledRecords = [...records].reverse();
        const other = fitBradleyTerry(matchResultsFromRecords(shuffledRecords, shuffledNames), { anchor });
        for (const name of names) {
          expect(other.elo[shuffledNames.indexOf(name)]).toBeCloseTo(fit.elo[names.indexOf(name)]!, 5);
        }
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it('shifting the anchor shifts every Elo by the same amount', () => {
    fc.assert(
      fc.property(tournament, ({ names, records }) => {
        const results = matchResultsFromRecords(records, names);
        const a = fitBradleyTerry(results, { anchor: names[0] });
        const b = fitBradleyTerry(results, { anchor: names[names.length - 1] });
        const shift = a.elo[names.length - 1]!;
        names.forEach((_, i) => expect(b.elo[i]).toBeCloseTo(a.elo[i]! - shift, 5));
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe('Bradley–Terry refuses data it cannot fit', () => {
  const expectUnfittable = (records: PairRecord[], pattern: RegExp, players: string[]): void => {
    try {
      fitBradleyTerry(matchResultsFromRecords(records));
      expect.unreachable('the fit should have failed');
    } catch (e) {
      expect(e).toBeInstanceOf(UnfittableRatingsError);
      expect((e as Error).message).toMatch(pattern);
      for (const p of players) expect((e as Error).message).toContain(`'${p}'`);
      expect([...(e as UnfittableRatingsError).players].sort()).toEqual(expect.arrayContaining(players));
    }
  };

  it('a disconnected comparison graph, naming players of each component', () => {
    expectUnfittable(
      [game('A', 'B', 2, 1, 1), game('C', 'D', 1, 1, 2), game('D', 'E', 1, 0, 1)],
      /disconnected into 2 components/,
      ['A', 'B', 'C', 'D', 'E'],
    );
  });

  it('a player who never lost or drew', () => {
    expectUnfittable([game('A', 'B', 3, 0, 0), game('C', 'A', 0, 0, 2), game('B', 'C', 1, 1, 1)], /'A' never lost/, ['A']);
  });

  it('a player who never won or drew', () => {
    expectUnfittable([game('A', 'B', 3, 0, 0), game('C', 'B', 2, 0, 0), game('A', 'C', 1, 1, 1)], /'B' never won/, ['B']);
  });

  it('a group that never conceded a point to the rest', () => {
    // A and B beat C and D in every game, though each player won and lost somewhere.
    expectUnfittable(
      [game('A', 'B', 1, 0, 1), game('C', 'D', 1, 0, 1), game('A', 'C', 2, 0, 0), game('D', 'B', 0, 0, 2)],
      /never lost a point to any player outside it/,
      ['A', 'B'],
    );
  });

  it('a player without games', () => {
    expect(() => fitBradleyTerry(matchResultsFromRecords([game('A', 'B', 1, 0, 1)], ['A', 'B', 'idle']))).toThrow(/'idle' played no games/);
  });

  it('malformed results', () => {
    expect(() => matchResultsFromRecords([game('A', 'A', 1, 0, 1)])).toThrow(/playing itself/);
    expect(() => matchResultsFromRecords([game('A', 'B', -1, 0, 1)])).toThrow(/wins = -1/);
  });
});
