// The numbers behind each figure, in natural units (FLOPs, parameters, Elo): what the specs
// draw and what `<game>-fig<N>.data.json` stores for `repro verify` to compare. Everything is
// sorted, so the same input gives the same bytes.
import type {
  CheckpointFigure,
  ComputeFigure,
  LawFit,
  OptimalSizeFigure,
  ReportFigureData,
  SampleEfficiencyFigure,
  SizeScalingFigure,
} from '../../schemas/types/report-figure-data.ts';
import type { Interval, LinearFit } from '../../schemas/types/fit-scaling-laws.ts';
import type { TrainingPoint } from '../rating/fit-types.ts';
import { isFittedFrontier } from '../rating/pareto-front.ts';
import { finalCheckpoints } from '../rating/scaling-laws.ts';
import type { GameFigureInput } from './figure-inputs.ts';
import { PAPER_EXPONENTS } from './paper-values.ts';
import { REFERENCE_MODELS } from './reference-models.ts';

export type { ReportFigureData } from '../../schemas/types/report-figure-data.ts';

const GAME_NAMES: Record<string, string> = { connect4: 'Connect Four', pentago: 'Pentago' };

export function gameName(game: string): string {
  return GAME_NAMES[game] ?? game;
}

function lawFit(line: LinearFit, exponent: number, exponentInterval: Interval): LawFit {
  return {
    exponent,
    exponentInterval,
    slope: line.slope,
    intercept: line.intercept,
    rSquared: line.rSquared,
    level: line.level,
    pointCount: line.pointCount,
  };
}

const byParametersThenStep = (a: { parameters: number; step: number }, b: { parameters: number; step: number }) =>
  a.parameters - b.parameters || a.step - b.step;

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Groups points by a key, in the order the keys first appear. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function optimalSizeData(input: GameFigureInput): OptimalSizeFigure {
  const fit = input.fits.optimalSize;
  const lawParameters = (compute: number) => Math.pow(10, fit.line.intercept + fit.line.slope * Math.log10(compute));
  const budgets = [
    ...fit.pointsUsed.map((p) => ({ id: p.id, compute: 10 ** p.x, parameters: 10 ** p.y, used: true })),
    ...fit.pointsExcluded.map((p) => ({ id: p.id, compute: 10 ** p.x, parameters: 10 ** p.y, used: false, reason: p.reason })),
  ].sort((a, b) => a.compute - b.compute);
  const computes = budgets.map((b) => b.compute);
  const from = Math.min(...computes);
  const to = Math.max(...computes);
  const farthest = Math.max(to, ...REFERENCE_MODELS.map((r) => r.compute));
  const data: OptimalSizeFigure = {
    game: input.game,
    figure: 1,
    title: `${gameName(input.game)}: compute-optimal size`,
    caption:
      `For each training budget C, the size whose agents reached the highest mean Elo within C (filled: fitted; hollow: left out, e.g. on the plateau), ` +
      `the fitted law N_opt ∝ C^${fit.exponent.toFixed(2)} (dashed beyond the data), and AlphaGo Zero / AlphaZero (estimates, see the table below). ` +
      `The paper finds N_opt ∝ C^${PAPER_EXPONENTS.optimalSize}.`,
    budgets,
    fit: lawFit(fit.line, fit.exponent, fit.exponentInterval),
    paperExponent: PAPER_EXPONENTS.optimalSize,
    line: [from, to].map((compute) => ({ compute, parameters: lawParameters(compute) })),
    extrapolation: [to, farthest].map((compute) => ({ compute, parameters: lawParameters(compute) })),
    references: REFERENCE_MODELS.map((r) => ({ ...r, lawParameters: lawParameters(r.compute) })),
  };
  if (fit.predicted) data.predictedExponent = fit.predicted.exponent;
  return data;
}

export function sizeScalingData(input: GameFigureInput): SizeScalingFigure {
  const fit = input.fits.sizeScaling;
  const used = new Set(fit.pointsUsed.map((p) => p.id));
  const excluded = new Map(fit.pointsExcluded.map((p) => [p.id, p.reason]));
  const finals = finalCheckpoints(input.points).sort((a, b) => a.parameters - b.parameters || a.id.localeCompare(b.id));
  const copies = finals.map((p) => {
    const copy = { id: p.id, parameters: p.parameters, elo: p.elo, used: used.has(p.id) };
    if (copy.used) return copy;
    return { ...copy, reason: excluded.get(p.id) ?? 'not among the points of the α_N fit' };
  });
  const means = [...groupBy(finals, (p) => p.parameters)]
    .sort(([a], [b]) => a - b)
    .map(([parameters, group]) => ({ parameters, elo: mean(group.map((p) => p.elo)), copies: group.length }));
  // The law is drawn where it was fitted: plateau sizes would extend it past the data it describes.
  const fitted = copies.filter((c) => c.used).map((c) => c.parameters);
  const sizes = fitted.length > 0 ? fitted : finals.map((p) => p.parameters);
  return {
    game: input.game,
    figure: 2,
    title: `${gameName(input.game)}: Elo of fully trained agents`,
    caption:
      `Every copy at its last checkpoint (dots; crosses: left out of the fit as on the plateau), the mean per size (rings), ` +
      `the fit Elo = ${fit.eloPerDecade.toFixed(0)}·log10 N + c (α_N = ${fit.alpha.toFixed(2)}; paper ${PAPER_EXPONENTS.alphaN}) and reference levels (rules).`,
    eloMethod: input.eloMethod,
    copies,
    means,
    fit: lawFit(fit.line, fit.alpha, fit.alphaInterval),
    line: [Math.min(...sizes), Math.max(...sizes)].map((parameters) => ({
      parameters,
      elo: fit.line.intercept + fit.line.slope * Math.log10(parameters),
    })),
    levels: input.levels,
  };
}

function meansBySizeAndStep(points: readonly TrainingPoint[]) {
  return [...groupBy(points, (p) => `${p.parameters}@${p.step}`).values()]
    .map((group) => {
      const elos = group.map((p) => p.elo);
      return { parameters: group[0]!.parameters, step: group[0]!.step, elos };
    })
    .sort(byParametersThenStep);
}

export function checkpointData(input: GameFigureInput): CheckpointFigure {
  const slopes = input.fits.checkpointSlopes;
  return {
    game: input.game,
    figure: 3,
    title: `${gameName(input.game)}: Elo against size at each checkpoint`,
    caption:
      'Mean Elo over copies per size, one curve per training checkpoint (darker: later). ' +
      'The paper finds Elo log-linear in N already early in training, with lower slopes, converging late in training.',
    eloMethod: input.eloMethod,
    points: meansBySizeAndStep(input.points)
      .map(({ parameters, step, elos }) => ({ step, parameters, elo: mean(elos), copies: elos.length }))
      .sort((a, b) => a.step - b.step || a.parameters - b.parameters),
    fits: slopes.checkpoints.map(({ step, fit }) => ({
      step,
      alpha: fit.alpha,
      eloPerDecade: fit.eloPerDecade,
      intercept: fit.line.intercept,
      rSquared: fit.line.rSquared,
    })),
    skipped: slopes.skipped.map(({ step, reason }) => ({ step, reason })),
  };
}

export function computeData(input: GameFigureInput): ComputeFigure {
  const frontier = input.fits.computeFrontier;
  const fit = isFittedFrontier(frontier) ? frontier : null;
  const onPlateau = new Set(frontier.pointsExcluded.map((p) => p.id));
  const byId = new Map(input.points.map((p) => [p.id, p]));
  const front = frontier.front.map((p) => ({
    id: p.id,
    // The exact compute when the point is known; the fit's log10 otherwise.
    compute: byId.get(p.id)?.compute ?? 10 ** p.x,
    elo: p.y,
    used: !onPlateau.has(p.id),
  }));
  const usedComputes = front.filter((p) => p.used).map((p) => p.compute);
  return {
    game: input.game,
    figure: 4,
    title: `${gameName(input.game)}: Elo against training compute`,
    caption:
      `Every agent at every checkpoint (colour: size), the Pareto front (black line; hollow: on the plateau, left out) and ` +
      (isFittedFrontier(frontier)
        ? `its fit Elo = ${frontier.eloPerDecade.toFixed(0)}·log10 C + c (α_C = ${frontier.alpha.toFixed(2)}; paper ${PAPER_EXPONENTS.alphaC}).`
        : `no fit: ${frontier.unfitted} (paper α_C = ${PAPER_EXPONENTS.alphaC}).`),
    eloMethod: input.eloMethod,
    points: [...input.points]
      .sort((a, b) => a.parameters - b.parameters || a.agent.localeCompare(b.agent) || a.step - b.step)
      .map(({ id, agent, parameters, step, compute, elo }) => ({ id, agent, parameters, step, compute, elo })),
    front,
    ...(fit && {
      fit: lawFit(fit.line, fit.alpha, fit.alphaInterval),
      line: [Math.min(...usedComputes), Math.max(...usedComputes)].map((compute) => ({
        compute,
        elo: fit.line.intercept + fit.line.slope * Math.log10(compute),
      })),
    }),
    levels: input.levels,
  };
}

export function sampleEfficiencyData(input: GameFigureInput): SampleEfficiencyFigure {
  return {
    game: input.game,
    figure: 5,
    title: `${gameName(input.game)}: sample efficiency`,
    caption:
      'Mean Elo over copies against training steps, one curve per size (band: lowest to highest copy). ' +
      'Every size sees the same number of new self-play states per step, so at equal steps larger curves above smaller ones mean larger agents learn more from the same data.',
    eloMethod: input.eloMethod,
    curves: meansBySizeAndStep(input.points).map(({ parameters, step, elos }) => ({
      parameters,
      step,
      elo: mean(elos),
      lower: Math.min(...elos),
      upper: Math.max(...elos),
      copies: elos.length,
    })),
  };
}

/** The data of the five figures of one game, in figure order. */
export function gameFigureData(input: GameFigureInput): ReportFigureData[] {
  if (input.points.length === 0) throw new Error(`figures: no rated agent checkpoints for ${input.game}`);
  return [optimalSizeData(input), sizeScalingData(input), checkpointData(input), computeData(input), sampleEfficiencyData(input)];
}
