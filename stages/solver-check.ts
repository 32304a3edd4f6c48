// Stage solver-check@<game>: proves a game engine and its solvers before any agent trains.
// Writes artifacts/solver-check/<game>.json (outs[0], with timings) and the same report
// without timings (outs[1]): downstream stages depend on the latter, so that a rerun with
// different timings cuts off instead of invalidating every agent. Fails (after writing,
// for the log) if any check fails, so nothing downstream trains on a broken game.
import { join } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { writeJsonValidated } from '../src/engine/json.ts';
import { getGame } from '../src/games/index.ts';
import {
  CONNECT4_DISTINCT,
  CONNECT4_PERFT,
  PENTAGO_DISTINCT_UP_TO_SYMMETRY,
  PENTAGO_PERFT,
  connect4BenchmarkCheck,
  distinctCheck,
  pentagoEndgameCheck,
  perftCheck,
  symmetryCheck,
  type SolverCheck,
} from '../src/solvers/checks.ts';
import { BENCHMARK_SETS } from '../src/solvers/connect4/benchmark-sets.ts';
import { Solver } from '../src/solvers/connect4/solver.ts';
import type { SolverCheckReport } from '../schemas/types/solver-check.ts';
import type { Params } from '../schemas/types/params.ts';

const SCHEMA = join(import.meta.dirname, '..', 'schemas', 'solver-check.schema.json');

export async function run(ctx: StageContext<Params>): Promise<void> {
  const game = ctx.args.game as 'connect4' | 'pentago';
  const checks: SolverCheck[] = [];
  const step = (c: SolverCheck, total: number) => {
    checks.push(c);
    ctx.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.correct}/${c.positions}${c.meanMicros ? `, ${c.meanMicros.toFixed(1)} µs` : ''}${c.meanNodes ? `, ${c.meanNodes.toFixed(0)} nodes` : ''}${c.detail ? ` — ${c.detail}` : ''}`);
    ctx.progress(checks.length, total);
  };
  if (game === 'connect4') {
    const p = ctx.params.solverCheck.connect4;
    const g = getGame('connect4');
    const total = BENCHMARK_SETS.length + 3;
    const solver = new Solver();
    for (const set of BENCHMARK_SETS) {
      const count = set.name === 'Begin-Hard' ? p.beginHardPositions : p.positionsPerSet;
      if (count > 0) step(connect4BenchmarkCheck(ctx.root, set, count, ctx.seed, solver), total);
    }
    step(perftCheck(g, CONNECT4_PERFT, p.perftDepth), total);
    step(distinctCheck(g, CONNECT4_DISTINCT, p.distinctDepth, false), total);
    step(symmetryCheck(g, p.symmetryPlayouts, ctx.seed), total);
  } else {
    const p = ctx.params.solverCheck.pentago;
    const g = getGame('pentago');
    const total = 4;
    step(perftCheck(g, PENTAGO_PERFT, p.perftDepth), total);
    step(distinctCheck(g, PENTAGO_DISTINCT_UP_TO_SYMMETRY, p.distinctDepth, true), total);
    step(symmetryCheck(g, p.symmetryPlayouts, ctx.seed), total);
    step(pentagoEndgameCheck(g, p.endgamePositions, p.endgameEmpties, ctx.seed), total);
  }
  const report: SolverCheckReport = { game, ok: checks.every((c) => c.ok), checks };
  writeJsonValidated(SCHEMA, ctx.outs[0]!, report);
  writeJsonValidated(SCHEMA, ctx.outs[1]!, { ...report, checks: checks.map((c) => ({ ...c, meanMicros: 0 })) });
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) throw new Error(`solver-check@${game}: ${failed.map((c) => `${c.name} (${c.detail ?? `${c.correct}/${c.positions}`})`).join('; ')}`);
}
