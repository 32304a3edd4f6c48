// Bradley–Terry fit time at the study's upper scale: 2,000 players, 200,000 pairs (seeded
// synthetic data). Printed against two baselines measured in the same run: one pass over the
// pairs (the cost unit of any iterative fit), and Hunter's MM iterations (the textbook
// algorithm) run to the same answer.
//
// Then match throughput at the paper's evaluation settings (300 simulations, c = 2, T = 0.25,
// no noise) on Connect Four, two freshly initialised agents of one width against each other
// (training changes the games' length and the cache's hit rate, not the cost per
// evaluation). Printed beside the baseline of the same run: batched forward passes of the
// network alone at the batch size the match produces, so the ratio is the share of time the
// network gets (the rest: tree search, game logic, batching).
// Usage: npm run bench:rating [-- --games 64 --concurrent 64 --simulations 300 --widths 16,256 --skip-fit]
// REPRO_BACKEND forces a tfjs backend.
import { performance } from 'node:perf_hooks';
import { selectBackend } from '../src/az/backend.ts';
import { PolicyValueNetwork } from '../src/az/network.ts';
import { Connect4Game } from '../src/games/connect4.ts';
import { randomPosition } from '../src/games/playout.ts';
import { playMatch } from '../src/rating/match-engine.ts';
import { AlphaZeroPlayer } from '../src/rating/players/alphazero.ts';
import { Rng } from '../src/engine/rng.ts';
import { sampleBinomial } from '../src/rating/binomial.ts';
import { fitBradleyTerry } from '../src/rating/bradley-terry.ts';
import { ELO_PER_NAT, expectedScore } from '../src/rating/elo.ts';
import { collapseToUnorderedPairs, type MatchResults, type UnorderedPairs } from '../src/rating/match-results.ts';

const PLAYERS = 2000;
const PAIRS = 200_000;
const GAMES = 50;

function syntheticResults(): MatchResults {
  const rng = new Rng(2023, 'rating-bench');
  // Elo spread like the study's: random player to near-perfect play.
  const elo = Float64Array.from({ length: PLAYERS }, () => rng.next() * 3000);
  const seen = new Set<number>();
  const first = new Int32Array(PAIRS);
  const second = new Int32Array(PAIRS);
  const wins = new Float64Array(PAIRS);
  const draws = new Float64Array(PAIRS);
  const losses = new Float64Array(PAIRS);
  for (let k = 0; k < PAIRS; ) {
    const a = rng.int(PLAYERS);
    const b = rng.int(PLAYERS);
    const key = Math.min(a, b) * PLAYERS + Math.max(a, b);
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    const score = expectedScore(elo[a]! - elo[b]!);
    const draw = Math.min(0.2, 2 * Math.min(score, 1 - score));
    const win = score - draw / 2;
    const w = sampleBinomial(rng, GAMES, win);
    const d = sampleBinomial(rng, GAMES - w, draw / (1 - win));
    first[k] = a;
    second[k] = b;
    wins[k] = w;
    draws[k] = d;
    losses[k] = GAMES - w - d;
    k++;
  }
  return { players: Array.from({ length: PLAYERS }, (_, i) => (i === 0 ? 'random' : `p${i}`)), first, second, wins, draws, losses };
}

/** One pass: what every iteration of any fit must at least do. */
function onePass(pairs: UnorderedPairs, theta: Float64Array, gradient: Float64Array): void {
  gradient.fill(0);
  for (let k = 0; k < pairs.a.length; k++) {
    const p = 1 / (1 + Math.exp(theta[pairs.b[k]!]! - theta[pairs.a[k]!]!));
    const g = pairs.scoreA[k]! - pairs.games[k]! * p;
    gradient[pairs.a[k]!]! += g;
    gradient[pairs.b[k]!]! -= g;
  }
}

/** Hunter's MM: γi ← points_i / Σ_j n_ij / (γi + γj), until no Elo moves by more than `toleranceElo`. */
function minorizationMaximization(pairs: UnorderedPairs, toleranceElo: number, maxIterations: number): { elo: Float64Array; iterations: number } {
  const P = pairs.playerCount;
  const points = new Float64Array(P);
  for (let k = 0; k < pairs.a.length; k++) {
    points[pairs.a[k]!]! += pairs.scoreA[k]!;
    points[pairs.b[k]!]! += pairs.games[k]! - pairs.scoreA[k]!;
  }
  let gamma = new Float64Array(P).fill(1);
  let next = new Float64Array(P);
  const denominator = new Float64Array(P);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    denominator.fill(0);
    for (let k = 0; k < pairs.a.length; k++) {
      const t = pairs.games[k]! / (gamma[pairs.a[k]!]! + gamma[pairs.b[k]!]!);
      denominator[pairs.a[k]!]! += t;
      denominator[pairs.b[k]!]! += t;
    }
    let logMean = 0;
    for (let i = 0; i < P; i++) {
      next[i] = points[i]! / denominator[i]!;
      logMean += Math.log(next[i]!) / P;
    }
    let largest = 0;
    for (let i = 0; i < P; i++) {
      next[i] = next[i]! / Math.exp(logMean);
      largest = Math.max(largest, Math.abs(Math.log(next[i]! / gamma[i]!)) * ELO_PER_NAT);
    }
    [gamma, next] = [next, gamma];
    if (largest < toleranceElo) break;
  }
  const elo = gamma.map((g) => Math.log(g) * ELO_PER_NAT);
  const zero = elo[0]!;
  return { elo: elo.map((e) => e - zero), iterations };
}

function time<T>(run: () => T, repeats = 1): { ms: number; value: T } {
  let value!: T;
  const start = performance.now();
  for (let r = 0; r < repeats; r++) value = run();
  return { ms: (performance.now() - start) / repeats, value };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

if (!process.argv.includes('--skip-fit')) benchFit();
await benchMatches();

function benchFit(): void {
const results = syntheticResults();
const pairs = collapseToUnorderedPairs(results);
const theta = new Float64Array(PLAYERS);
const gradient = new Float64Array(PLAYERS);
time(() => onePass(pairs, theta, gradient), 5); // warm up
const pass = time(() => onePass(pairs, theta, gradient), 20);
fitBradleyTerry(results, { anchor: 'random' }); // warm up
const newton = time(() => fitBradleyTerry(results, { anchor: 'random', toleranceElo: 1e-3 }), 3);
const mm = time(() => minorizationMaximization(pairs, 1e-3, 20_000));
let maxDifference = 0;
for (let i = 0; i < PLAYERS; i++) maxDifference = Math.max(maxDifference, Math.abs(newton.value.elo[i]! - mm.value.elo[i]!));

console.log(`Bradley–Terry, ${PLAYERS} players, ${pairs.a.length} pairs × ${GAMES} games (Elo span ~3,000), tolerance 1e-3 Elo`);
console.log(`  one pass over the pairs        ${pass.ms.toFixed(2)} ms`);
console.log(`  fitBradleyTerry (Newton + PCG) ${newton.ms.toFixed(1)} ms  = ${(newton.ms / pass.ms).toFixed(0)} passes, ${newton.value.iterations} Newton steps, converged ${newton.value.converged}`);
console.log(`  Hunter MM (naive baseline)     ${mm.ms.toFixed(1)} ms  = ${(mm.ms / pass.ms).toFixed(0)} passes, ${mm.value.iterations} iterations`);
console.log(`  speed-up over MM               ${(mm.ms / newton.ms).toFixed(1)}×   (max |Elo difference| between the two: ${maxDifference.toFixed(4)})`);
}

/** Forward passes per second of `net` at batch size `batch`, on positions of a real game. */
function rawEvaluationsPerSecond(net: PolicyValueNetwork, game: Connect4Game, batch: number, seconds: number): number {
  const observations = new Float32Array(batch * game.observationSize);
  const masks = new Uint8Array(batch * game.numActions);
  const rng = new Rng(5, 'bench/raw');
  for (let i = 0; i < batch; i++) {
    const state = randomPosition(game, rng, rng.int(20));
    game.writeObservation(state, observations, i * game.observationSize);
    game.legalMask(state, masks, i * game.numActions);
  }
  net.predict(observations, masks, batch);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    net.predict(observations, masks, batch);
    calls++;
  }
  return (calls * batch) / ((performance.now() - start) / 1000);
}

async function benchMatches(): Promise<void> {
  const backend = await selectBackend({ log: () => {} });
  const games = Number(arg('games', '64'));
  const concurrentGames = Number(arg('concurrent', '64'));
  const simulations = Number(arg('simulations', '300'));
  const widths = arg('widths', '16,256').split(',').map(Number);
  const game = new Connect4Game();
  console.log(
    `\nMatch throughput, Connect Four, ${simulations} simulations, c = 2, T = 0.25, no noise; ${games} games, ${concurrentGames} at once; ` +
      `fresh networks; tfjs backend ${backend.name} (${backend.device})`,
  );
  for (const width of widths) {
    const shape = { inputSize: game.observationSize, numActions: game.numActions, width };
    const search = { simulations, c: 2, temperature: 0.25, cacheSize: 65536 };
    const netA = PolicyValueNetwork.create(shape, 1);
    const a = new AlphaZeroPlayer(game, netA, `connect4-w${width}-c0@0`, search);
    const b = new AlphaZeroPlayer(game, PolicyValueNetwork.create(shape, 2), `connect4-w${width}-c1@0`, search);
    // Warm-up: JIT and backend kernels, on a separate short match.
    await playMatch(game, a, b, { games: 2, seed: 0, concurrentGames: 2 });
    for (const s of [a.stats, b.stats]) Object.assign(s, { moves: 0, simulations: 0, evaluations: 0, networkCalls: 0 });
    const start = performance.now();
    const outcome = await playMatch(game, a, b, { games, seed: 1, concurrentGames });
    const seconds = (performance.now() - start) / 1000;
    const evaluations = a.stats.evaluations + b.stats.evaluations;
    const calls = a.stats.networkCalls + b.stats.networkCalls;
    const simulated = a.stats.simulations + b.stats.simulations;
    const meanBatch = Math.max(1, Math.round(evaluations / calls));
    const raw = rawEvaluationsPerSecond(netA, game, meanBatch, 2);
    console.log(`  width ${String(width).padStart(3)}: ${(games / seconds).toFixed(2)} games/s (${(outcome.plies / games).toFixed(1)} plies/game, ${seconds.toFixed(1)} s)`);
    console.log(
      `             ${(evaluations / seconds).toFixed(0)} network evaluations/s at a mean batch of ${meanBatch} ` +
        `(${((1 - evaluations / simulated) * 100).toFixed(0)}% of simulations answered by the cache or a terminal); ` +
        `raw forward passes at that batch ${raw.toFixed(0)}/s: the match runs at ${((evaluations / seconds / raw) * 100).toFixed(0)}% of the raw rate`,
    );
    a.dispose();
    b.dispose();
  }
}
