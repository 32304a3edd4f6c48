// What the figures of one game are drawn from: the fits (fits@game), and every rated
// (agent, checkpoint) with its size, step and training compute. The fits alone do not carry
// the latter (they keep only the points each fit used, on log axes), so the points are joined
// here from the rating table (elo@game) and each agent's compute.json (train@…).
import type { ScalingLawFits } from '../../schemas/types/fit-scaling-laws.ts';
import type { RatingTable } from '../../schemas/types/rating-table.ts';
import type { TrainingCompute } from '../../schemas/types/train-compute.ts';
import type { TrainingPoint } from '../rating/fit-types.ts';

export interface Level {
  name: string;
  elo: number;
}

export interface GameFigureInput {
  game: string;
  fits: ScalingLawFits;
  /** Every agent at every rated checkpoint. */
  points: TrainingPoint[];
  /** Rating method of every Elo drawn, for axis titles. */
  eloMethod: string;
  /** Horizontal reference levels (perfect play / benchmark, other reference players). */
  levels: Level[];
}

/** A rated player that is an agent's checkpoint: `<agent>@<step>`, agent `<game>-w<width>-c<copy>`. */
const AGENT_PLAYER = /^(?<agent>(?<game>[a-z0-9]+)-w(?<width>\d+)-c(?<copy>\d+))@(?<step>\d+)$/;

export function parseAgentPlayer(name: string): { agent: string; game: string; width: number; copy: number; step: number } | undefined {
  const m = AGENT_PLAYER.exec(name);
  if (!m?.groups) return undefined;
  const g = m.groups as Record<'agent' | 'game' | 'width' | 'copy' | 'step', string>;
  return { agent: g.agent, game: g.game, width: Number(g.width), copy: Number(g.copy), step: Number(g.step) };
}

/**
 * Joins a game's rating table with its agents' compute accounting. Compute is the paper's
 * C = S·T·F·D (`paperCompute`), the definition the fits use. Players that are not agents
 * (solvers, benchmarks, random) become reference levels instead.
 */
export function joinRatingsWithCompute(
  game: string,
  table: RatingTable,
  computeByAgent: ReadonlyMap<string, TrainingCompute>,
): { points: TrainingPoint[]; references: Level[] } {
  const points: TrainingPoint[] = [];
  const references: Level[] = [];
  for (const player of table.players) {
    const parsed = parseAgentPlayer(player.name);
    if (!parsed) {
      references.push({ name: player.name, elo: player.elo });
      continue;
    }
    if (parsed.game !== game) continue;
    const compute = computeByAgent.get(parsed.agent);
    if (!compute) {
      throw new Error(
        `figures: rated player '${player.name}' has no compute.json (no train output for agent '${parsed.agent}' among the deps); declare artifacts/train/${parsed.agent} as a dep of the figures stage`,
      );
    }
    const checkpoint = compute.checkpoints.find((c) => c.step === parsed.step);
    if (!checkpoint) {
      throw new Error(
        `figures: rated player '${player.name}': compute.json of '${parsed.agent}' has no checkpoint at step ${parsed.step} (it has ${compute.checkpoints.map((c) => c.step).join(', ')})`,
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

/** The perfect-play plateau the fits left out (Connect Four's solver), if any. */
export function plateauLevel(fits: ScalingLawFits): Level | undefined {
  const rule = fits.sizeScaling.plateauRule;
  if (rule.kind === 'none') return undefined;
  return { name: 'perfect play', elo: rule.plateauElo };
}

/** Plateau first, then references not already drawn at (nearly) the same Elo. */
export function referenceLevels(fits: ScalingLawFits, references: readonly Level[]): Level[] {
  const levels: Level[] = [];
  const plateau = plateauLevel(fits);
  if (plateau) levels.push(plateau);
  for (const r of [...references].sort((a, b) => b.elo - a.elo || a.name.localeCompare(b.name))) {
    if (!levels.some((l) => Math.abs(l.elo - r.elo) < 1e-6)) levels.push(r);
  }
  return levels;
}
