// Stage figures: the five figures of every game, as SVG, PNG and the JSON of the data drawn.
//
// Deps (told apart by content, any order; see src/report/load-inputs.ts):
//   artifacts/fits/<game>.json            scaling-law fits (schemas/fit-scaling-laws.schema.json)
//   the rating table the fits used        elo@<game> output (schemas/rating-table.schema.json);
//                                         players `<game>-w<W>-c<K>@<step>` are agents, others
//                                         (solver, random, benchmark) are drawn as levels
//   artifacts/train/<game>-w<W>-c<K>      every rated agent's output directory (its compute.json)
// Outs:
//   outs[0]  a directory: <game>-fig<N>.svg, <game>-fig<N>.png, <game>-fig<N>.data.json
//            (N = 1…5; the data JSON per schemas/report-figure-data.schema.json)
//   outs[1]  optional: one JSON of all figure data keyed by <game>-fig<N>
//            (schemas/report-figures.schema.json), the file to verify with a tolerance, e.g.
//            verify: { fields: ['figures.*.fit', 'figures.*.line', 'figures.*.means'], rel: 1e-6 }
// Params: none. Same deps give the same bytes (PNG text drawn with DejaVu Sans where installed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { writeJsonValidated } from '../src/engine/json.ts';
import { buildFigures } from '../src/report/figures.ts';
import { assembleInputs, classifyDeps } from '../src/report/load-inputs.ts';
import { renderFigure } from '../src/report/render.ts';
import type { ReportFigures } from '../schemas/types/report-figures.ts';

const SCHEMAS = join(import.meta.dirname, '..', 'schemas');

export async function run(ctx: StageContext): Promise<void> {
  const dir = ctx.outs[0];
  if (dir === undefined) throw new Error(`${ctx.id}: declare the figures directory as the first output`);
  const inputs = assembleInputs(classifyDeps(ctx.deps), (line) => ctx.log(line));
  mkdirSync(dir, { recursive: true });
  const all: ReportFigures = { figures: {} };
  const figures = inputs.flatMap((input) => buildFigures(input));
  let done = 0;
  for (const figure of figures) {
    const { svg, png } = await renderFigure(figure.spec, { idPrefix: figure.name, onWarning: (m) => ctx.log(`${figure.name}: ${m}`) });
    writeFileSync(join(dir, `${figure.name}.svg`), svg);
    writeFileSync(join(dir, `${figure.name}.png`), png);
    writeJsonValidated(join(SCHEMAS, 'report-figure-data.schema.json'), join(dir, `${figure.name}.data.json`), figure.data);
    all.figures[figure.name] = figure.data;
    ctx.progress(++done, figures.length, figure.name);
  }
  if (ctx.outs[1] !== undefined) writeJsonValidated(join(SCHEMAS, 'report-figures.schema.json'), ctx.outs[1], all);
}
