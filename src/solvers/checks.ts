// The checks that prove the games and solvers before any agent trains (the solver-check
// stage). Each returns one SolverCheck row; references are published counts, the
// benchmark sets' exact scores, or an independent plain search.
import type { SolverCheck } from '../../schemas/types/solver-check.ts';
import { Rng } from '../engine/rng.ts';
import type { Game } from '../games/game.ts';
import { canonicalKey, countDistinctByPly, perft } from '../games/playout.ts';
import type { PentagoGame, PentagoState } from '../games/pentago.ts';
import { loadBenchmarkSet, type BenchmarkSet } from './connect4/benchmark-sets.ts';
import { Position } from './connect4/position.ts';
import { Solver } from './connect4/solver.ts';
import { solvePentagoEndgame } from './pentago-endgame.ts';

export type { SolverCheck };

/** Connect Four 7x6 reference counts (data/connect4/README.md): move sequences and distinct positions by ply. */
export const CONNECT4_PERFT = [1, 7, 49, 343, 2401, 16807, 117649, 823536, 5673234, 39394572, 268031646];
export const CONNECT4_DISTINCT = [1, 7, 49, 238, 1120, 4263, 16422, 54859, 184275, 558186, 1662623];
/** Pentago: move sequences Π 8·(36−i) (no game ends before ply 9), boards up to symmetry (SPEC-paper.md). */
export const PENTAGO_PERFT = Array.from({ length: 9 }, (_, k) => Array.from({ length: k }, (_, i) => 8 * (36 - i)).reduce((a, b) => a * b, 1));
export const PENTAGO_DISTINCT_UP_TO_SYMMETRY = [1, 6, 165, 2715, 44481, 471870, 4871510, 36527160, 264802788];

const micros = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1000;

function row(name: string, positions: number, correct: number, meanMicros: number, meanNodes: number, detail?: string): SolverCheck {
  const r: SolverCheck = { name, ok: positions > 0 && correct === positions, positions, correct, meanMicros, meanNodes };
  if (detail) r.detail = detail;
  return r;
}

/** A seeded sample of `count` positions of a benchmark set (all of them when count ≥ its size), solved exactly. */
export function connect4BenchmarkCheck(root: string, set: BenchmarkSet, count: number, seed: number, solver = new Solver()): SolverCheck {
  const all = loadBenchmarkSet(root, set.file);
  const picked = count >= all.length ? all : (new Rng(seed, set.file).shuffle([...all]) as typeof all).slice(0, count);
  let correct = 0;
  let nodes = 0;
  let us = 0;
  let detail: string | undefined;
  for (const p of picked) {
    const pos = Position.fromMoves(p.moves);
    solver.reset();
    const t0 = process.hrtime.bigint();
    const score = solver.solve(pos);
    us += micros(t0);
    nodes += solver.nodeCount;
    if (score === p.score) correct++;
    else detail ??= `${p.moves}: solved ${score}, expected ${p.score}`;
  }
  const n = picked.length;
  return row(`benchmark ${set.name}`, n, correct, n ? us / n : 0, n ? nodes / n : 0, detail);
}

/** Move-sequence counts by ply against a reference list. */
export function perftCheck<S>(game: Game<S>, expected: readonly number[], depth: number): SolverCheck {
  let correct = 0;
  let detail: string | undefined;
  const t0 = process.hrtime.bigint();
  for (let d = 0; d <= depth; d++) {
    const n = perft(game, game.initialState(), d);
    if (n === expected[d]) correct++;
    else detail ??= `ply ${d}: ${n} move sequences, expected ${expected[d]}`;
  }
  return row(`perft to ply ${depth}`, depth + 1, correct, micros(t0) / (depth + 1), 0, detail);
}

/** Distinct positions by ply (optionally up to symmetry) against a reference list. */
export function distinctCheck<S>(game: Game<S>, expected: readonly number[], depth: number, upToSymmetry: boolean): SolverCheck {
  const t0 = process.hrtime.bigint();
  const { distinct } = countDistinctByPly(game, depth, upToSymmetry ? (s) => canonicalKey(game, s) : undefined);
  let correct = 0;
  let detail: string | undefined;
  distinct.forEach((n, d) => {
    if (n === expected[d]) correct++;
    else detail ??= `ply ${d}: ${n} distinct positions, expected ${expected[d]}`;
  });
  return row(`distinct positions${upToSymmetry ? ' up to symmetry' : ''} to ply ${depth}`, depth + 1, correct, micros(t0) / (depth + 1), 0, detail);
}

/**
 * Symmetries commute with play along seeded random games: for every state, symmetry g and
 * legal action a, g(apply(s, a)) = apply(g(s), perm_g(a)), with equal terminal values.
 */
export function symmetryCheck<S>(game: Game<S>, playouts: number, seed: number): SolverCheck {
  const rng = new Rng(seed, `symmetry-${game.name}`);
  let positions = 0;
  let correct = 0;
  let detail: string | undefined;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < playouts; i++) {
    let s = game.initialState();
    const played: number[] = [];
    while (!game.isTerminal(s)) {
      const actions = game.legalActions(s);
      const a = actions[rng.int(actions.length)]!;
      const next = game.apply(s, a);
      let ok = true;
      for (let g = 1; g < game.numSymmetries; g++) {
        const image = game.transformState(s, g);
        const mapped = game.actionPermutation(g)[a]!;
        const viaImage = game.isLegal(image, mapped) ? game.apply(image, mapped) : null;
        if (!viaImage || game.key(viaImage) !== game.key(game.transformState(next, g)) || game.terminalValue(viaImage) !== game.terminalValue(next)) {
          ok = false;
          detail ??= `symmetry ${g} breaks after ${game.formatMoves(played) || '(start)'} with ${game.actionToString(a)}`;
        }
      }
      positions++;
      if (ok) correct++;
      played.push(a);
      s = next;
    }
  }
  return row('symmetry invariants', positions, correct, positions ? micros(t0) / positions : 0, 0, detail);
}

/** Plain negamax with alpha-beta and nothing else: the independent reference for the endgame solver. */
export function plainNegamax<S>(game: Game<S>, s: S, alpha = -1, beta = 1, counter = { nodes: 0 }): number {
  counter.nodes++;
  const v = game.terminalValue(s);
  if (v !== null) return v;
  let best = -1;
  for (const a of game.legalActions(s)) {
    const score = -plainNegamax(game, game.apply(s, a), -beta, -alpha, counter);
    if (score > best) best = score;
    if (best > alpha) alpha = best;
    if (alpha >= beta) break;
  }
  return best;
}

/** Seeded random late positions (games played at random until `empties` cells are left, still undecided). */
export function latePentagoPositions(game: PentagoGame, count: number, empties: number, seed: number): PentagoState[] {
  const rng = new Rng(seed, `pentago-late-${empties}`);
  const out: PentagoState[] = [];
  while (out.length < count) {
    let s = game.initialState();
    while (!game.isTerminal(s) && 36 - game.ply(s) > empties) {
      const actions = game.legalActions(s);
      s = game.apply(s, actions[rng.int(actions.length)]!);
    }
    if (!game.isTerminal(s)) out.push(s);
  }
  return out;
}

export function pentagoEndgameCheck(game: PentagoGame, count: number, empties: number, seed: number): SolverCheck {
  let correct = 0;
  let nodes = 0;
  let us = 0;
  let detail: string | undefined;
  const positions = latePentagoPositions(game, count, empties, seed);
  for (const s of positions) {
    const t0 = process.hrtime.bigint();
    const r = solvePentagoEndgame(game, s, { maxEmpties: Math.max(16, empties) });
    us += micros(t0);
    nodes += r?.nodes ?? 0;
    const reference = plainNegamax(game, s);
    if (r && r.value === reference) correct++;
    else detail ??= `position\n${game.render(s)}\nendgame solver ${r?.value ?? 'gave up'}, negamax ${reference}`;
  }
  return row(`endgame solver vs negamax, ${empties} empty cells`, positions.length, correct, positions.length ? us / positions.length : 0, positions.length ? nodes / positions.length : 0, detail);
}
