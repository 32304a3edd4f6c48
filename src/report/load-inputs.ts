// Reads the figures stage's deps and assembles one GameFigureInput per game. Deps are told
// apart by content, not by path, so the pipeline may name them as it likes:
//   a JSON file with `sizeScaling`       → fits of one game (fit-scaling-laws.schema.json)
//   a JSON file with `players`, `method` → a rating table (rating-table.schema.json)
//   a directory holding compute.json     → one agent's training output (train-compute.schema.json),
//                                          the agent named by the directory (<game>-w<W>-c<K>)
// When a game has several rating tables (Bradley–Terry and BayesElo), the one whose Elo
// values the fits used is taken.
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { assertValid, readJson } from '../engine/json.ts';
import type { ScalingLawFits } from '../../schemas/types/fit-scaling-laws.ts';
import type { RatingTable } from '../../schemas/types/rating-table.ts';
import type { TrainingCompute } from '../../schemas/types/train-compute.ts';
import { parseCheckpointPlayer } from '../rating/pairings.ts';
import { joinRatedCheckpoints } from '../rating/tournament-fits.ts';
import { referenceLevels, type GameFigureInput } from './figure-inputs.ts';

const SCHEMAS = join(import.meta.dirname, '..', '..', 'schemas');

export interface LoadedDeps {
  fits: ScalingLawFits[];
  tables: { file: string; table: RatingTable }[];
  computeByAgent: Map<string, TrainingCompute>;
}

export function classifyDeps(deps: readonly string[]): LoadedDeps {
  const loaded: LoadedDeps = { fits: [], tables: [], computeByAgent: new Map() };
  for (const dep of deps) {
    if (statSync(dep).isDirectory()) {
      const computeFile = join(dep, 'compute.json');
      if (!existsSync(computeFile))
        throw new Error(`figures: dep ${dep} is a directory without compute.json; only train outputs may be directories`);
      loaded.computeByAgent.set(
        basename(dep),
        assertValid<TrainingCompute>(join(SCHEMAS, 'train-compute.schema.json'), readJson(computeFile), computeFile),
      );
      continue;
    }
    const json = readJson(dep) as Record<string, unknown>;
    if (json && typeof json === 'object' && 'sizeScaling' in json) {
      loaded.fits.push(assertValid<ScalingLawFits>(join(SCHEMAS, 'fit-scaling-laws.schema.json'), json, dep));
    } else if (json && typeof json === 'object' && 'players' in json && 'method' in json) {
      loaded.tables.push({ file: dep, table: assertValid<RatingTable>(join(SCHEMAS, 'rating-table.schema.json'), json, dep) });
    } else {
      throw new Error(`figures: dep ${dep} is neither scaling-law fits, a rating table nor a train output directory`);
    }
  }
  return loaded;
}

function tableGame(table: RatingTable): string | undefined {
  for (const p of table.players) {
    const parsed = parseCheckpointPlayer(p.name);
    if (parsed) return parsed.game;
  }
  return undefined;
}

/** Largest |Elo difference| between the fits' α_N points and a table's players (Infinity if none shared). */
function disagreement(fits: ScalingLawFits, table: RatingTable): number {
  const elo = new Map(table.players.map((p) => [p.name, p.elo]));
  let worst = -1;
  for (const p of [...fits.sizeScaling.pointsUsed, ...fits.sizeScaling.pointsExcluded]) {
    const e = elo.get(p.id);
    if (e === undefined) return Infinity;
    worst = Math.max(worst, Math.abs(e - p.y));
  }
  return worst < 0 ? Infinity : worst;
}

export function assembleInputs(loaded: LoadedDeps, log: (line: string) => void = () => {}): GameFigureInput[] {
  if (loaded.fits.length === 0) throw new Error('figures: no scaling-law fits among the deps; declare artifacts/fits/<game>.json');
  return loaded.fits.map((fits) => {
    const candidates = loaded.tables.filter(({ table }) => tableGame(table) === fits.game);
    if (candidates.length === 0)
      throw new Error(`figures: no rating table with ${fits.game} agents among the deps; declare the elo@${fits.game} output`);
    const ranked = candidates.map((c) => ({ ...c, off: disagreement(fits, c.table) })).sort((a, b) => a.off - b.off);
    const chosen = ranked[0]!;
    if (!Number.isFinite(chosen.off)) {
      throw new Error(
        `figures: the ${fits.game} fits name players that no rating table among the deps has (${candidates.map((c) => c.file).join(', ')})`,
      );
    }
    if (chosen.off > 1e-6) log(`figures: ${fits.game}: Elo of ${chosen.file} differs from the fits' by up to ${chosen.off.toFixed(3)}`);
    log(`figures: ${fits.game}: Elo from ${chosen.file} (${chosen.table.method})`);
    const { points, references } = joinRatedCheckpoints(fits.game, chosen.table, loaded.computeByAgent, 'figures');
    return { game: fits.game, fits, points, eloMethod: chosen.table.method, levels: referenceLevels(fits, references) };
  });
}
