// Stage report: the study's self-contained HTML report (outs[0], e.g. artifacts/report/index.html).
//
// Deps (told apart by kind, any order):
//   the figures stage's directory         <game>-fig<N>.{svg,data.json}
//   artifacts/fits/<game>.json            scaling-law fits, one per game, in the order shown
//   artifacts/benchmark/pentago           (optional) benchmark@pentago's choice, described;
//                                         then tournament.references.pentago.benchmark is a param
// Params: every declared key is listed in the budgets table beside the paper's value (see
//   src/report/paper-values.ts for the keys the paper has values for); their canonical JSON
//   hash is printed as the params hash. Suggested:
//   study.widths, study.copies, train.steps, train.checkpoints, train.bufferSize, train.reuse,
//   train.batchSize, mcts.simulations, and the tournament's keys once they exist.
// Also printed: the git commit (and dirty flag) and the tf backend from the train stages' run
// records. Those are volatile facts outside the stage key: a rerun is needed to refresh them.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { readJsonValidated, writeFileAtomic } from '../src/engine/json.ts';
import { projectPaths } from '../src/engine/paths.ts';
import { reportHtml } from '../src/report/html.ts';
import { loadFigureDirectory } from '../src/report/load-figures.ts';
import { flattenParams, paramsHash, trainBackends } from '../src/report/provenance.ts';
import type { ScalingLawFits } from '../schemas/types/fit-scaling-laws.ts';
import type { PentagoBenchmark } from '../schemas/types/params.ts';
import type { PentagoBenchmarkSelection } from '../schemas/types/pentago-benchmark.ts';

const FITS_SCHEMA = join(import.meta.dirname, '..', 'schemas', 'fit-scaling-laws.schema.json');
const SELECTION_SCHEMA = join(import.meta.dirname, '..', 'schemas', 'pentago-benchmark.schema.json');

function benchmarkSentence(ctx: StageContext, selection: PentagoBenchmarkSelection): string {
  const settings = ctx.param<PentagoBenchmark>('tournament.references.pentago.benchmark');
  const how = selection.chosenBy === 'pinned' ? 'named by params' : 'the strongest fully trained agent in the final training slice (Bradley–Terry)';
  return (
    `Pentago benchmark: ${selection.agent} at step ${selection.step}, ${how}, searching with ${settings.simulationsFactor}× the tournament's simulations; ` +
    `the exact endgame solver plays every position with at most ${settings.solverEmpties} empty cells. ` +
    `The paper's benchmark also kept to solver-optimal moves early in the game, from a full solution of Pentago that is not shipped here.`
  );
}

export async function run(ctx: StageContext): Promise<void> {
  const out = ctx.outs[0];
  if (out === undefined) throw new Error(`${ctx.id}: declare the report file (index.html) as the output`);
  const allDirectories = ctx.deps.filter((d) => statSync(d).isDirectory());
  const benchmarks = allDirectories.filter((d) => existsSync(join(d, 'selection.json')));
  const directories = allDirectories.filter((d) => !benchmarks.includes(d));
  if (directories.length !== 1) throw new Error(`${ctx.id}: expected one figures directory among the deps, found ${directories.length}`);
  const fits = ctx.deps.filter((d) => !statSync(d).isDirectory()).map((f) => readJsonValidated<ScalingLawFits>(FITS_SCHEMA, f));
  if (fits.length === 0) throw new Error(`${ctx.id}: declare the fits (artifacts/fits/<game>.json) as deps`);
  const figures = loadFigureDirectory(directories[0]!);
  const params = JSON.parse(JSON.stringify(ctx.params)) as unknown;
  const html = reportHtml({
    fits,
    figures,
    referencePlayers: benchmarks.map((dir) => benchmarkSentence(ctx, readJsonValidated<PentagoBenchmarkSelection>(SELECTION_SCHEMA, join(dir, 'selection.json')))),
    budgets: flattenParams(params),
    provenance: {
      backend: trainBackends(projectPaths(ctx.root, 'default').runs),
      gitCommit: ctx.git.commit ?? null,
      gitDirty: ctx.git.dirty ?? false,
      paramsHash: paramsHash(params),
      paramsHashCovers: "the report stage's declared params",
    },
  });
  writeFileAtomic(out, html);
  ctx.log(`report: ${figures.length} figures, ${fits.length} games → ${out}`);
}
