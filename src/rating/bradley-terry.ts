// Plain Bradley–Terry by maximum likelihood: P(i beats j) = γi / (γi + γj), draws scored as
// half a win, the order of play ignored. Elo = 400·log10 γ, anchored so the uniform random
// player (or, when absent, the weakest player) is 0.
//
// Algorithm: Newton's method on the natural-log strengths θ = ln γ. The log-likelihood
//   ℓ(θ) = Σ_pairs s·ln σ(θa − θb) + (n − s)·ln σ(θb − θa)        (σ the logistic function)
// is concave; its gradient is g_i = Σ_j (s_ij − n_ij·p_ij) and its negative Hessian is the
// graph Laplacian L with edge weights w_ij = n_ij·p_ij·(1 − p_ij). Each Newton step solves
// L·δ = g by conjugate gradients preconditioned with diag(L), touching only the sparse pair
// list (O(pairs) per product, never a dense P×P matrix), then backtracks until ℓ rises
// enough (Armijo), which makes it safe far from the optimum. Hunter's MM iterations would
// also converge, but linearly and slowly when Elo spans thousands of points, as it does here
// (random player to perfect play); Newton needs ~10 steps.
import { bootstrapElo, type BootstrapIntervals, type BootstrapOptions } from './bootstrap.ts';
import { assertFittable } from './comparison-graph.ts';
import { anchorElo, ELO_PER_NAT, type EloAnchor } from './elo.ts';
import { collapseToUnorderedPairs, type MatchResults, type UnorderedPairs } from './match-results.ts';

export interface BradleyTerryOptions {
  /** Player whose Elo is 0 (the study's uniform random player); the weakest player when absent. */
  anchor?: string;
  /** Converged when no player's Elo moves by more than this in a Newton step. Default 1e-6. */
  toleranceElo?: number;
  /** Newton steps before giving up (the fit then reports converged: false). Default 200. */
  maxIterations?: number;
}

export interface BradleyTerryFit {
  players: readonly string[];
  /** Elo per player, in the order of `players`, anchored (anchor exactly 0). */
  elo: Float64Array;
  anchor: EloAnchor;
  iterations: number;
  converged: boolean;
  /** Maximised log-likelihood (natural log; draws as half a win and half a loss). */
  logLikelihood: number;
}

/** Fits Bradley–Terry Elo; throws UnfittableRatingsError (naming players) when no finite MLE exists. */
export function fitBradleyTerry(results: MatchResults, options: BradleyTerryOptions = {}): BradleyTerryFit {
  const pairs = collapseToUnorderedPairs(results);
  assertFittable(pairs, results.players);
  const solution = solveBradleyTerry(pairs, options);
  const elo = solution.theta.map((t) => t * ELO_PER_NAT);
  const anchor = anchorElo(elo, results.players, options.anchor);
  return {
    players: results.players,
    elo,
    anchor,
    iterations: solution.iterations,
    converged: solution.converged,
    logLikelihood: solution.logLikelihood,
  };
}

/**
 * Bootstrap intervals for a Bradley–Terry fit: games resampled within pairs, each resample
 * refitted from the full fit's strengths (warm start) and anchored on the same player.
 */
export function bootstrapBradleyTerry(
  results: MatchResults,
  fit: BradleyTerryFit,
  options: BootstrapOptions & Omit<BradleyTerryOptions, 'anchor'>,
): BootstrapIntervals {
  const start = fit.elo.map((e) => e / ELO_PER_NAT);
  return bootstrapElo(
    results,
    (resampled) => {
      const pairs = collapseToUnorderedPairs(resampled);
      assertFittable(pairs, resampled.players);
      const elo = solveBradleyTerry(pairs, options, start).theta.map((t) => t * ELO_PER_NAT);
      anchorElo(elo, resampled.players, fit.anchor.player);
      return elo;
    },
    options,
  );
}

export interface BradleyTerrySolution {
  /** Natural-log strengths with mean 0. */
  theta: Float64Array;
  iterations: number;
  converged: boolean;
  logLikelihood: number;
}

/**
 * The solver on collapsed pairs, for callers that fit many variants of one data set
 * (bootstrap): no graph checks (the caller makes them), optional warm start.
 */
export function solveBradleyTerry(
  pairs: UnorderedPairs,
  options: BradleyTerryOptions = {},
  start?: Float64Array,
): BradleyTerrySolution {
  const tolerance = (options.toleranceElo ?? 1e-6) / ELO_PER_NAT;
  const maxIterations = options.maxIterations ?? 200;
  const P = pairs.playerCount;
  const theta = start ? Float64Array.from(start) : initialStrengths(pairs);
  center(theta);
  const work = new NewtonWorkspace(P, pairs.a.length);
  let logLikelihood = gradientAndWeights(pairs, theta, work);
  let totalGames = 0;
  for (let k = 0; k < pairs.games.length; k++) totalGames += pairs.games[k]!;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    solveLaplacian({ ...pairs, totalGames }, work);
    const slope = dot(work.gradient, work.step);
    // Backtracking line search: accept the largest t = 2^-m with sufficient increase.
    let t = 1;
    for (;;) {
      for (let i = 0; i < P; i++) work.trial[i] = theta[i]! + t * work.step[i]!;
      const trialLogLikelihood = logLikelihoodAt(pairs, work.trial);
      if (trialLogLikelihood >= logLikelihood + 1e-4 * t * slope || t < 1e-12) break;
      t /= 2;
    }
    let largestMove = 0;
    for (let i = 0; i < P; i++) largestMove = Math.max(largestMove, Math.abs(work.trial[i]! - theta[i]!));
    theta.set(work.trial);
    center(theta);
    logLikelihood = gradientAndWeights(pairs, theta, work);
    // A failed line search also ends here: no step of useful size improves ℓ any more.
    if (largestMove < tolerance) {
      converged = true;
      break;
    }
  }
  return { theta, iterations, converged, logLikelihood };
}

/** Buffers reused across Newton steps (no allocation in the loop). */
class NewtonWorkspace {
  readonly gradient: Float64Array;
  readonly diagonal: Float64Array;
  readonly weights: Float64Array;
  readonly step: Float64Array;
  readonly trial: Float64Array;
  readonly residual: Float64Array;
  readonly direction: Float64Array;
  readonly product: Float64Array;
  readonly preconditioned: Float64Array;
  constructor(players: number, pairs: number) {
    this.gradient = new Float64Array(players);
    this.diagonal = new Float64Array(players);
    this.weights = new Float64Array(pairs);
    this.step = new Float64Array(players);
    this.trial = new Float64Array(players);
    this.residual = new Float64Array(players);
    this.direction = new Float64Array(players);
    this.product = new Float64Array(players);
    this.preconditioned = new Float64Array(players);
  }
}

/** Log-odds of each player's smoothed score: close to the answer when opponents are mixed. */
function initialStrengths(pairs: UnorderedPairs): Float64Array {
  const points = new Float64Array(pairs.playerCount);
  const games = new Float64Array(pairs.playerCount);
  for (let k = 0; k < pairs.a.length; k++) {
    points[pairs.a[k]!]! += pairs.scoreA[k]!;
    points[pairs.b[k]!]! += pairs.games[k]! - pairs.scoreA[k]!;
    games[pairs.a[k]!]! += pairs.games[k]!;
    games[pairs.b[k]!]! += pairs.games[k]!;
  }
  return points.map((p, i) => Math.log((p + 0.5) / (games[i]! - p + 0.5)));
}

/** ln σ(x) = −ln(1 + e^−x), without overflow for large |x|. */
function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

function logLikelihoodAt(pairs: UnorderedPairs, theta: Float64Array): number {
  let sum = 0;
  const { a, b, scoreA, games } = pairs;
  for (let k = 0; k < a.length; k++) {
    const d = theta[a[k]!]! - theta[b[k]!]!;
    const s = scoreA[k]!;
    const rest = games[k]! - s;
    if (s > 0) sum += s * logSigmoid(d);
    if (rest > 0) sum += rest * logSigmoid(-d);
  }
  return sum;
}

/** Fills gradient, pair weights and Laplacian diagonal at θ; returns ℓ(θ). One pass over the pairs. */
function gradientAndWeights(pairs: UnorderedPairs, theta: Float64Array, work: NewtonWorkspace): number {
  const { a, b, scoreA, games } = pairs;
  const { gradient, diagonal, weights } = work;
  gradient.fill(0);
  diagonal.fill(0);
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    const i = a[k]!;
    const j = b[k]!;
    const d = theta[i]! - theta[j]!;
    const p = 1 / (1 + Math.exp(-d));
    const n = games[k]!;
    const s = scoreA[k]!;
    const g = s - n * p;
    gradient[i]! += g;
    gradient[j]! -= g;
    const w = n * p * (1 - p);
    weights[k] = w;
    diagonal[i]! += w;
    diagonal[j]! += w;
    if (s > 0) sum += s * logSigmoid(d);
    if (n - s > 0) sum += (n - s) * logSigmoid(-d);
  }
  return sum;
}

/**
 * Solves L·δ = g (L singular with null space 1; g ⟂ 1, so the system is consistent) by
 * Jacobi-preconditioned conjugate gradients; δ is returned with mean 0.
 */
function solveLaplacian(pairs: UnorderedPairs & { totalGames: number }, work: NewtonWorkspace): void {
  const { gradient, diagonal, weights, step, residual, direction, product, preconditioned } = work;
  const P = gradient.length;
  const { a, b } = pairs;
  // A weight can underflow to 0 for a hopeless mismatch; keep the preconditioner finite.
  let meanDiagonal = 0;
  for (let i = 0; i < P; i++) meanDiagonal += diagonal[i]! / P;
  const floor = Math.max(meanDiagonal * 1e-12, 1e-300);
  step.fill(0);
  residual.set(gradient);
  const gradientNorm = Math.sqrt(dot(gradient, gradient));
  if (gradientNorm === 0) return;
  // Inexact Newton: solve loosely while far from the optimum, tightly near it (relative
  // residual ~ √‖g‖ per game keeps the outer convergence superlinear).
  const forcing = Math.max(1e-10, Math.min(0.1, Math.sqrt(gradientNorm / pairs.totalGames)));
  for (let i = 0; i < P; i++) preconditioned[i] = residual[i]! / Math.max(diagonal[i]!, floor);
  direction.set(preconditioned);
  let rz = dot(residual, preconditioned);
  const maxSteps = 2 * P + 50;
  for (let it = 0; it < maxSteps; it++) {
    product.fill(0);
    for (let k = 0; k < a.length; k++) {
      const i = a[k]!;
      const j = b[k]!;
      const flow = weights[k]! * (direction[i]! - direction[j]!);
      product[i]! += flow;
      product[j]! -= flow;
    }
    const curvature = dot(direction, product);
    if (!(curvature > 0)) break;
    const alpha = rz / curvature;
    let residualNorm2 = 0;
    for (let i = 0; i < P; i++) {
      step[i]! += alpha * direction[i]!;
      residual[i]! -= alpha * product[i]!;
      residualNorm2 += residual[i]! * residual[i]!;
    }
    if (Math.sqrt(residualNorm2) <= forcing * gradientNorm) break;
    for (let i = 0; i < P; i++) preconditioned[i] = residual[i]! / Math.max(diagonal[i]!, floor);
    const rzNext = dot(residual, preconditioned);
    const beta = rzNext / rz;
    rz = rzNext;
    for (let i = 0; i < P; i++) direction[i] = preconditioned[i]! + beta * direction[i]!;
  }
  center(step);
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function center(x: Float64Array): void {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i]!;
  mean /= x.length;
  for (let i = 0; i < x.length; i++) x[i] = x[i]! - mean;
}
