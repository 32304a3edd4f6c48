// Stage: the scaling-law fits of one game (fits@<game>, declared by src/rating/tournament-plan.ts).
// Deps: the rating table chosen by fits.eloMethod (a JSON file, schemas/rating-table.schema.json)
// and artifacts/train/<agent> of every agent (directories; their compute.json).
// Params: fits (eloMethod, level, sizePlateau, pointPlateauMargin, budgetsPerDecade).
// Output (outs[0]): schemas/fit-scaling-laws.schema.json.

import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { StageContext } from '../src/engine/context.ts';
import { readJsonValidated, writeJsonValidated } from '../src/engine/json.ts';
import { readCompute } from '../src/rating/players/checkpoints.ts';
import { fitTournament } from '../src/rating/tournament-fits.ts';
import type { RatingTable } from '../schemas/types/rating-table.ts';
import type { TrainingCompute } from '../schemas/types/train-compute.ts';
import type { FitSettings } from '../schemas/types/params.ts';

const SCHEMAS = join(import.meta.dirname, '..', 'schemas');

export async function run(ctx: StageContext): Promise<void> {
  const out = ctx.outs[0];
  if (out === undefined) throw new Error(`${ctx.id}: declare one output (the fits JSON)`);
  const game = ctx.args['game'] as string;
  const settings = ctx.param<FitSettings>('fits');
  const tables: RatingTable[] = [];
  const computeByAgent = new Map<string, TrainingCompute>();
  for (const dep of ctx.deps) {
    if (statSync(dep).isDirectory()) computeByAgent.set(basename(dep), readCompute(dep));
    else tables.push(readJsonValidated<RatingTable>(join(SCHEMAS, 'rating-table.schema.json'), dep));
  }
  if (tables.length !== 1) throw new Error(`${ctx.id}: expected one rating table among the deps, found ${tables.length}`);
  const table = tables[0]!;
  if (table.method !== settings.eloMethod) {
    throw new Error(`${ctx.id}: params.json fits.eloMethod is ${settings.eloMethod} but the rating table dep is ${table.method}`);
  }
  const { fits, leftOut } = fitTournament(game, table, computeByAgent, settings);
  if (leftOut.length > 0) ctx.log(`left out of the fits (no training compute yet): ${leftOut.join(', ')}`);
  writeJsonValidated(join(SCHEMAS, 'fit-scaling-laws.schema.json'), out, fits);
}
