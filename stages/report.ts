// Stage report: the study's self-contained HTML report (outs[0], e.g. artifacts/report/index.html).
//
// Deps (told apart by kind, any order):
//   the figures stage's directory         <game>-fig<N>.{svg,data.json}
//   artifacts/fits/<game>.json            scaling-law fits, one per game, in the order shown
// Params: every declared key is listed in the budgets table beside the paper's value (see
//   src/report/paper-values.ts for the keys the paper has values for); their canonical JSON
//   hash is printed as the params hash. Suggested:
//   study.widths, study.copies, train.steps, train.checkpoints, train.bufferSize, train.reuse,
//   train.batchSize, mcts.simulations, and the tournament's keys once they exist.
// Also printed: the git commit (and dirty flag) and the tf backend from the train stages' run
// records. Those are volatile facts outside the stage key: a rerun is needed to refresh them.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { readJsonValidated, writeFileAtomic } from '../src/engine/json.ts';
import { projectPaths } from '../src/engine/project.ts';
import { gitFacts } from '../src/engine/runrecord.ts';
import { reportHtml } from '../src/report/html.ts';
import { loadFigureDirectory } from '../src/report/load-figures.ts';
import { flattenParams, paramsHash, trainBackends } from '../src/report/provenance.ts';
import type { ScalingLawFits } from '../schemas/types/fit-scaling-laws.ts';

const FITS_SCHEMA = join(import.meta.dirname, '..', 'schemas', 'fit-scaling-laws.schema.json');

export async function run(ctx: StageContext): Promise<void> {
  const out = ctx.outs[0];
  if (out === undefined) throw new Error(`${ctx.id}: declare the report file (index.html) as the output`);
  const directories = ctx.deps.filter((d) => statSync(d).isDirectory());
  if (directories.length !== 1) throw new Error(`${ctx.id}: expected one figures directory among the deps, found ${directories.length}`);
  const fits = ctx.deps.filter((d) => !statSync(d).isDirectory()).map((f) => readJsonValidated<ScalingLawFits>(FITS_SCHEMA, f));
  if (fits.length === 0) throw new Error(`${ctx.id}: declare the fits (artifacts/fits/<game>.json) as deps`);
  const figures = loadFigureDirectory(directories[0]!);
  const git = await gitFacts(ctx.root);
  const params = JSON.parse(JSON.stringify(ctx.params)) as unknown;
  const html = reportHtml({
    fits,
    figures,
    budgets: flattenParams(params),
    provenance: {
      backend: trainBackends(projectPaths(ctx.root, 'default').runs),
      gitCommit: git.commit ?? null,
      gitDirty: git.dirty ?? false,
      paramsHash: paramsHash(params),
      paramsHashCovers: "the report stage's declared params",
    },
  });
  writeFileAtomic(out, html);
  ctx.log(`report: ${figures.length} figures, ${fits.length} games → ${out}`);
}
