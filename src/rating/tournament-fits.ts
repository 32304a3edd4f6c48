// From a game's rating table and its agents' compute records to the scaling-law fits:
// every rated checkpoint becomes a TrainingPoint (parameters and the paper's training
// compute C = S·T·F·D from compute.json), and the plateau is the Elo of perfect play: the
// Connect Four solver. Pentago has no perfect player for the whole game; its benchmark is one
// of the study's own agents with more search (as in the paper), so agents near it are strong,
// not on a plateau, and no Pentago point is left out for it (it stays a reference level).

import type { RatingTable } from '../../schemas/types/rating-table.ts';
import type { TrainingCompute } from '../../schemas/types/train-compute.ts';
import type { FitSettings } from '../../schemas/types/params.ts';
import type { PlateauRule, TrainingPoint } from './fit-types.ts';
import { parseCheckpointPlayer } from './pairings.ts';
import { PERFECT_PLAYER } from './players/connect4-solver.ts';
import { fitScalingLaws, type ScalingLawFits, type ScalingLawOptions } from './scaling-laws.ts';

/** The reference player whose level is the game's perfect-play plateau, if the game has one. */
export function plateauPlayer(game: string): string | undefined {
  return game === 'connect4' ? PERFECT_PLAYER : undefined;
}

/** A rated player that is not a checkpoint of the game's agents: a reference level (solver, benchmark, random). */
export interface ReferencePlayer {
  name: string;
  elo: number;
}

/**
 * A game's rating table joined with its agents' compute records: every rated checkpoint of
 * the game's agents as a TrainingPoint (parameters, step, the paper's compute C = S·T·F·D),
 * and the players that are no agent's checkpoint as references. A checkpoint without its
 * compute is an error naming `stage`, whose deps lack that agent's train output.
 */
export function joinRatedCheckpoints(
  game: string,
  table: RatingTable,
  computeByAgent: ReadonlyMap<string, TrainingCompute>,
  stage: string,
): { points: TrainingPoint[]; references: ReferencePlayer[] } {
  const points: TrainingPoint[] = [];
  const references: ReferencePlayer[] = [];
  for (const player of table.players) {
    const parsed = parseCheckpointPlayer(player.name);
    if (!parsed) {
      references.push({ name: player.name, elo: player.elo });
      continue;
    }
    if (parsed.game !== game) continue;
    const compute = computeByAgent.get(parsed.agent);
    if (!compute) {
      throw new Error(
        `${stage}: rated player '${player.name}' has no compute.json (no train output for agent '${parsed.agent}' among the deps); declare artifacts/train/${parsed.agent} as a dep of ${stage}`,
      );
    }
    const checkpoint = compute.checkpoints.find((c) => c.step === parsed.step);
    if (!checkpoint) {
      throw new Error(
        `${stage}: rated player '${player.name}': compute.json of '${parsed.agent}' has no checkpoint at step ${parsed.step} (it has ${compute.checkpoints.map((c) => c.step).join(', ')})`,
      );
    }
    points.push({
      id: player.name,
      agent: parsed.agent,
      parameters: compute.parameters,
      step: parsed.step,
      compute: checkpoint.paperCompute,
      elo: player.elo,
    });
  }
  return { points, references };
}

/**
 * The checkpoints the fits can use. Step 0 (the untrained network, no compute) is rated but
 * cannot sit on a log compute axis, so it is left out and reported.
 */
export function trainingPoints(
  game: string,
  table: RatingTable,
  computeByAgent: ReadonlyMap<string, TrainingCompute>,
): { points: TrainingPoint[]; leftOut: string[] } {
  const { points } = joinRatedCheckpoints(game, table, computeByAgent, `fits@${game}`);
  return { points: points.filter((p) => p.compute > 0), leftOut: points.filter((p) => !(p.compute > 0)).map((p) => p.id) };
}

/** The fits' plateau rules: the settings' kinds, at the plateau player's Elo; none without that player. */
export function plateauRules(game: string, table: RatingTable, settings: FitSettings): Pick<ScalingLawOptions, 'sizePlateau' | 'pointPlateau'> {
  const plateau = plateauPlayer(game);
  const top = plateau === undefined ? undefined : table.players.find((p) => p.name === plateau);
  if (!top) return { sizePlateau: { kind: 'none' }, pointPlateau: { kind: 'none' } };
  const rule = settings.sizePlateau;
  const sizePlateau: PlateauRule =
    rule.kind === 'none'
      ? rule
      : rule.kind === 'within'
        ? { kind: 'within', plateauElo: top.elo, margin: rule.margin }
        : { kind: 'not-significantly-below', plateauElo: top.elo, level: rule.level };
  const pointPlateau: PlateauRule =
    settings.pointPlateauMargin === null ? { kind: 'none' } : { kind: 'within', plateauElo: top.elo, margin: settings.pointPlateauMargin };
  return { sizePlateau, pointPlateau };
}

export function fitTournament(
  game: string,
  table: RatingTable,
  computeByAgent: ReadonlyMap<string, TrainingCompute>,
  settings: FitSettings,
): { fits: ScalingLawFits; leftOut: string[] } {
  const { points, leftOut } = trainingPoints(game, table, computeByAgent);
  try {
    const fits = fitScalingLaws(game, points, {
      ...plateauRules(game, table, settings),
      level: settings.level,
      budgetsPerDecade: settings.budgetsPerDecade,
    });
    return { fits, leftOut };
  } catch (e) {
    // The fits need at least 3 points per line: name what this tournament gave them.
    const agents = new Set(points.map((p) => p.agent)).size;
    const sizes = new Set(points.map((p) => p.parameters)).size;
    throw new Error(
      `fits@${game}: ${(e as Error).message} (${points.length} rated checkpoints of ${agents} agents in ${sizes} sizes; ` +
        'α_N needs 3 fully trained agents over at least 2 sizes below the plateau, α_C 3 Pareto-front points: train more widths, copies or checkpoints)',
    );
  }
}
