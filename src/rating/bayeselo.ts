// The rating model the paper used: Rémi Coulom's bayeselo (CBradleyTerry / CCondensedResults
// / CEloRatingCUI), re-implemented from its source, with the paper's post-processing.
//
// Model. White (first mover) i with Elo e_i against black j, with f(x) = 1/(1 + 10^(−x/400)):
//   P(i wins)  = f(e_i − e_j + eloAdvantage − eloDraw)
//   P(j wins)  = f(e_j − e_i − eloAdvantage − eloDraw)
//   P(draw)    = 1 − P(i wins) − P(j wins)
// In strengths γ = 10^(e/400), θW = 10^(eloAdvantage/400), θD = 10^(eloDraw/400):
//   P(i wins) = θW·γi / (θW·γi + θD·γj),   P(j wins) = γj / (θD·θW·γi + γj).
// bayeselo keeps eloAdvantage = 32.8 and eloDraw = 97.3 fixed (`mm` without flags).
//
// Prior ("prior 2" = virtual draws). CCondensedResults::AddPrior: for every player i with
// G_i real games, and every opponent j it met G_ij times, it adds prior·0.25·G_ij/G_i draws
// with i moving first AND the same number with j moving first. Player i's loop thus adds
// prior/2 virtual draws, spread over its opponents in proportion to games played, and its
// opponents' loops add more, so each player takes part in `prior` virtual draws on average.
// The prior keeps every rating finite (a player who won every game still drew virtually).
//
// Fit. Maximum a posteriori strengths by Hunter's MM iterations (CBradleyTerry::UpdateGammas):
//   γi ← A_i / B_i,   A_i = Σ_j (w_ij + d_ij + l_ji + d_ji)
//   B_i = Σ_j [ (w_ij + d_ij)·θW / (θW·γi + θD·γj) + (l_ij + d_ij)·θD·θW / (θD·θW·γi + γj)
//             + (w_ji + d_ji)·θD / (θW·γj + θD·γi) + (l_ji + d_ji) / (θD·θW·γj + γi) ]
// where x_ij counts games with i moving first (w_ij: i won, l_ij: i lost) and x_ji games with
// j moving first (w_ji: j won). bayeselo stops when max |Δγ|/(γ + γ') < 1e-5 (10,000
// iterations at most), then sets Elo = 400·log10 γ shifted to mean 0. bayeselo updates
// players in place (Gauss–Seidel); we update all at once (still a valid MM step, same fixed
// point).
//
// Output. bayeselo prints round(EloScale·elo + offset) with EloScale = 4x/(1 + x)²,
// x = 10^(−eloDraw/400) (CEloRatingCUI::MM: the slope at 0 of the expected score of its draw
// model relative to plain Elo; ≈ 0.9255 for eloDraw = 97.3). The paper's code used offset 1000
// and then subtracted the minimum, so its weakest player is 0.
import { bootstrapElo, type BootstrapIntervals, type BootstrapOptions } from './bootstrap.ts';
import { assertFittable } from './comparison-graph.ts';
import { collapseToUnorderedPairs, type MatchResults } from './match-results.ts';

export const BAYESELO_DEFAULTS = {
  eloAdvantage: 32.8,
  eloDraw: 97.3,
  prior: 2,
  tolerance: 1e-5,
  maxIterations: 10_000,
} as const;

export interface BayesEloOptions {
  /** Elo advantage of moving first. Default 32.8 (bayeselo's). */
  eloAdvantage?: number;
  /** Draw Elo: the larger, the more draws between equals. Default 97.3 (bayeselo's). */
  eloDraw?: number;
  /** Virtual draws per player (see above). Default 2; 0 gives the plain maximum likelihood. */
  prior?: number;
  /** Stop when max |Δγ|/(γ + γ') falls below this. Default 1e-5, bayeselo's. */
  tolerance?: number;
  maxIterations?: number;
  /** Multiplier of the reported Elo. Default bayeselo's 4x/(1+x)², x = 10^(−eloDraw/400). */
  scale?: number;
  /** Round reported Elo to whole numbers as bayeselo's table does (the paper's numbers were). Default false. */
  roundToInteger?: boolean;
  /** Player set to 0 in the reported Elo; default (and when absent) the weakest, as in the paper. */
  anchor?: string;
}

export interface BayesEloFit {
  players: readonly string[];
  /** Reported Elo: scale × raw, optionally rounded, shifted so the anchor (default: weakest) is 0. */
  elo: Float64Array;
  /** bayeselo's internal Elo before scaling: 400·log10 γ with mean 0. */
  rawElo: Float64Array;
  /** Player at 0 in `elo`. */
  zeroPlayer: string;
  scale: number;
  eloAdvantage: number;
  eloDraw: number;
  prior: number;
  iterations: number;
  converged: boolean;
}

/** bayeselo's default output scale for a draw Elo: 4x/(1 + x)², x = 10^(−eloDraw/400). */
export function bayesEloScale(eloDraw: number): number {
  const x = Math.pow(10, -eloDraw / 400);
  return (4 * x) / ((1 + x) * (1 + x));
}

/** Win / draw / loss probabilities of the first mover under the bayeselo model. */
export function bayesEloOutcomeProbabilities(
  eloFirst: number,
  eloSecond: number,
  eloAdvantage: number = BAYESELO_DEFAULTS.eloAdvantage,
  eloDraw: number = BAYESELO_DEFAULTS.eloDraw,
): { win: number; draw: number; loss: number } {
  const f = (x: number): number => 1 / (1 + Math.pow(10, -x / 400));
  const win = f(eloFirst - eloSecond + eloAdvantage - eloDraw);
  const loss = f(eloSecond - eloFirst - eloAdvantage - eloDraw);
  return { win, draw: 1 - win - loss, loss };
}

/**
 * Results condensed per unordered pair a < b, keeping the order of play, with the prior's
 * virtual draws added. `xAB`: a moved first (wAB: a won); `xBA`: b moved first (wBA: b won).
 */
interface CondensedPairs {
  a: Int32Array;
  b: Int32Array;
  wAB: Float64Array;
  dAB: Float64Array;
  lAB: Float64Array;
  wBA: Float64Array;
  dBA: Float64Array;
  lBA: Float64Array;
}

function condense(results: MatchResults, prior: number): CondensedPairs {
  const P = results.players.length;
  const slot = new Map<number, number>();
  const n = results.first.length;
  const c: CondensedPairs = {
    a: new Int32Array(n),
    b: new Int32Array(n),
    wAB: new Float64Array(n),
    dAB: new Float64Array(n),
    lAB: new Float64Array(n),
    wBA: new Float64Array(n),
    dBA: new Float64Array(n),
    lBA: new Float64Array(n),
  };
  let count = 0;
  for (let k = 0; k < n; k++) {
    const f = results.first[k]!;
    const s = results.second[k]!;
    if (results.wins[k]! + results.draws[k]! + results.losses[k]! === 0) continue;
    const lo = Math.min(f, s);
    const key = lo * P + Math.max(f, s);
    let i = slot.get(key);
    if (i === undefined) {
      i = count++;
      slot.set(key, i);
      c.a[i] = lo;
      c.b[i] = Math.max(f, s);
    }
    if (f === lo) {
      c.wAB[i]! += results.wins[k]!;
      c.dAB[i]! += results.draws[k]!;
      c.lAB[i]! += results.losses[k]!;
    } else {
      c.wBA[i]! += results.wins[k]!;
      c.dBA[i]! += results.draws[k]!;
      c.lBA[i]! += results.losses[k]!;
    }
  }
  const trimmed = Object.fromEntries(
    Object.entries(c).map(([key, column]) => [key, column.slice(0, count)]),
  ) as unknown as CondensedPairs;
  if (prior !== 0) addPrior(trimmed, P, prior);
  return trimmed;
}

/** CCondensedResults::AddPrior (see the header comment). */
function addPrior(c: CondensedPairs, playerCount: number, prior: number): void {
  const games = new Float64Array(playerCount);
  const pairGames = (k: number): number => c.wAB[k]! + c.dAB[k]! + c.lAB[k]! + c.wBA[k]! + c.dBA[k]! + c.lBA[k]!;
  for (let k = 0; k < c.a.length; k++) {
    games[c.a[k]!]! += pairGames(k);
    games[c.b[k]!]! += pairGames(k);
  }
  for (let k = 0; k < c.a.length; k++) {
    // Both players' loops visit this pair; each adds its share to both orders of play.
    const virtual = pairGames(k) * prior * 0.25 * (1 / games[c.a[k]!]! + 1 / games[c.b[k]!]!);
    c.dAB[k]! += virtual;
    c.dBA[k]! += virtual;
  }
}

/** Fits bayeselo's model; throws UnfittableRatingsError for players without games or a disconnected graph. */
export function fitBayesElo(results: MatchResults, options: BayesEloOptions = {}): BayesEloFit {
  const eloAdvantage = options.eloAdvantage ?? BAYESELO_DEFAULTS.eloAdvantage;
  const eloDraw = options.eloDraw ?? BAYESELO_DEFAULTS.eloDraw;
  const prior = options.prior ?? BAYESELO_DEFAULTS.prior;
  if (!(prior >= 0)) throw new RangeError(`fitBayesElo: prior must be ≥ 0, got ${prior}`);
  // With a prior every Elo is finite; without one, the plain MLE conditions apply.
  assertFittable(collapseToUnorderedPairs(results), results.players, prior > 0);
  const { rawElo, iterations, converged } = minorizationMaximization(
    condense(results, prior),
    results.players.length,
    eloAdvantage,
    eloDraw,
    options.tolerance ?? BAYESELO_DEFAULTS.tolerance,
    options.maxIterations ?? BAYESELO_DEFAULTS.maxIterations,
  );
  const scale = options.scale ?? bayesEloScale(eloDraw);
  const { elo, zeroPlayer } = reportElo(rawElo, results.players, scale, options.roundToInteger ?? false, options.anchor);
  return { players: results.players, elo, rawElo, zeroPlayer, scale, eloAdvantage, eloDraw, prior, iterations, converged };
}

function minorizationMaximization(
  c: CondensedPairs,
  playerCount: number,
  eloAdvantage: number,
  eloDraw: number,
  tolerance: number,
  maxIterations: number,
): { rawElo: Float64Array; iterations: number; converged: boolean } {
  const thetaW = Math.pow(10, eloAdvantage / 400);
  const thetaD = Math.pow(10, eloDraw / 400);
  const gamma = new Float64Array(playerCount).fill(1);
  const next = new Float64Array(playerCount);
  const numerator = new Float64Array(playerCount);
  // A_i does not depend on γ: compute it once.
  for (let k = 0; k < c.a.length; k++) {
    numerator[c.a[k]!]! += c.wAB[k]! + c.dAB[k]! + c.lBA[k]! + c.dBA[k]!;
    numerator[c.b[k]!]! += c.wBA[k]! + c.dBA[k]! + c.lAB[k]! + c.dAB[k]!;
  }
  const denominator = new Float64Array(playerCount);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    denominator.fill(0);
    for (let k = 0; k < c.a.length; k++) {
      const a = c.a[k]!;
      const b = c.b[k]!;
      const ga = gamma[a]!;
      const gb = gamma[b]!;
      const d1 = thetaW * ga + thetaD * gb; // a first: a wins over d1
      const d2 = thetaD * thetaW * ga + gb; // a first: b wins over d2
      const d3 = thetaW * gb + thetaD * ga; // b first: b wins over d3
      const d4 = thetaD * thetaW * gb + ga; // b first: a wins over d4
      const aFirstWinSide = c.dAB[k]! + c.wAB[k]!;
      const aFirstLossSide = c.dAB[k]! + c.lAB[k]!;
      const bFirstWinSide = c.dBA[k]! + c.wBA[k]!;
      const bFirstLossSide = c.dBA[k]! + c.lBA[k]!;
      denominator[a]! +=
        (aFirstWinSide * thetaW) / d1 + (aFirstLossSide * thetaD * thetaW) / d2 + (bFirstWinSide * thetaD) / d3 + bFirstLossSide / d4;
      denominator[b]! +=
        (bFirstWinSide * thetaW) / d3 + (bFirstLossSide * thetaD * thetaW) / d4 + (aFirstWinSide * thetaD) / d1 + aFirstLossSide / d2;
    }
    let difference = 0;
    let logMean = 0;
    for (let i = 0; i < playerCount; i++) {
      next[i] = numerator[i]! / denominator[i]!;
      difference = Math.max(difference, Math.abs(next[i]! - gamma[i]!) / (next[i]! + gamma[i]!));
      logMean += Math.log(next[i]!) / playerCount;
    }
    // The model only sees ratios of γ; renormalising stops the common scale from drifting.
    const rescale = Math.exp(-logMean);
    for (let i = 0; i < playerCount; i++) gamma[i] = next[i]! * rescale;
    if (difference < tolerance) {
      converged = true;
      break;
    }
  }
  const rawElo = gamma.map((g) => 400 * Math.log10(g));
  let mean = 0;
  for (const e of rawElo) mean += e / playerCount;
  for (let i = 0; i < playerCount; i++) rawElo[i] = rawElo[i]! - mean;
  return { rawElo, iterations, converged };
}

/** bayeselo's RoundDouble: half away from zero. */
function roundHalfAwayFromZero(x: number): number {
  return x > 0 ? Math.floor(x + 0.5) : Math.ceil(x - 0.5);
}

/** Offset bayeselo was told to add before printing in the paper's code; matters only for rounding. */
const PAPER_OFFSET = 1000;

function reportElo(
  rawElo: Float64Array,
  players: readonly string[],
  scale: number,
  round: boolean,
  anchor: string | undefined,
): { elo: Float64Array; zeroPlayer: string } {
  const elo = rawElo.map((e) => (round ? roundHalfAwayFromZero(scale * e + PAPER_OFFSET) : scale * e + PAPER_OFFSET));
  let zero = anchor === undefined ? -1 : players.indexOf(anchor);
  if (zero < 0) {
    zero = 0;
    for (let i = 1; i < elo.length; i++) if (elo[i]! < elo[zero]!) zero = i;
  }
  const shift = elo[zero]!;
  for (let i = 0; i < elo.length; i++) elo[i] = elo[i]! - shift;
  return { elo, zeroPlayer: players[zero]! };
}

/**
 * Bootstrap intervals of the reported (scaled, unrounded) BayesElo, zero held on the full
 * fit's zero player so the intervals describe gaps to it.
 */
export function bootstrapBayesElo(
  results: MatchResults,
  fit: BayesEloFit,
  options: BootstrapOptions & Omit<BayesEloOptions, 'anchor' | 'roundToInteger'>,
): BootstrapIntervals {
  return bootstrapElo(
    results,
    (resampled) => fitBayesElo(resampled, { ...options, roundToInteger: false, anchor: fit.zeroPlayer }).elo,
    options,
  );
}
